// Preloaded (node --require) into the course's test processes by scripts/run-unit-tests.js
// and `gan-course test`: drops TensorFlow.js's
//   "Hi, looks like you are running TensorFlow.js in Node.js. To speed things up
//    dramatically, install our node backend ..."
// banner, which @tensorflow/tfjs-backend-cpu prints through console.warn on the first
// tensor of every process that uses the cpu backend. initBackend() already turns it off for
// the notebooks (and says which backend runs); tests that call tf.setBackend('cpu')
// themselves printed it once per test file. Every other warning passes through unchanged.
'use strict';
const BANNER = 'Hi, looks like you are running TensorFlow.js in Node.js';
const warn = console.warn;
console.warn = function warnWithoutTfjsBanner(...args) {
  if (args.length === 1 && typeof args[0] === 'string' && args[0].includes(BANNER)) return;
  return warn.apply(this, args);
};
