/**
 * Self-contained training steps of the benchmark's reference models, written directly in
 * tfjs ops (only the optimiser is the library's Adam, the one the course trains with) so that
 * the same computation can be mirrored line by line in PyTorch (torch_reference.py, beside this file)
 * and timed on every backend.
 * One `step()` = one discriminator update and one generator update, with losses read back
 * asynchronously (`await t.data()`, the read that works on every backend, webgpu included).
 *
 *  - mlp:      2D MLP GAN, G and D with 2 hidden layers of 256, leaky ReLU 0.2, batch 256,
 *              BCE-from-logits (non-saturating G), Adam 2e-4, beta1 0.5.
 *  - dcgan:    G dense 100 -> 7x7x64, convT 5x5 s2 -> 32, convT 5x5 s2 -> 1, tanh;
 *              D conv 5x5 s2 32, conv 5x5 s2 64, dense 1; leaky ReLU 0.2; batch 64; same loss/Adam.
 *  - residual: R3GAN-style residual nets at 28x28 (1x1 -> grouped 3x3 -> 1x1 blocks, no
 *              normalisation), relativistic pairing loss with R1 + R2 (double backprop), batch 32.
 *  - gru:      a GRU sequence discriminator (hidden 64) over 24 steps of 4 features against
 *              an MLP sequence generator, batch 64, BCE.
 */
import { tf, adamOptimizer } from 'kernel-helpers';
import type { Optimizer } from 'kernel-helpers';

export type ReferenceModel = 'mlp' | 'dcgan' | 'residual' | 'gru';
export const REFERENCE_MODELS: readonly ReferenceModel[] = ['mlp', 'dcgan', 'residual', 'gru'];

export interface ReferenceStep {
  model: ReferenceModel;
  description: string;
  batch: number;
  /** One D update and one G update; resolves to [lossD, lossG]. */
  step(): Promise<[number, number]>;
  dispose(): void;
}

type Vars = Record<string, tf.Variable>;

/** Every reference model trains with Adam(2e-4, beta1 0.5, beta2 0.999), the library's Adam. */
const LEARNING_RATE = 2e-4;
const adam = () => adamOptimizer({ beta1: 0.5, beta2: 0.999 });

/** Deterministic He-style init: normal * sqrt(2 / fanIn). */
function weight(shape: number[], fanIn: number, seed: number, name: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), Math.sqrt(2 / fanIn)), true, name));
}
function zeros(shape: number[], name: string): tf.Variable {
  return tf.variable(tf.zeros(shape), true, name);
}

let uid = 0;
function scoped(prefix: string): (n: string) => string {
  const id = uid++;
  return (n) => `bench${id}/${prefix}/${n}`;
}

/** Leaky ReLU written with relu so that its double backprop is right (needed by R1/R2). */
function leaky(h: tf.Tensor, a = 0.2): tf.Tensor {
  return tf.sub(tf.relu(h), tf.mul(a, tf.relu(tf.neg(h))));
}

/** BCE with logits: -log sigmoid(t) = softplus(-t), -log(1 - sigmoid(t)) = softplus(t). */
function bceReal(logits: tf.Tensor): tf.Scalar {
  return tf.mean(tf.softplus(tf.neg(logits)));
}
function bceFake(logits: tf.Tensor): tf.Scalar {
  return tf.mean(tf.softplus(logits));
}

function ganStep(
  dVars: tf.Variable[], gVars: tf.Variable[],
  d: (x: tf.Tensor) => tf.Tensor, g: (z: tf.Tensor) => tf.Tensor,
  real: () => tf.Tensor, latent: () => tf.Tensor,
  optD: Optimizer, optG: Optimizer,
  lossD: (d: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor) => tf.Scalar,
  lossG: (d: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor) => tf.Scalar,
): Promise<[number, number]> {
  const update = (opt: Optimizer, vars: tf.Variable[], loss: () => tf.Scalar) => {
    const { value, grads } = tf.variableGrads(loss, vars);
    opt.step(vars, vars.map((v) => grads[v.name]), LEARNING_RATE);
    return value;
  };
  const ld = tf.tidy(() => {
    const x = real();
    const fake = g(latent());
    return update(optD, dVars, () => lossD(d, x, fake));
  });
  const lg = tf.tidy(() => {
    const x = real();
    const z = latent();
    return update(optG, gVars, () => lossG(d, x, g(z)));
  });
  return Promise.all([ld.data(), lg.data()]).then(([a, b]) => {
    tf.dispose([ld, lg]);
    return [a[0], b[0]] as [number, number];
  });
}

const nonSaturating = {
  d: (d: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor) => tf.add(bceReal(d(real)), bceFake(d(fake))) as tf.Scalar,
  g: (d: (x: tf.Tensor) => tf.Tensor, _real: tf.Tensor, fake: tf.Tensor) => bceReal(d(fake)),
};

function finish(model: ReferenceModel, description: string, batch: number, vars: Vars, opts: Optimizer[], step: () => Promise<[number, number]>): ReferenceStep {
  return {
    model, description, batch, step,
    dispose: () => {
      tf.dispose(Object.values(vars));
      for (const o of opts) o.dispose();
    },
  };
}

export function mlpGanStep(batch = 256): ReferenceStep {
  const n = scoped('mlp');
  const H = 256;
  const v: Vars = {
    g0: weight([2, H], 2, 1, n('g0')), gb0: zeros([H], n('gb0')),
    g1: weight([H, H], H, 2, n('g1')), gb1: zeros([H], n('gb1')),
    g2: weight([H, 2], H, 3, n('g2')), gb2: zeros([2], n('gb2')),
    d0: weight([2, H], 2, 4, n('d0')), db0: zeros([H], n('db0')),
    d1: weight([H, H], H, 5, n('d1')), db1: zeros([H], n('db1')),
    d2: weight([H, 1], H, 6, n('d2')), db2: zeros([1], n('db2')),
  };
  const layer = (x: tf.Tensor, w: tf.Variable, b: tf.Variable) => tf.add(tf.matMul(x, w), b);
  const g = (z: tf.Tensor) => layer(tf.leakyRelu(layer(tf.leakyRelu(layer(z, v.g0, v.gb0), 0.2), v.g1, v.gb1), 0.2), v.g2, v.gb2);
  const d = (x: tf.Tensor) => layer(tf.leakyRelu(layer(tf.leakyRelu(layer(x, v.d0, v.db0), 0.2), v.d1, v.db1), 0.2), v.d2, v.db2);
  const optD = adam();
  const optG = adam();
  const dVars = [v.d0, v.db0, v.d1, v.db1, v.d2, v.db2];
  const gVars = [v.g0, v.gb0, v.g1, v.gb1, v.g2, v.gb2];
  const real = () => tf.add(tf.randomNormal([batch, 2], 0, 0.1), tf.mul(2, tf.sign(tf.randomNormal([batch, 2]))));
  const latent = () => tf.randomNormal([batch, 2]);
  return finish('mlp', `2D MLP GAN, 2x256 leaky ReLU, batch ${batch}`, batch, v, [optD, optG],
    () => ganStep(dVars, gVars, d, g, real, latent, optD, optG, nonSaturating.d, nonSaturating.g));
}

export function dcganStep(batch = 64): ReferenceStep {
  const n = scoped('dcgan');
  const Z = 100;
  const v: Vars = {
    g0: weight([Z, 7 * 7 * 64], Z, 11, n('g0')), gb0: zeros([7 * 7 * 64], n('gb0')),
    g1: weight([5, 5, 32, 64], 5 * 5 * 64, 12, n('g1')), gb1: zeros([32], n('gb1')),
    g2: weight([5, 5, 1, 32], 5 * 5 * 32, 13, n('g2')), gb2: zeros([1], n('gb2')),
    d0: weight([5, 5, 1, 32], 25, 14, n('d0')), db0: zeros([32], n('db0')),
    d1: weight([5, 5, 32, 64], 25 * 32, 15, n('d1')), db1: zeros([64], n('db1')),
    d2: weight([7 * 7 * 64, 1], 7 * 7 * 64, 16, n('d2')), db2: zeros([1], n('db2')),
  };
  const g = (z: tf.Tensor) => {
    const b = z.shape[0];
    let h = tf.leakyRelu(tf.add(tf.matMul(z, v.g0), v.gb0), 0.2);
    h = tf.reshape(h, [b, 7, 7, 64]);
    h = tf.leakyRelu(tf.add(tf.conv2dTranspose(h as tf.Tensor4D, v.g1 as tf.Tensor4D, [b, 14, 14, 32], 2, 'same'), v.gb1), 0.2);
    return tf.tanh(tf.add(tf.conv2dTranspose(h as tf.Tensor4D, v.g2 as tf.Tensor4D, [b, 28, 28, 1], 2, 'same'), v.gb2));
  };
  const d = (x: tf.Tensor) => {
    const b = x.shape[0];
    let h = tf.leakyRelu(tf.add(tf.conv2d(x as tf.Tensor4D, v.d0 as tf.Tensor4D, 2, 'same'), v.db0), 0.2);
    h = tf.leakyRelu(tf.add(tf.conv2d(h as tf.Tensor4D, v.d1 as tf.Tensor4D, 2, 'same'), v.db1), 0.2);
    return tf.add(tf.matMul(tf.reshape(h, [b, 7 * 7 * 64]), v.d2), v.db2);
  };
  const optD = adam();
  const optG = adam();
  const dVars = [v.d0, v.db0, v.d1, v.db1, v.d2, v.db2];
  const gVars = [v.g0, v.gb0, v.g1, v.gb1, v.g2, v.gb2];
  const real = () => tf.tanh(tf.randomNormal([batch, 28, 28, 1]));
  const latent = () => tf.randomNormal([batch, Z]);
  return finish('dcgan', `DCGAN 28x28, batch ${batch}`, batch, v, [optD, optG],
    () => ganStep(dVars, gVars, d, g, real, latent, optD, optG, nonSaturating.d, nonSaturating.g));
}

/** Grouped 3x3 conv, 'same' padding: split channels into groups, one conv each. */
function groupedConv(x: tf.Tensor4D, w: tf.Tensor4D[]): tf.Tensor4D {
  const groups = w.length;
  const parts = tf.split(x, groups, 3);
  return tf.concat(parts.map((p, i) => tf.conv2d(p as tf.Tensor4D, w[i], 1, 'same')), 3) as tf.Tensor4D;
}

export function residualR1R2Step(batch = 32): ReferenceStep {
  const n = scoped('residual');
  const Z = 64;
  const groups = 2; // group size 16 at width 32
  let seed = 100;
  const v: Vars = {};
  const mk = (name: string, shape: number[], fanIn: number) => (v[name] = weight(shape, fanIn, seed++, n(name)));
  const block = (prefix: string, c: number) => {
    mk(`${prefix}.in`, [1, 1, c, c], c);
    for (let i = 0; i < groups; i++) mk(`${prefix}.g${i}`, [3, 3, c / groups, c / groups], 9 * c / groups);
    // R3GAN initialises the last conv of a residual branch at (near) zero; a small scale keeps gradients alive here.
    v[`${prefix}.out`] = tf.tidy(() => tf.variable(tf.mul(tf.randomNormal([1, 1, c, c], 0, 1, 'float32', seed++), 0.1 / Math.sqrt(c)), true, n(`${prefix}.out`)));
  };
  const runBlock = (prefix: string, x: tf.Tensor4D) => {
    let h = leaky(tf.conv2d(x, v[`${prefix}.in`] as tf.Tensor4D, 1, 'same')) as tf.Tensor4D;
    h = leaky(groupedConv(h, Array.from({ length: groups }, (_, i) => v[`${prefix}.g${i}`] as tf.Tensor4D))) as tf.Tensor4D;
    return tf.add(x, tf.conv2d(h, v[`${prefix}.out`] as tf.Tensor4D, 1, 'same')) as tf.Tensor4D;
  };
  const C = 32;
  // Generator: dense -> 7x7xC, block, up x2, block, up x2, 3x3 conv -> 1, tanh.
  mk('g.dense', [Z, 7 * 7 * C], Z);
  block('g.b7', C); block('g.b14', C); block('g.b28', C);
  mk('g.out', [3, 3, C, 1], 9 * C);
  // Discriminator: 1x1 stem, block, down x2 (2x2 mean), block, down x2, block, dense -> 1.
  mk('d.stem', [1, 1, 1, C], 1);
  block('d.b28', C); block('d.b14', C); block('d.b7', C);
  mk('d.dense', [7 * 7 * C, 1], 7 * 7 * C);
  const up = (x: tf.Tensor4D) => tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
  const down = (x: tf.Tensor4D) => {
    const [b, h, w, c] = x.shape;
    return tf.mean(tf.reshape(x, [b, h / 2, 2, w / 2, 2, c]), [2, 4]) as tf.Tensor4D;
  };
  const g = (z: tf.Tensor) => {
    const b = z.shape[0];
    let h = tf.reshape(leaky(tf.matMul(z, v['g.dense'])), [b, 7, 7, C]) as tf.Tensor4D;
    h = up(runBlock('g.b7', h));
    h = up(runBlock('g.b14', h));
    h = runBlock('g.b28', h);
    return tf.tanh(tf.conv2d(h, v['g.out'] as tf.Tensor4D, 1, 'same'));
  };
  const d = (x: tf.Tensor) => {
    const b = x.shape[0];
    let h = tf.conv2d(x as tf.Tensor4D, v['d.stem'] as tf.Tensor4D, 1, 'same');
    h = down(runBlock('d.b28', h));
    h = down(runBlock('d.b14', h));
    h = runBlock('d.b7', h);
    return tf.matMul(tf.reshape(h, [b, 7 * 7 * C]), v['d.dense']);
  };
  const gamma = 1;
  const penalty = (dd: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) => {
    const grad = tf.grad((xi: tf.Tensor) => tf.sum(dd(xi)))(x);
    return tf.mul(gamma / 2, tf.mean(tf.sum(tf.square(grad), [1, 2, 3])));
  };
  const lossD = (dd: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor) =>
    tf.addN([tf.mean(tf.softplus(tf.neg(tf.sub(dd(real), dd(fake))))), penalty(dd, real), penalty(dd, fake)]) as tf.Scalar;
  const lossG = (dd: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor) =>
    tf.mean(tf.softplus(tf.neg(tf.sub(dd(fake), dd(real))))) as tf.Scalar;
  const optD = adam();
  const optG = adam();
  const dVars = Object.keys(v).filter((k) => k.startsWith('d.')).map((k) => v[k]);
  const gVars = Object.keys(v).filter((k) => k.startsWith('g.')).map((k) => v[k]);
  const real = () => tf.tanh(tf.randomNormal([batch, 28, 28, 1]));
  const latent = () => tf.randomNormal([batch, Z]);
  return finish('residual', `R3GAN-style residual nets 28x28 (grouped convs, no norm), RpGAN + R1 + R2, batch ${batch}`, batch, v, [optD, optG],
    () => ganStep(dVars, gVars, d, g, real, latent, optD, optG, lossD, lossG));
}

export function gruDiscriminatorStep(batch = 64): ReferenceStep {
  const n = scoped('gru');
  const T = 24;
  const F = 4;
  const Hd = 64;
  const Z = 32;
  const v: Vars = {
    g0: weight([Z, 128], Z, 201, n('g0')), gb0: zeros([128], n('gb0')),
    g1: weight([128, T * F], 128, 202, n('g1')), gb1: zeros([T * F], n('gb1')),
    // Gates z, r, n side by side: input weights [F, 3H], recurrent [H, 3H].
    wx: weight([F, 3 * Hd], F, 203, n('wx')), wh: weight([Hd, 3 * Hd], Hd, 204, n('wh')), bx: zeros([3 * Hd], n('bx')), bh: zeros([3 * Hd], n('bh')),
    d2: weight([Hd, 1], Hd, 205, n('d2')), db2: zeros([1], n('db2')),
  };
  const g = (z: tf.Tensor) => tf.reshape(tf.tanh(tf.add(tf.matMul(tf.leakyRelu(tf.add(tf.matMul(z, v.g0), v.gb0), 0.2), v.g1), v.gb1)), [z.shape[0], T, F]);
  const d = (x: tf.Tensor) => {
    const b = x.shape[0];
    // Input projections of every time step in one product.
    const xp = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [b * T, F]), v.wx), v.bx), [b, T, 3 * Hd]);
    let h: tf.Tensor = tf.zeros([b, Hd]);
    for (let t = 0; t < T; t++) {
      const xt = tf.reshape(tf.slice(xp, [0, t, 0], [b, 1, 3 * Hd]), [b, 3 * Hd]);
      const hp = tf.add(tf.matMul(h, v.wh), v.bh);
      const [xz, xr, xn] = tf.split(xt, 3, 1);
      const [hz, hr, hn] = tf.split(hp, 3, 1);
      const zg = tf.sigmoid(tf.add(xz, hz));
      const rg = tf.sigmoid(tf.add(xr, hr));
      const ng = tf.tanh(tf.add(xn, tf.mul(rg, hn)));
      h = tf.add(tf.mul(tf.sub(1, zg), ng), tf.mul(zg, h));
    }
    return tf.add(tf.matMul(h, v.d2), v.db2);
  };
  const optD = adam();
  const optG = adam();
  const dVars = [v.wx, v.wh, v.bx, v.bh, v.d2, v.db2];
  const gVars = [v.g0, v.gb0, v.g1, v.gb1];
  const phase = tf.tidy(() => tf.reshape(tf.linspace(0, 3, T), [1, T, 1]));
  const real = () => tf.sin(tf.add(tf.mul(phase, tf.randomUniform([batch, 1, F], 1, 2)), tf.randomUniform([batch, 1, F], 0, 6.28)));
  const latent = () => tf.randomNormal([batch, Z]);
  const base = finish('gru', `GRU discriminator (hidden ${Hd}, ${T} steps x ${F} features), MLP generator, batch ${batch}`, batch, v, [optD, optG],
    () => ganStep(dVars, gVars, d, g, real, latent, optD, optG, nonSaturating.d, nonSaturating.g));
  return { ...base, dispose: () => { base.dispose(); phase.dispose(); } };
}

export function referenceStep(model: ReferenceModel): ReferenceStep {
  switch (model) {
    case 'mlp': return mlpGanStep();
    case 'dcgan': return dcganStep();
    case 'residual': return residualR1R2Step();
    case 'gru': return gruDiscriminatorStep();
  }
}
