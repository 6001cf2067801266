import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../kernel-helpers/src/backend';
import { batchNorm, composeNet, copyState, createEma, dense, leafNet, sequential, activationLayer, parameterCount, Net } from '../../../kernel-helpers/src/nn';
import { train } from '../../../kernel-helpers/src/gan/train';
import { tensor, useBackend } from '../backend/backend-compare';

before(async () => {
  await useBackend('cpu');
});

/** A leaf that counts its training calls in a state variable and adds the count to x. */
function counter(name: string): Net {
  return leafNet({
    name,
    variables: [tf.variable(tf.scalar(1))],
    state: [tf.variable(tf.scalar(0), false)],
    forward(v, x, opts, state) {
      if (opts.training) state[0].assign(tf.tidy(() => tf.add(state[0], 1)));
      return tf.tidy(() => tf.add(tf.mul(x, v[0]), state[0]));
    },
  });
}

const read = (vs: readonly tf.Variable[]) => vs.map((v) => Array.from(v.dataSync()));

test('leafNet passes its own state to forward; a clone gets copies with the same values', () => {
  const a = counter('a');
  const x = tf.zeros([1, 1]);
  tf.dispose([a.apply(x, { training: true }), a.apply(x, { training: true })]);
  assert.deepEqual(read(a.state!), [[2]]);
  assert.equal(parameterCount(a), 1, 'the state is not a parameter');
  const b = a.clone!('b');
  assert.deepEqual(read(b.state!), [[2]]);
  assert.ok(!b.state![0].trainable && b.state![0] !== a.state![0]);
  tf.dispose(b.apply(x, { training: true }));
  assert.deepEqual(read(b.state!), [[3]]);
  assert.deepEqual(read(a.state!), [[2]], "the clone's updates stay its own");
  assert.equal(b.apply(x).dataSync()[0], 3, "the clone's forward uses the clone's state");
  a.dispose!();
  b.dispose!();
  assert.ok(a.state![0].isDisposed && b.state![0].isDisposed);
  assert.deepEqual(leafNet({ name: 'l', variables: [], forward: (_v, x) => x }).state, []);
  tf.dispose(x);
});

test('composeNet and sequential: state is the parts\' state in order, parts are exposed, clones copy it', () => {
  const p = counter('p');
  const q = counter('q');
  const inner = sequential('inner', [q, activationLayer('relu')]);
  const net = composeNet({
    name: 'net',
    parts: [p, inner] as const,
    forward: ([a, b], x, opts) => tf.tidy(() => b.apply(a.apply(x, opts), opts)),
  });
  assert.deepEqual(net.parts, [p, inner]);
  assert.deepEqual(net.state, [p.state![0], q.state![0]]);
  const x = tf.zeros([2, 1]);
  tf.dispose(net.apply(x, { training: true }));
  tf.dispose(q.apply(x, { training: true }));
  assert.deepEqual(read(net.state!), [[1], [2]]);
  const c = net.clone!('c');
  assert.deepEqual(read(c.state!), [[1], [2]]);
  assert.equal(c.parts!.length, 2);
  assert.ok(c.state!.every((s, i) => s !== net.state![i]));
  copyState('test', c, net);
  tf.dispose(c.apply(x, { training: true }));
  assert.deepEqual(read(net.state!), [[1], [2]]);
  assert.deepEqual(read(c.state!), [[2], [3]]);
  copyState('test', c, net);
  assert.deepEqual(read(net.state!), [[2], [3]], 'copyState copies values');
  assert.throws(() => copyState('ema', p, net), /ema: net has 2 state variables and p has 1; they must have the same architecture/);
  net.dispose!();
  c.dispose!();
  assert.ok(q.state![0].isDisposed, 'dispose reaches the parts\' state');
  tf.dispose(x);
});

test('EMA: weights are averaged, state is copied from the training net at every update', () => {
  const G = sequential('G', [counter('g0'), counter('g1')]);
  const ema = createEma(G, 0.5, { warmup: false });
  const z = tf.zeros([1, 1]);
  tf.dispose(G.apply(z, { training: true }));
  G.variables.forEach((v) => v.assign(tf.tidy(() => tf.add(v, 2))));
  ema.update();
  assert.deepEqual(read(ema.net.state!), [[1], [1]]);
  assert.deepEqual(read(ema.net.variables), [[2], [2]], '0.5 x 1 + 0.5 x 3');
  tf.dispose([G.apply(z, { training: true }), G.apply(z, { training: true })]);
  ema.update();
  assert.deepEqual(read(ema.net.state!), [[3], [3]]);
  tf.dispose(z);
  ema.dispose();
  G.dispose!();
});

test('train: batch-norm statistics update once per training apply, and the EMA copy carries them across resume', async () => {
  const G = sequential('G', [dense({ inUnits: 2, units: 4, seed: 1 }), batchNorm({ channels: 4, name: 'G/bn' }), activationLayer('relu'), dense({ inUnits: 4, units: 2, seed: 2 })]);
  const D = sequential('D', [dense({ inUnits: 2, units: 4, seed: 3 }), batchNorm({ channels: 4, name: 'D/bn' }), activationLayer('softplus'), dense({ inUnits: 4, units: 1, seed: 4 })]);
  let seed = 0;
  const cfg = {
    generator: G,
    discriminator: D,
    sampleReal: (n: number) => tensor([n, 2], ++seed),
    sampleLatent: (n: number) => tensor([n, 2], 1000 + ++seed),
    batchSize: 8,
    ema: 0.9,
    penalties: { r1: 1 },
    stopOnInterrupt: false,
    logEvery: 1,
  };
  const count = (n: Net) => n.state![2].dataSync()[0];
  const first = await train({ ...cfg, steps: 2, dSteps: 2, keepState: true });
  // G: one training pass per discriminator update and one in the generator update.
  assert.equal(count(G), 2 * (2 + 1));
  // D: the real batch (inside R1's input gradient: once) and the fake batch per D update, one fake batch per G update.
  assert.equal(count(D), 2 * (2 * 2 + 1));
  const ema = first.emaGenerator!;
  assert.deepEqual(read(ema.state!), read(G.state!));
  const z = tensor([3, 2], 7);
  assert.deepEqual(ema.apply(z).shape, [3, 2], 'the EMA generator samples in eval mode');
  const second = await train({ ...cfg, steps: 1, dSteps: 1, resume: first.state });
  assert.equal(second.emaGenerator, ema);
  assert.equal(count(G), 6 + 2);
  assert.deepEqual(read(ema.state!), read(G.state!));
  second.state!.dispose();
  ema.dispose!();
  tf.dispose(z);
  G.dispose!();
  D.dispose!();
});
