#!/usr/bin/env node
// Builds kernel-helpers/native/build/gan_blas.node: the wasm backend's native products
// (OpenBLAS) and patch copies. Optional: without a C compiler, Node's headers or an OpenBLAS
// runtime library it says why and exits 0, and the wasm kernels are used on their own.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, '..', 'native');
const out = path.join(dir, 'build', 'gan_blas.node');

function skip(why) {
  fs.rmSync(out, { force: true });
  console.log(`native BLAS kernels: not built (${why}); the wasm kernels run on their own`);
  process.exit(0);
}

if (process.env.GAN_COURSE_NATIVE_BLAS === '0') skip('GAN_COURSE_NATIVE_BLAS=0');
const headers = [
  process.env.npm_config_nodedir && path.join(process.env.npm_config_nodedir, 'include', 'node'),
  path.resolve(path.dirname(process.execPath), '..', 'include', 'node'),
  '/usr/include/node',
  '/usr/local/include/node',
].filter(Boolean).find((d) => fs.existsSync(path.join(d, 'node_api.h')));
if (!headers) skip("Node's C headers (node_api.h) not found");

function findOpenBlas() {
  if (process.env.GAN_COURSE_OPENBLAS) return fs.existsSync(process.env.GAN_COURSE_OPENBLAS) ? process.env.GAN_COURSE_OPENBLAS : null;
  const ld = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' });
  const hit = (ld.stdout || '').split('\n').map((l) => /libopenblas\w*\.so(\.\d+)?\b.*=>\s*(\S+)/.exec(l)).find((m) => m && fs.existsSync(m[2]));
  if (hit) return hit[2];
  const guesses = ['/usr/lib/x86_64-linux-gnu/libopenblas.so.0', '/usr/lib/aarch64-linux-gnu/libopenblas.so.0', '/usr/lib64/libopenblas.so.0',
    '/opt/homebrew/opt/openblas/lib/libopenblas.dylib', '/usr/local/opt/openblas/lib/libopenblas.dylib'];
  return guesses.find((g) => fs.existsSync(g)) || null;
}
const openblas = findOpenBlas();
if (!openblas) skip('no OpenBLAS library: on Debian/Ubuntu `apt-get install libopenblas0-pthread`');

const cc = process.env.CC || 'cc';
fs.mkdirSync(path.dirname(out), { recursive: true });
const tmp = out.replace(/\.node$/, `.${process.pid}.tmp.node`);
const args = ['-shared', '-fPIC', '-O3', '-std=c99', `-I${headers}`, path.join(dir, 'gan_blas.c'), '-o', tmp, openblas, '-lm',
  ...(process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : [])];
const r = spawnSync(cc, args, { encoding: 'utf8' });
if (r.error || r.status !== 0) {
  fs.rmSync(tmp, { force: true });
  skip(r.error ? `no C compiler '${cc}' (${r.error.code || r.error.message})` : `${cc} failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
}
try {
  const lib = require(tmp);
  if (typeof lib.sgemm !== 'function') throw new Error('sgemm missing');
} catch (e) {
  fs.rmSync(tmp, { force: true });
  skip(`built but does not load: ${e.message}`);
}
fs.renameSync(tmp, out);
console.log(`native BLAS kernels: built with ${openblas}`);
