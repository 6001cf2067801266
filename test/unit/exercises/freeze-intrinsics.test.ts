/**
 * freezeIntrinsics (the grader's prelude runs it before any student cell): hooks on the
 * built-ins are refused, while the assignments libraries and notebooks make to their own
 * objects, errors as Node prints them, and the course's libraries still work. Each case
 * runs in a fresh Node process, since freezing this one would freeze the test runner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..', '..');
const built = fs.existsSync(path.join(root, 'kernel-helpers', 'dist', 'exercises', 'freezeIntrinsics.js'));
const skip = built ? false : 'kernel-helpers is not built (npx tsc -b kernel-helpers)';

/** Runs `before`, the freeze, then `body` (strict code in an async function); returns its stdout lines. */
function afterFreeze(body: string, before = ''): string[] {
  const code = `'use strict';\n(async () => {\n${before}\nrequire('kernel-helpers/dist/exercises/freezeIntrinsics').freezeIntrinsics();\n${body}\n})().catch((e) => { console.log('FAILED ' + e.stack); process.exitCode = 1; });`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

const refused = (expr: string) => `try { ${expr}; console.log('ALLOWED: ' + ${JSON.stringify(expr)}); } catch (e) { console.log('refused'); }`;

test('hooks on the built-ins are refused', { skip }, () => {
  const tries = [
    "String.prototype.slice = () => 'x'",
    "String.prototype.charCodeAt = () => 0",
    "Object.defineProperty(String.prototype, 'substring', { value: () => '' })",
    "Array.prototype.push = () => 0",
    "Array.prototype.forEach = () => 0",
    "Object.defineProperty(Object.prototype, 'tol', { get() { return 1e9; } })",
    "Object.prototype.toString = () => ''",
    "Object.prototype.hasOwnProperty = () => true",
    "Function.prototype.call = () => 0",
    "Function.prototype.toString = () => ''",
    "Buffer.prototype.toString = () => ''",
    "Uint8Array.prototype.subarray = () => null",
    "Object.getPrototypeOf(Uint8Array).prototype.set = () => 0",
    "JSON.parse = () => ({})",
    "JSON.stringify = () => ''",
    "Math.abs = () => 0",
    "Reflect.apply = () => 0",
    "Promise.prototype.then = () => 0",
    "RegExp.prototype.exec = () => null",
    "Map.prototype.get = () => 0",
    "Error.prototype.toString = () => 'ok'",
    "TypeError.prototype.name = 'ok'",
    "Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({ done: true })",
    "Object.getPrototypeOf(function* () {}).prototype.next = () => 0",
    "Object.keys = () => []",
  ];
  const out = afterFreeze(tries.map(refused).join('\n'));
  assert.deepEqual(out, tries.map(() => 'refused'));
});

test("code's own objects can still take the built-ins' names (the override mistake is avoided)", { skip }, () => {
  const out = afterFreeze(`
    const o = {};
    o.hasOwnProperty = 5; o.constructor = 'c'; o.toString = () => 'mine'; o.valueOf = () => 7;
    function F() {}
    F.prototype.constructor = F; F.toString = () => 'F!'; F.call = () => 'called';
    const a = [1, 2]; a.forEach = () => 'own'; a.push = () => 'pushed';
    class E extends Error { constructor() { super(); this.name = 'E'; this.message = 'm'; } }
    class T extends TypeError { constructor() { super('t'); this.name = 'T'; } }
    const e = new E();
    console.log([o.hasOwnProperty, o.constructor, String(o), o + 1, String(F), F.call(), a.forEach(), a.push(3), [3].length, e.name, e.message, String(e), new T().name].join(' '));
    console.log(Object.prototype.hasOwnProperty.call(o, 'toString'), ({}).hasOwnProperty('x'), typeof ({}).toString, String({}));
    Error.stackTraceLimit = 20; console.log(Error.stackTraceLimit);
    globalThis.kept = 1; console.log(globalThis.kept);
  `);
  assert.deepEqual(out, ['5 c mine 8 F! called own pushed 1 E m E: m T', 'true false function [object Object]', '20', '1']);
});

test('errors and values print as Node prints them', { skip }, () => {
  const out = afterFreeze(`
    const util = require('util');
    try { null.x; } catch (e) { console.log(util.inspect(e).split('\\n')[0]); }
    try { require('vm').runInThisContext('undefinedName'); } catch (e) { console.log(util.inspect(e).split('\\n').find((l) => l.includes('Error'))); }
    console.log(util.inspect(new RangeError('r')).split('\\n')[0]);
    console.log(util.inspect({ a: 1, b: [1, 2], m: new Map([[1, 2]]), p: Promise.resolve(3), f: new Float32Array([1]) }, { breakLength: Infinity }));
    class Foo { constructor() { this.x = 1; } }
    console.log(util.inspect(new Foo()), (1234.5).toLocaleString('en-US'));
  `);
  assert.deepEqual(out, [
    "TypeError: Cannot read properties of null (reading 'x')",
    'ReferenceError: undefinedName is not defined',
    'RangeError: r',
    '{ a: 1, b: [ 1, 2 ], m: Map(1) { 1 => 2 }, p: Promise { 3 }, f: Float32Array(1) [ 1 ] }',
    'Foo { x: 1 } 1,234.5',
  ]);
});

test('the course library, mathjs and the chart renderers work after the freeze (loaded before it, as the prelude does)', { skip }, () => {
  const out = afterFreeze(
    `
    const kh = require('kernel-helpers');
    await kh.initBackend({ backend: 'cpu' });
    const g = kh.tf.grad((x) => kh.tf.sum(kh.tf.square(x)))(kh.tf.tensor([1, 2]));
    console.log(Array.from(await g.data()).join(' '), require('mathjs').sqrt(16));
    const { renderVegaLite } = require('kernel-helpers/dist/display/vegaLiteRender');
    const r = await renderVegaLite({ data: { values: [{ a: 1 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } });
    console.log(r.svg.startsWith('<svg'));
  `,
    "require('kernel-helpers'); require('mathjs'); await require('kernel-helpers/dist/display/esmImport').preloadChartModules();",
  );
  assert.deepEqual(out.filter((l) => !l.startsWith('backend:')), ['2 4 4', 'true']);
});
