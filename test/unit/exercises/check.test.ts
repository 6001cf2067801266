import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, CheckError } from '../../../kernel-helpers/src/exercises/check';

function failsWith(fn: () => void, ...parts: (string | RegExp)[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof CheckError, `expected a CheckError, got ${String(caught)}`);
  for (const p of parts) {
    if (typeof p === 'string') assert.ok(caught.message.includes(p), `message "${caught.message}" lacks "${p}"`);
    else assert.match(caught.message, p);
  }
}

const fakeTensor = (shape: number[], values: number[]) => ({ shape, dataSync: () => Float32Array.from(values) });

test('close: passes within tolerance, fails outside, naming expected and actual', () => {
  check.close(0.5 + 1e-8, 0.5, { name: 'p' });
  check.close(100.00005, 100, { name: 'big', rtol: 1e-6 });
  failsWith(() => check.close(0.6, 0.5, { name: 'D(x)' }), 'D(x)', 'expected 0.5', 'got 0.6');
  failsWith(() => check.close(NaN, NaN, { name: 'n' }), 'got NaN');
  check.close(Infinity, Infinity, { name: 'inf' });
});

test('close: arrays, typed arrays, tensors; shape mismatch and first differing index', () => {
  check.close([[1, 2], [3, 4]], [[1, 2], [3, 4]], { name: 'm' });
  check.close(fakeTensor([2, 2], [1, 2, 3, 4]), [[1, 2], [3, 4]], { name: 't' });
  check.close(new Float64Array([1, 1]), 1, { name: 'broadcast scalar' });
  failsWith(() => check.close([[1, 2], [3, 5]], [[1, 2], [3, 4]], { name: 'm' }), '1 of 4 elements differ', 'index [1,1]');
  failsWith(() => check.close([1, 2, 3], [[1, 2, 3]], { name: 'v' }), 'expected shape [1,3]', 'got shape [3]');
  failsWith(() => check.close(undefined, 1, { name: 'ret' }), 'got undefined');
  failsWith(() => check.close([1, 'a'], [1, 2], { name: 'mixed' }), '"a"');
});

test('close: a call without a name or with a non-numeric expectation is the author\'s error', () => {
  assert.throws(() => check.close(1, 1, { name: '' }), TypeError);
  assert.throws(() => check.close(1, 'x', { name: 'n' }), TypeError);
  assert.throws(() => check.close(1, 1, { name: 'n', tol: -1 }), TypeError);
});

test('equal: deep equality with the first differing path', () => {
  check.equal({ a: [1, 2], b: 'x' }, { a: [1, 2], b: 'x' }, 'obj');
  failsWith(() => check.equal({ a: [1, 3] }, { a: [1, 2] }, 'obj'), 'obj.a[1]', 'expected 2', 'got 3');
  failsWith(() => check.equal([1], [1, 2], 'list'), 'expected length 2, got length 1');
  failsWith(() => check.equal({ a: 1 }, { a: 1, b: 2 }, 'o'), 'missing key(s) b');
});

test('true, shape, finite, throws, rejects', async () => {
  check.true(1 < 2, 'order');
  failsWith(() => check.true(1 as unknown, 'loss decreased'), 'loss decreased', 'got 1');
  check.shape(fakeTensor([4, 2], new Array(8).fill(0)), [null, 2], 'batch');
  failsWith(() => check.shape([[1, 2, 3]], [1, 2], 'row'), 'expected shape [1,2]', 'got shape [1,3]');
  failsWith(() => check.shape('abc', [3], 's'), 'expected something of shape [3]');
  failsWith(() => check.finite([1, NaN], 'grad'), 'got NaN at index [1]');
  check.throws(() => {
    throw new Error('bad p');
  }, 'rejects p', /bad/);
  failsWith(() => check.throws(() => 3, 'no error'), 'expected an error, but it returned 3');
  await check.rejects(async () => {
    throw new Error('x');
  }, 'async');
  await assert.rejects(check.rejects(async () => 1, 'async ok'), CheckError);
});

test('check is frozen: a student cell cannot replace a method', () => {
  assert.ok(Object.isFrozen(check));
  try {
    (check as { close: unknown }).close = () => undefined; // TypeError in strict code, ignored otherwise
  } catch {
    // either way the method must stay
  }
  failsWith(() => check.close(1, 2, { name: 'still checked' }), 'expected 2');
});

test('patching Math.abs after load does not change close', () => {
  const saved = Math.abs;
  try {
    Math.abs = () => 0;
    failsWith(() => check.close(1, 2, { name: 'x' }), 'expected 2');
  } finally {
    Math.abs = saved;
  }
});
