// Child process of wasm-threads.test.ts: starts wasm with the thread count from the
// environment, runs a conv layer's forward and gradients, prints them as JSON and returns
// (the process must then exit by itself: the pool threads may not keep it alive).
import { tf, initBackend, wasmPoolsStatus } from '../../../kernel-helpers/src/backend';
import { tensor } from './backend-compare';

(async () => {
  const info = await initBackend({ backend: 'wasm', quiet: true });
  const out = tf.tidy(() => {
    const x = tensor([4, 12, 12, 8], 1) as tf.Tensor4D;
    const w = tensor([3, 3, 8, 16], 2) as tf.Tensor4D;
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')));
    const [dx, dw] = tf.grads(f)([x, w]);
    const m = tf.matMul(tensor([300, 200], 3), tensor([200, 100], 4));
    // Small kernels between large ones switch to the single-thread pool and back.
    const small = tf.add(tf.matMul(tensor([8, 4], 5), tensor([4, 3], 6)), 1);
    const m2 = tf.matMul(tensor([300, 200], 3), tensor([200, 100], 4));
    return [f(x, w), dx, dw, m, small, m2].map((t) => Array.from(t.dataSync()));
  });
  process.stdout.write(JSON.stringify({ threads: info.threads, line: info.line, pools: wasmPoolsStatus(), out }) + '\n');
})();
