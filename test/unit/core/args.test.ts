import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  argumentError,
  checkFinite,
  checkInRange,
  checkInteger,
  checkKnownOptions,
  checkNonNegative,
  checkNonNegativeInt,
  checkOneOf,
  checkPositive,
  checkPositiveInt,
  checkShape,
} from '../../../kernel-helpers/src/core/args';

test('argumentError: one voice, who: name must be what, got value', () => {
  const e = argumentError('conv2d D/conv1', 'kernelSize', 'a positive integer', 0);
  assert.ok(e instanceof Error);
  assert.equal(e.message, 'conv2d D/conv1: kernelSize must be a positive integer, got 0');
  assert.equal(argumentError('f', 'mode', 'one of a', 'b').message, 'f: mode must be one of a, got "b"');
  assert.equal(argumentError('f', 'xs', 'numbers', [1, 'a', null]).message, 'f: xs must be numbers, got [1, "a", null]');
  assert.equal(argumentError('f', 'o', 'x', { a: 1 }).message, 'f: o must be x, got {"a":1}');
  assert.equal(argumentError('f', 'o', 'x', undefined).message, 'f: o must be x, got undefined');
  const cyclic: { self?: unknown } = {};
  cyclic.self = cyclic;
  assert.equal(argumentError('f', 'o', 'x', cyclic).message, 'f: o must be x, got [object Object]');
});

test('the order is (who, name, value): the message names the function, then the argument', () => {
  assert.throws(() => checkPositive('gaussianPdf', 'std', -1), /^Error: gaussianPdf: std must be a finite number > 0, got -1$/);
  assert.throws(() => checkNonNegative('adam.step', 'lr', -0.5), /^Error: adam\.step: lr must be a finite number >= 0, got -0\.5$/);
  assert.throws(() => checkFinite('f', 'start[0]', Infinity), /^Error: f: start\[0\] must be a finite number, got Infinity$/);
});

test('NaN and non-numbers fail every numeric check', () => {
  const numeric: Array<(v: number) => void> = [
    (v) => checkFinite('f', 'x', v),
    (v) => checkPositive('f', 'x', v),
    (v) => checkNonNegative('f', 'x', v),
    (v) => checkInteger('f', 'x', v),
    (v) => checkPositiveInt('f', 'x', v),
    (v) => checkNonNegativeInt('f', 'x', v),
    (v) => checkInRange('f', 'x', v, -10, 10, { closed: true }),
  ];
  for (const check of numeric) {
    for (const bad of [NaN, '1', null, undefined, [1], {}] as unknown[]) {
      assert.throws(() => check(bad as number), /^Error: f: x must be .*, got /, `${check} with ${String(bad)}`);
    }
  }
  assert.throws(() => checkFinite('f', 'x', NaN), /got NaN$/);
  assert.throws(() => checkPositive('f', 'x', '2' as never), /got "2"$/);
});

test('positive, non-negative and finite bounds', () => {
  checkFinite('f', 'x', -3);
  checkPositive('f', 'x', 1e-12);
  checkNonNegative('f', 'x', 0);
  assert.throws(() => checkPositive('f', 'x', 0), /x must be a finite number > 0, got 0/);
  assert.throws(() => checkPositive('f', 'x', Infinity), /got Infinity/);
  assert.throws(() => checkNonNegative('f', 'x', -Infinity), /x must be a finite number >= 0, got -Infinity/);
});

test('integers: bounds are part of the message', () => {
  checkInteger('f', 'n', -4);
  checkInteger('f', 'n', 3, 3);
  checkInteger('f', 'n', 9, 0, 9);
  checkPositiveInt('f', 'n', 1);
  checkNonNegativeInt('f', 'n', 0);
  assert.throws(() => checkInteger('f', 'n', 1.5), /^Error: f: n must be an integer, got 1\.5$/);
  assert.throws(() => checkInteger('f', 'n', 2, 3), /n must be an integer >= 3, got 2/);
  assert.throws(() => checkInteger('f', 'n', 10, -Infinity, 9), /n must be an integer <= 9, got 10/);
  assert.throws(() => checkInteger('f', 'n', 10, 0, 9), /n must be an integer in \[0, 9\], got 10/);
  assert.throws(() => checkInteger('f', 'n', Infinity), /got Infinity/);
  assert.throws(() => checkPositiveInt('f', 'n', 0), /n must be a positive integer, got 0/);
  assert.throws(() => checkPositiveInt('f', 'n', 2.5), /n must be a positive integer, got 2\.5/);
  assert.throws(() => checkNonNegativeInt('f', 'n', -1), /n must be an integer >= 0, got -1/);
});

test('checkInRange: half-open by default, closed on request', () => {
  checkInRange('adam', 'beta1', 0, 0, 1);
  checkInRange('adam', 'beta1', 0.999, 0, 1);
  assert.throws(() => checkInRange('adam', 'beta1', 1, 0, 1), /^Error: adam: beta1 must be in \[0, 1\), got 1$/);
  assert.throws(() => checkInRange('adam', 'beta1', -0.1, 0, 1), /got -0\.1/);
  checkInRange('f', 'q', 1, 0, 1, { closed: true });
  assert.throws(() => checkInRange('f', 'q', 1.2, 0, 1, { closed: true }), /q must be in \[0, 1\], got 1\.2/);
  assert.throws(() => checkInRange('f', 'q', Infinity, 0, Infinity, { closed: true }), /got Infinity/);
});

test('checkOneOf: lists the allowed names, quotes the value', () => {
  const KINDS = ['sgd', 'adam'] as const;
  checkOneOf('f', 'kind', 'adam', KINDS);
  assert.throws(() => checkOneOf('f', 'kind', 'rmsprop', KINDS), /^Error: f: kind must be one of 'sgd', 'adam', got "rmsprop"$/);
  assert.throws(() => checkOneOf('f', 'kind', 3, KINDS), /got 3$/);
  assert.throws(() => checkOneOf('f', 'kind', undefined, KINDS), /got undefined$/);
});

test('checkKnownOptions: a typo is an error, undefined options are fine', () => {
  checkKnownOptions('adam', undefined, ['beta1']);
  checkKnownOptions('adam', { beta1: 0.5 }, ['beta1', 'beta2']);
  assert.throws(() => checkKnownOptions('adam', { beta_1: 0.5 }, ['beta1', 'beta2']), /^Error: adam: unknown option 'beta_1'; known: beta1, beta2$/);
  assert.throws(() => checkKnownOptions('adam', { a: 1, b: 2 }, ['beta1']), /adam: unknown options 'a', 'b'; known: beta1/);
  assert.throws(() => checkKnownOptions('adam', 3 as never, ['beta1']), /adam: options must be an object, got 3/);
});

test('checkShape: a non-empty list of positive integers', () => {
  checkShape('mlp', 'outputShape', [28, 28, 1]);
  assert.throws(() => checkShape('mlp', 'outputShape', []), /^Error: mlp: outputShape must be a non-empty list of positive integers, got \[\]$/);
  assert.throws(() => checkShape('mlp', 'outputShape', [2, 0]), /got \[2, 0\]/);
  assert.throws(() => checkShape('mlp', 'outputShape', [2, NaN]), /got \[2, NaN\]/);
  assert.throws(() => checkShape('mlp', 'outputShape', 4 as never), /got 4/);
});
