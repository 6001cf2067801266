/**
 * The gradients the course registers over tfjs-core's (LeakyRelu's twice-differentiable
 * one), and a guard that keeps them in force.
 *
 * tfjs keeps one gradient per kernel name in a registry shared by every copy of tfjs-core
 * in the process, and the last registration wins. `@tensorflow/tfjs-layers` registers every
 * tfjs-core gradient again when it loads, so requiring it after this library silently puts
 * tfjs-core's LeakyRelu gradient back, and R1/R2/WGAN-GP through `tf.leakyRelu` then
 * throw ("gradient function not found for Greater"). `ensureCourseGradients()` notices
 * that and registers the course's gradients again; the library calls it where they matter
 * (`initBackend()`, and every input gradient the penalties take, which `train()` uses).
 */
import * as tf from '@tensorflow/tfjs-core';

const courseGradients = new Map<string, tf.GradConfig>();

/** Registers `config` as a course gradient: registered now, and restored by `ensureCourseGradients()`. */
export function registerCourseGradient(config: tf.GradConfig): void {
  courseGradients.set(config.kernelName, config);
  tf.registerGradient(config);
}

/** Kernel names whose registered gradient is no longer the course's. */
export function replacedCourseGradients(): string[] {
  return [...courseGradients].filter(([name, config]) => tf.getGradient(name) !== config).map(([name]) => name);
}

let reported = false;

/**
 * Registers again any course gradient that something else replaced (loading
 * `@tensorflow/tfjs-layers` does) and says so in one line, the first time only. Returns
 * the kernel names it restored (usually none). Cheap: one registry lookup per gradient.
 */
export function ensureCourseGradients(): string[] {
  const replaced = replacedCourseGradients();
  for (const name of replaced) tf.registerGradient(courseGradients.get(name)!);
  if (replaced.length > 0 && !reported) {
    reported = true;
    console.warn(
      `kernel-helpers: the gradient of ${replaced.join(', ')} had been replaced after the course installed its own ` +
        '(loading @tensorflow/tfjs-layers re-registers every tfjs-core gradient); the course\'s twice-differentiable ' +
        'one is back in force, so R1/R2/WGAN-GP through tf.leakyRelu work.',
    );
  }
  return replaced;
}
