/**
 * `check` judges what it is given (issue 18, part 3): element counts must match the expected
 * shape, options come from the test's own object, and nothing a check relies on can be
 * changed from outside once the library has loaded. Runs against the built library
 * (kernel-helpers/dist), which is what grading kernels load.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const dist = path.join(__dirname, '..', '..', '..', 'kernel-helpers', 'dist', 'exercises');
const built = fs.existsSync(path.join(dist, 'check.js'));
const skip = built ? false : 'kernel-helpers is not built (npx tsc -b kernel-helpers)';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const lib = () => require(path.join(dist, 'index.js'));

function fails(fn: () => unknown, pattern?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, 'expected the check to fail, it passed');
  assert.equal((caught as Error).name, 'CheckError', `expected a CheckError, got ${String(caught)}`);
  if (pattern) assert.match((caught as Error).message, pattern);
}

const tensorLike = (shape: unknown, data: unknown) => ({ shape, dataSync: () => data });

test('close: an empty answer is not a scalar, and element counts must match the shape', { skip }, () => {
  const { check } = lib();
  fails(() => check.close([], 0.5, { name: 'p' }), /no elements/);
  fails(() => check.close(new Float32Array(0), 0.5, { name: 'p' }), /no elements/);
  fails(() => check.close([[]], 0.5, { name: 'p' }), /no elements/);
  fails(() => check.close(tensorLike([], new Float32Array(0)), 0.5, { name: 'p' }), /shape \[\] \(1 element\) whose data has 0/);
  fails(() => check.close(tensorLike([0], new Float32Array(0)), 0.5, { name: 'p' }), /no elements/);
  fails(() => check.close(tensorLike([3], new Float32Array([1])), [1, 1, 1], { name: 'v' }), /whose data has 1/);
  fails(() => check.close(tensorLike([2], []), 1, { name: 'v' }), /whose data has 0/);
  fails(() => check.close(tensorLike([-1], []), 1, { name: 'v' }), /shape is not a list of sizes/);
  fails(() => check.close(tensorLike(['2'], [1, 1]), 1, { name: 'v' }), /shape is not a list of sizes/);
  fails(() => check.close(tensorLike([1], ['1']), 1, { name: 'v' }), /data is an array containing "1"/);
  // Honest values still pass.
  check.close(tensorLike([2], new Float32Array([1, 1])), 1, { name: 'broadcast' });
  check.close(tensorLike([], new Float32Array([0.5])), 0.5, { name: 'scalar tensor' });
  check.close([], [], { name: 'both empty' });
  check.close([[1, 2]], [[1, 2]], { name: 'matrix' });
});

test('close: a shape or data that answers differently on each read gets one answer', { skip }, () => {
  const { check } = lib();
  let reads = 0;
  const shifty = {
    get shape() {
      return reads++ === 0 ? [2] : [];
    },
    dataSync: () => new Float32Array([0]),
  };
  fails(() => check.close(shifty, [0, 0], { name: 'shifty' }));
  let n = 0;
  const growing = new Proxy([1, 2], { get: (t, k) => (k === 'length' ? (n++ < 1 ? 2 : 0) : Reflect.get(t, k)) });
  fails(() => check.close(growing, [1, 2], { name: 'proxy' }));
});

test('close: options are read from the test\'s own object only', { skip }, () => {
  const { check } = lib();
  const proto = Object.prototype as Record<string, unknown>;
  try {
    proto.tol = 1e9;
    proto.rtol = 1e9;
    fails(() => check.close(5, 1, { name: 'polluted tolerance' }), /expected 1, got 5/);
    fails(() => check.close([5, 6], [1, 2], { name: 'polluted tolerance' }), /2 of 2 elements differ/);
  } finally {
    delete proto.tol;
    delete proto.rtol;
  }
  try {
    proto.name = 'from the prototype';
    assert.throws(() => check.close(1, 1, {}), TypeError);
  } finally {
    delete proto.name;
  }
  const getter = { name: 'g', get tol() { return 1e9; } };
  assert.throws(() => check.close(5, 1, getter), /must be a plain value, not a getter/);
  assert.throws(() => check.close(5, 1, { name: 'n', tol: '1e9' }), TypeError);
  const inherited = Object.create({ tol: 1e9 });
  inherited.name = 'inherited';
  fails(() => check.close(5, 1, inherited), /expected 1, got 5/);
});

test('the modules check relies on cannot be changed after load', { skip }, () => {
  const { check } = lib();
  const numeric = require(path.join(dist, 'numeric.js'));
  const describe = require(path.join(dist, 'describe.js'));
  const checkModule = require(path.join(dist, 'check.js'));
  const intrinsics = require(path.join(dist, 'intrinsics.js'));
  for (const [mod, key, value] of [
    [numeric, 'toFlatNumbers', () => ({ shape: [], values: [] })],
    [numeric, 'shapeOf', () => []],
    [describe, 'isTensorLike', () => false],
    [checkModule, 'check', { close() {} }],
    [intrinsics, 'abs', () => 0],
    [lib(), 'check', { close() {} }],
  ] as Array<[Record<string, unknown>, string, unknown]>) {
    assert.equal(Reflect.set(mod, key, value), false, `assigning ${key} must fail`);
    assert.equal(Reflect.defineProperty(mod, key, { value }), false, `redefining ${key} must fail`);
  }
  assert.ok(Object.isFrozen(numeric) && Object.isFrozen(describe) && Object.isFrozen(checkModule));
  fails(() => check.close(2, 1, { name: 'still checked' }), /expected 1, got 2/);
  fails(() => check.equal([1], [2], 'still checked'), /\[0\]/);
});

/** Runs `f` with `obj[key]` replaced, restoring it afterwards. */
function patched(obj: object, key: PropertyKey, desc: PropertyDescriptor, f: () => void): void {
  const saved = Object.getOwnPropertyDescriptor(obj, key);
  Object.defineProperty(obj, key, { configurable: true, ...desc });
  try {
    f();
  } finally {
    if (saved) Object.defineProperty(obj, key, saved);
    else delete (obj as Record<PropertyKey, unknown>)[key];
  }
}

test('built-ins patched after load change no verdict', { skip }, () => {
  const { check } = lib();
  // Each wrong answer must throw a CheckError. Outcomes are recorded while the patch is in
  // place and asserted afterwards (node:assert itself uses the patched built-ins).
  // Values are built before any patch (a typed array built from an array uses its iterator).
  const t56 = new Float64Array([5, 6]);
  const t12 = new Float64Array([1, 2]);
  const f56 = new Float32Array([5, 6]);
  const wrongAnswers: Array<() => unknown> = [
    () => check.close([5, 6, 7], [1, 2, 3], { name: 'v' }),
    () => check.close([[5, 6]], [[1, 2]], { name: 'm' }),
    () => check.close(t56, 1, { name: 't' }),
    () => check.close(t56, t12, { name: 'tt' }),
    () => check.close(tensorLike([2], f56), [1, 2], { name: 'tensor' }),
    () => check.close([], 1, { name: 'empty' }),
    () => check.close(9, 1, { name: 's' }),
    () => check.equal({ a: 1, b: 2 }, { a: 1, b: 3 }, 'o'),
    () => check.equal({ a: 1 }, { a: 1, b: 3 }, 'o2'),
    () => check.equal([1, 2], [1, 3], 'l'),
    () => check.shape([[1, 2, 3]], [1, 2], 'sh'),
    () => check.finite([1, NaN], 'f'),
    () => check.throws(() => { throw new Error('other'); }, 'th', /expected message/),
    () => check.throws(() => { throw new Error('other'); }, 'th', 'expected message'),
  ];
  const outcomes = (): string[] => {
    const out: string[] = [];
    for (let i = 0; i < wrongAnswers.length; i++) {
      let name = 'passed';
      try {
        wrongAnswers[i]();
      } catch (e) {
        name = (e as Error).name;
      }
      out[i] = name;
    }
    return out;
  };
  const typedProto = Object.getPrototypeOf(Uint8Array.prototype);
  const cases: Array<[object, PropertyKey, PropertyDescriptor]> = [
    [Math, 'abs', { value: () => 0 }],
    [Array, 'isArray', { value: () => false }],
    [Array, 'from', { value: () => [] }],
    [Array.prototype, 'push', { value: () => 0 }],
    [Array.prototype, Symbol.iterator, { value: function* () {} }],
    [Array.prototype, 'some', { value: () => false }],
    [Array.prototype, 'every', { value: () => true }],
    [Array.prototype, 'filter', { value: () => [] }],
    [Array.prototype, 'includes', { value: () => true }],
    [Array.prototype, 'slice', { value: () => [] }],
    [Object, 'keys', { value: () => [] }],
    [typedProto, 'length', { get: () => 0 }],
    [String.prototype, 'includes', { value: () => true }],
    [RegExp.prototype, 'test', { value: () => true }],
    [Function.prototype, 'call', { value: () => undefined }],
    [Number, 'isFinite', { value: () => true }],
  ];
  for (const [obj, key, desc] of cases) {
    let got: string[] = [];
    patched(obj, key, desc, () => {
      got = outcomes();
    });
    got.forEach((name, i) => assert.equal(name, 'CheckError', `with ${String(key)} patched, wrong answer ${i} (${String(wrongAnswers[i])}) gave ${name}`));
  }
  // And honest answers keep passing with the patches gone.
  check.close([1, 2, 3], [1, 2, 3], { name: 'v' });
  check.equal({ a: [1, 2] }, { a: [1, 2] }, 'o');
});
