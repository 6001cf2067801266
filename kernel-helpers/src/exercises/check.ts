/**
 * Checks used in the exercises' test cells. Each one returns quietly when the student's value
 * is right and throws a `CheckError` otherwise, whose message names the quantity, what was
 * expected and what came. Grading looks only at whether the test cell threw (its execution
 * status), never at printed text.
 *
 * Hardening against a student cell that tries to fake a pass:
 * - `check` is a frozen object, and the module is loaded (and these builtins captured) by
 *   the notebook's first cell, so later `check.close = () => {}`, `Math.abs = ...` or
 *   `Array.isArray = ...` in a student cell change nothing here;
 * - every decision goes through built-ins captured at load (./intrinsics) and index loops, so
 *   patching `Array.prototype`, `Object.keys`, a typed array's `length` getter, ... later
 *   cannot make a wrong value pass; every module's exports are frozen, so replacing
 *   `toFlatNumbers` on the internal module object reaches nothing;
 * - options are read from the test's own object only (`Object.prototype.tol = 1e9` is not
 *   a tolerance), and element counts must match the expected shape: `[]` or a tensor-like
 *   object with no data is not a scalar;
 * - test cells import `check` themselves (`import { check } from 'kernel-helpers'` at the top
 *   of every test cell), so a student's `const check = { ... }` in an earlier cell is
 *   shadowed by the test cell's own binding.
 */
import * as d from './describe';
import * as numeric from './numeric';
import {
  abs,
  freeze,
  isArray,
  isFiniteNumber,
  jsString,
  objectKeys,
  ownValue,
  regexpTest,
  stringIncludes,
  ErrorCtor,
} from './intrinsics';

// Captured at load: the other modules' exports are frozen too, but a check never looks a
// function up on a module object at call time.
const describe = d.describe;
const formatNumber = d.formatNumber;
const shapeOf = numeric.shapeOf;
const toFlatNumbers = numeric.toFlatNumbers;
const unravelIndex = numeric.unravelIndex;

/** The error every failed check throws; `name` is what the test cell called the quantity. */
export class CheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckError';
  }
}

export interface CloseOptions {
  /** What is being checked, as the student should read it, e.g. "sigmoid(0)". Required. */
  name: string;
  /** Absolute tolerance (default 1e-6). Passes when |actual - expected| <= tol + rtol*|expected|. */
  tol?: number;
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
}

function requireName(name: unknown, fn: string): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`check.${fn}: the last argument must name what is checked (a non-empty string), got ${describe(name)}`);
  }
  return name;
}

function fail(message: string): never {
  throw new CheckError(message);
}

function shapeText(shape: number[]): string {
  return shape.length === 0 ? 'a scalar' : `shape [${shape.join(',')}]`;
}

/**
 * `actual` is within tolerance of `expected`, element by element. Both may be numbers,
 * (nested) arrays, typed arrays or tensors; the shapes must agree (a scalar `expected` is
 * compared with every element). NaN is never close to anything, not even NaN.
 */
function close(actual: unknown, expected: unknown, options: CloseOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`check.close: the third argument must be { name, tol?, rtol? }, got ${describe(options)}`);
  }
  const name = requireName(ownValue(options, 'name', 'check.close'), 'close');
  const tolGiven = ownValue(options, 'tol', `check.close(${name})`);
  const rtolGiven = ownValue(options, 'rtol', `check.close(${name})`);
  const tol = tolGiven === undefined ? 1e-6 : tolGiven;
  const rtol = rtolGiven === undefined ? 1e-6 : rtolGiven;
  if (typeof tol !== 'number' || typeof rtol !== 'number' || !(tol >= 0) || !(rtol >= 0)) {
    throw new TypeError(`check.close(${name}): tol and rtol must be numbers >= 0, got tol=${describe(tol)}, rtol=${describe(rtol)}`);
  }
  const exp = toFlatNumbers(expected);
  if (typeof exp === 'string') throw new TypeError(`check.close(${name}): expected value is not numeric: ${exp}`);
  const act = toFlatNumbers(actual);
  if (typeof act === 'string') fail(`${name}: expected ${describe(expected)}, got ${act}`);
  const n = act.values.length;
  const broadcast = exp.shape.length === 0;
  if (broadcast) {
    // A scalar is compared with every element; there must be at least one to compare.
    if (n === 0) fail(`${name}: expected ${formatNumber(exp.values[0])}, got ${describe(actual)} (no elements)`);
  } else if (!sameShape(act.shape, exp.shape) || n !== exp.values.length) {
    fail(`${name}: expected ${shapeText(exp.shape)}, got ${shapeText(act.shape)} (${describe(actual)})`);
  }
  let bad = 0;
  let first = -1;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const a = act.values[i];
    const e = broadcast ? exp.values[0] : exp.values[i];
    const diff = abs(a - e);
    const ok = a === e || diff <= tol + rtol * abs(e); // a === e admits equal infinities
    if (!ok) {
      bad++;
      if (first < 0) first = i;
      if (!(diff <= worst)) worst = diff;
    }
  }
  if (bad === 0) return;
  const a = act.values[first];
  const e = broadcast ? exp.values[0] : exp.values[first];
  const tolText = `tolerance ${formatNumber(tol)}${rtol > 0 ? ` + ${formatNumber(rtol)}*|expected|` : ''}`;
  if (act.shape.length === 0) {
    fail(`${name}: expected ${formatNumber(e)}, got ${formatNumber(a)} (difference ${formatNumber(abs(a - e))}, ${tolText})`);
  }
  const where = `[${unravelIndex(first, act.shape).join(',')}]`;
  fail(
    `${name}: ${bad} of ${n} elements differ; first at index ${where}: expected ` +
      `${formatNumber(e)}, got ${formatNumber(a)}; largest difference ${formatNumber(worst)} (${tolText})`,
  );
}

function sameShape(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function contains(list: string[], x: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === x) return true;
  return false;
}

/** Keys of `list` not in `other`, in `list`'s order. */
function without(list: string[], other: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) if (!contains(other, list[i])) out[out.length] = list[i];
  return out;
}

function deepEqual(a: unknown, b: unknown, path: string, depth: number): string | null {
  if (a === b) return null;
  if (typeof a === 'number' && typeof b === 'number' && a !== a && b !== b) return null; // NaN
  if (depth > 200) return `${path}: nested too deeply to compare`;
  if (isArray(b)) {
    if (!isArray(a)) return `${path}: expected an array, got ${describe(a)}`;
    const na = a.length;
    const nb = b.length;
    if (na !== nb) return `${path}: expected length ${nb}, got length ${na}`;
    for (let i = 0; i < nb; i++) {
      const diff = deepEqual(a[i], b[i], `${path}[${i}]`, depth + 1);
      if (diff) return diff;
    }
    return null;
  }
  if (typeof b === 'object' && b !== null && typeof a === 'object' && a !== null && !isArray(a)) {
    const kb = objectKeys(b);
    const ka = objectKeys(a);
    const missing = without(kb, ka);
    const extra = without(ka, kb);
    if (missing.length) return `${path}: missing key(s) ${missing.join(', ')}`;
    if (extra.length) return `${path}: unexpected key(s) ${extra.join(', ')}`;
    for (let i = 0; i < kb.length; i++) {
      const k = kb[i];
      const diff = deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, depth + 1);
      if (diff) return diff;
    }
    return null;
  }
  return `${path}: expected ${describe(b)}, got ${describe(a)}`;
}

/** `actual` equals `expected` exactly: primitives by value, arrays and plain objects deeply. */
function equal(actual: unknown, expected: unknown, name: string): void {
  requireName(name, 'equal');
  const diff = deepEqual(actual, expected, name, 0);
  if (diff) fail(diff);
}

/** `condition` holds; `message` says what should have been true, e.g. "the loss decreased". */
function isTrue(condition: unknown, message: string): void {
  requireName(message, 'true');
  if (condition !== true) {
    fail(`${message}: expected true, got ${describe(condition)}`);
  }
}

/**
 * `x` (tensor, nested array or typed array) has shape `shape`; a `null` entry accepts any
 * size along that axis, e.g. `check.shape(batch, [null, 2], 'batch')`.
 */
function shape(x: unknown, expected: ReadonlyArray<number | null>, name: string): void {
  requireName(name, 'shape');
  if (!isArray(expected)) throw new TypeError(`check.shape(${name}): the shape must be an array, got ${describe(expected)}`);
  const s = shapeOf(x);
  const wanted: string[] = [];
  for (let k = 0; k < expected.length; k++) wanted[k] = expected[k] === null ? '*' : jsString(expected[k]);
  const want = `[${wanted.join(',')}]`;
  if (s === null) fail(`${name}: expected something of shape ${want}, got ${describe(x)}`);
  let ok = s.length === expected.length;
  for (let k = 0; ok && k < s.length; k++) ok = expected[k] === null || expected[k] === s[k];
  if (!ok) fail(`${name}: expected shape ${want}, got shape [${s.join(',')}]`);
}

/** Every element of `x` is a finite number (no NaN or infinity). */
function finite(x: unknown, name: string): void {
  requireName(name, 'finite');
  const f = toFlatNumbers(x);
  if (typeof f === 'string') fail(`${name}: expected finite numbers, got ${f}`);
  for (let i = 0; i < f.values.length; i++) {
    if (!isFiniteNumber(f.values[i])) {
      const where = f.shape.length ? ` at index [${unravelIndex(i, f.shape).join(',')}]` : '';
      fail(`${name}: expected finite numbers, got ${formatNumber(f.values[i])}${where}`);
    }
  }
}

function messageOf(e: unknown): string {
  let m: unknown;
  try {
    m = e instanceof ErrorCtor ? e.message : e;
  } catch {
    m = undefined;
  }
  return typeof m === 'string' ? m : jsString(m);
}

function matches(e: unknown, pattern: string | RegExp | undefined): boolean {
  if (pattern === undefined) return true;
  const m = messageOf(e);
  return typeof pattern === 'string' ? stringIncludes(m, pattern) : regexpTest(pattern, m);
}

/**
 * Calling `fn()` throws (synchronously), optionally with a message containing `pattern`.
 * Used to check that bad input is rejected: `check.throws(() => sigmoid(NaN), 'sigmoid(NaN)')`.
 */
function throws(fn: () => unknown, name: string, pattern?: string | RegExp): void {
  requireName(name, 'throws');
  if (typeof fn !== 'function') throw new TypeError(`check.throws(${name}): the first argument must be a function, got ${describe(fn)}`);
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    if (!matches(e, pattern)) fail(`${name}: expected an error matching ${describe(pattern)}, got "${messageOf(e)}"`);
    return;
  }
  fail(`${name}: expected an error, but it returned ${describe(result)}`);
}

/** The asynchronous form of `throws`: `await check.rejects(async () => ..., name)`. */
async function rejects(fn: () => Promise<unknown>, name: string, pattern?: string | RegExp): Promise<void> {
  requireName(name, 'rejects');
  if (typeof fn !== 'function') throw new TypeError(`check.rejects(${name}): the first argument must be a function, got ${describe(fn)}`);
  let result: unknown;
  try {
    result = await fn();
  } catch (e) {
    if (!matches(e, pattern)) fail(`${name}: expected an error matching ${describe(pattern)}, got "${messageOf(e)}"`);
    return;
  }
  fail(`${name}: expected an error, but it returned ${describe(result)}`);
}

export interface Check {
  close(actual: unknown, expected: unknown, options: CloseOptions): void;
  equal(actual: unknown, expected: unknown, name: string): void;
  true(condition: unknown, message: string): void;
  shape(x: unknown, shape: ReadonlyArray<number | null>, name: string): void;
  finite(x: unknown, name: string): void;
  throws(fn: () => unknown, name: string, pattern?: string | RegExp): void;
  rejects(fn: () => Promise<unknown>, name: string, pattern?: string | RegExp): Promise<void>;
}

/** The checks for test cells. Frozen: a student cell cannot replace its methods. */
export const check: Readonly<Check> = freeze({
  close,
  equal,
  true: isTrue,
  shape,
  finite,
  throws,
  rejects,
});

// The exports cannot be replaced: `require('.../exercises/check').check = fake` fails.
freeze(module.exports);
