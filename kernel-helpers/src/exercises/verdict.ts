/**
 * The kernel's half of the grader's unforgeable verdicts (cli/src/grading/verdict.ts).
 *
 * The grader's prelude calls `verdictRunner` once per kernel, before any student cell: it
 * reads the per-kernel key from a file the grader wrote and deletes it, so the key exists
 * only in this closure (as two random shares, never as a string). The grader then runs each
 * test cell as `await runVerdict(nonce, gradeId, js)` (imported from this module, whose
 * exports and cache entry are fixed): `js` is the teacher's test cell compiled by the grader.
 * The runner evaluates exactly that text and writes
 * `v1 <nonce> <0|1> <HMAC-SHA256(key, nonce \n gradeId \n ok \n counter \n js)>` to
 * `<dir>/<nonce>.<counter>` (created exclusively; the counter counts this kernel's verdicts).
 * The grader accepts a pass only with a valid MAC over the source it compiled and the nonce
 * it sent, and no failing or forged verdict beside it:
 *
 * - a forged file or printed line has no valid MAC (no key);
 * - calling the runner with other code gives a MAC over that code, not the teacher's;
 * - calling it with the teacher's code runs the teacher's tests: an honest verdict;
 * - a reply rewritten to "ok" carries no verdict.
 *
 * Everything here goes through built-ins captured when this module loads (the prelude loads
 * it first): SHA-256 is computed on typed arrays with operators only, so a student cell that
 * patches `String.prototype`, `Buffer`, `crypto` or `fs` later reaches none of it.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const RApply = Reflect.apply;
const hasOwnProperty = Object.prototype.hasOwnProperty;
const createNull = Object.create;
const freeze = Object.freeze;
const charCodeAt = String.prototype.charCodeAt;
const U8 = Uint8Array;
const U32 = Uint32Array;
const ProxyCtor = Proxy;
const unscopables = Symbol.unscopables;
const AsyncFunction = Object.getPrototypeOf(async function () {
  /* its constructor */
}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
const fs = require('fs') as typeof import('fs');
const readFileSync = fs.readFileSync;
const unlinkSync = fs.unlinkSync;
const writeFileSync = fs.writeFileSync;
const randomFillSync = (require('crypto') as typeof import('crypto')).randomFillSync;

const K = new U32([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H0 = new U32([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const HEX = '0123456789abcdef';
const HEXES: string[] = [];
for (let i = 0; i < 256; i++) HEXES[i] = HEX[i >> 4] + HEX[i & 15];
freeze(HEXES);

/** SHA-256 of `bytes[0..n)`, into a new 32-byte array. */
function sha256(bytes: Uint8Array, n: number): Uint8Array {
  const total = (((n + 9 + 63) / 64) | 0) * 64;
  const m = new U8(total);
  for (let i = 0; i < n; i++) m[i] = bytes[i];
  m[n] = 0x80;
  const bits = n * 8;
  m[total - 4] = (bits >>> 24) & 255;
  m[total - 3] = (bits >>> 16) & 255;
  m[total - 2] = (bits >>> 8) & 255;
  m[total - 1] = bits & 255;
  m[total - 5] = (bits / 2 ** 32) & 255;
  const h = new U32(8);
  for (let i = 0; i < 8; i++) h[i] = H0[i];
  const w = new U32(64);
  for (let off = 0; off < total; off += 64) {
    for (let t = 0; t < 16; t++) w[t] = (m[off + 4 * t] << 24) | (m[off + 4 * t + 1] << 16) | (m[off + 4 * t + 2] << 8) | m[off + 4 * t + 3];
    for (let t = 16; t < 64; t++) {
      const a = w[t - 15];
      const b = w[t - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[t] + w[t]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const mj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + mj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  const out = new U8(32);
  for (let i = 0; i < 8; i++) {
    out[4 * i] = h[i] >>> 24;
    out[4 * i + 1] = (h[i] >>> 16) & 255;
    out[4 * i + 2] = (h[i] >>> 8) & 255;
    out[4 * i + 3] = h[i] & 255;
  }
  for (let i = 0; i < total; i++) m[i] = 0;
  return out;
}

/** A string's UTF-16LE bytes (what the grader's Buffer.from(s, 'utf16le') gives). */
function utf16le(s: string): Uint8Array {
  const n = s.length;
  const out = new U8(2 * n);
  for (let i = 0; i < n; i++) {
    const c = RApply(charCodeAt, s, [i]) as number;
    out[2 * i] = c & 255;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/** HMAC-SHA256 with the key held as two shares (key = a XOR b), as lowercase hex. */
function hmacHex(a: Uint8Array, b: Uint8Array, msg: Uint8Array, msgLen: number): string {
  const inner = new U8(64 + msgLen);
  const outer = new U8(64 + 32);
  for (let i = 0; i < 64; i++) {
    const k = i < 32 ? a[i] ^ b[i] : 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  for (let i = 0; i < msgLen; i++) inner[64 + i] = msg[i];
  const ih = sha256(inner, 64 + msgLen);
  for (let i = 0; i < 32; i++) outer[64 + i] = ih[i];
  const mac = sha256(outer, 96);
  for (let i = 0; i < 64; i++) (inner[i] = 0), (outer[i] = 0);
  let hex = '';
  for (let i = 0; i < 32; i++) hex += HEXES[mac[i]];
  return hex;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** A nonce as the grader makes them: 32 lowercase hex digits (also a safe file name). */
function isNonce(s: unknown): s is string {
  if (typeof s !== 'string' || s.length !== 32) return false;
  for (let i = 0; i < 32; i++) if (hexValue(RApply(charCodeAt, s, [i]) as number) < 0) return false;
  return true;
}

const RESERVED = ['exports', 'require', '__gan_scope__', 'arguments'];
function reserved(k: string): boolean {
  for (let i = 0; i < RESERVED.length; i++) if (RESERVED[i] === k) return true;
  return false;
}

export interface VerdictRunnerOptions {
  /** The file holding the key (64 hex digits); deleted once read. */
  secretFile: string;
  /** Where verdict files go (`<dir>/<nonce>`). */
  verdictDir: string;
  /** The names earlier cells defined (tslab's `exports`): the test code's free names resolve there first, as in tslab. */
  scope: object;
  /** tslab's per-cell `require`. */
  require: (id: string) => unknown;
}

export type VerdictRunner = (nonce: string, gradeId: string, js: string) => Promise<void>;

let registered: VerdictRunner | null = null;

/** Runs a test cell through this kernel's runner (what the grader's test cells call). */
export function runVerdict(nonce: string, gradeId: string, js: string): Promise<void> {
  if (registered === null) throw new Error('runVerdict: no verdict runner in this kernel (it is set up by the grader\'s prelude)');
  return registered(nonce, gradeId, js);
}

/** Sets up this kernel's runner; once only (the prelude's call, before any student cell). */
export function verdictRunner(o: VerdictRunnerOptions): VerdictRunner {
  if (registered !== null) throw new Error('verdictRunner: this kernel has its runner already');
  const text = readFileSync(o.secretFile, 'latin1');
  unlinkSync(o.secretFile);
  if (text.length < 64) throw new Error('the grader key is too short');
  const a = new U8(32);
  const b = new U8(32);
  randomFillSync(a);
  for (let i = 0; i < 32; i++) {
    const v = hexValue(RApply(charCodeAt, text, [2 * i]) as number) * 16 + hexValue(RApply(charCodeAt, text, [2 * i + 1]) as number);
    if (v < 0) throw new Error('the grader key is not hex');
    b[i] = v ^ a[i];
  }
  const scopeSource = o.scope;
  const req = o.require;
  const verdictDir = o.verdictDir;
  const scope = new ProxyCtor(createNull(null), {
    has: (_t, k) => typeof k === 'string' && !reserved(k) && (RApply(hasOwnProperty, scopeSource, [k]) as boolean),
    get: (_t, k) => (k === unscopables ? undefined : (scopeSource as any)[k]),
    set: (_t, k, v) => {
      (scopeSource as any)[k] = v;
      return true;
    },
  });
  let counter = 0;
  const write = (nonce: string, ok: boolean, n: number, mac: string) => {
    const opts = createNull(null);
    opts.flag = 'wx';
    opts.mode = 0o600;
    opts.encoding = 'latin1';
    try {
      writeFileSync(verdictDir + '/' + nonce + '.' + n, 'v1 ' + nonce + ' ' + (ok ? '1' : '0') + ' ' + n + ' ' + mac + '\n', opts);
    } catch {
      /* already there, or no room: the grader finds no valid pass */
    }
  };
  const run = async (nonce: string, gradeId: string, js: string): Promise<void> => {
    if (!isNonce(nonce) || typeof gradeId !== 'string' || typeof js !== 'string') throw new TypeError('__gan_verdict__(nonce, gradeId, js): bad arguments');
    let ok = false;
    let failure: unknown;
    try {
      const fn = new AsyncFunction('exports', 'require', '__gan_scope__', 'with (__gan_scope__) {\n' + js + '\n}');
      await RApply(fn, undefined, [createNull(null), req, scope]);
      ok = true;
    } catch (e) {
      failure = e;
    }
    const n = ++counter;
    const msg = nonce + '\n' + gradeId + '\n' + (ok ? '1' : '0') + '\n' + n + '\n' + js;
    write(nonce, ok, n, hmacHex(a, b, utf16le(msg), 2 * msg.length));
    if (!ok) throw failure;
  };
  registered = freeze(run);
  return registered;
}

/** The SHA-256 of a string's UTF-16LE bytes as hex (for tests against Node's crypto). */
export function sha256Utf16Hex(s: string): string {
  const d = sha256(utf16le(s), 2 * s.length);
  let hex = '';
  for (let i = 0; i < 32; i++) hex += HEXES[d[i]];
  return hex;
}

/** HMAC-SHA256 (hex key, UTF-16LE message) as hex, for tests against Node's crypto. */
export function hmacUtf16Hex(keyHex: string, msg: string): string {
  const a = new U8(32);
  const b = new U8(32);
  for (let i = 0; i < 32; i++) b[i] = hexValue(RApply(charCodeAt, keyHex, [2 * i]) as number) * 16 + hexValue(RApply(charCodeAt, keyHex, [2 * i + 1]) as number);
  return hmacHex(a, b, utf16le(msg), 2 * msg.length);
}

freeze(module.exports);
