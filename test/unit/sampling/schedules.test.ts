import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANNEALING_SCHEDULES, annealingSchedule, checkSchedule } from '../../../kernel-helpers/src/sampling/schedules';

function assertSchedule(b: Float64Array, length: number, label: string) {
  assert.ok(b instanceof Float64Array, label);
  assert.equal(b.length, length, `${label}: length`);
  assert.equal(b[0], 0, `${label}: starts at exactly 0`);
  assert.equal(b[length - 1], 1, `${label}: ends at exactly 1`);
  for (let t = 1; t < length; t++) assert.ok(b[t] > b[t - 1], `${label}: beta[${t}] = ${b[t]} <= beta[${t - 1}] = ${b[t - 1]}`);
}

test('every kind: T + 2 betas, exactly 0 and 1 at the ends, strictly increasing; T = 0 gives [0, 1]', () => {
  for (const kind of ANNEALING_SCHEDULES) {
    for (const T of [1, 2, 7, 200, 5000]) assertSchedule(annealingSchedule(kind, T), T + 2, `${kind} T=${T}`);
    assert.deepEqual(Array.from(annealingSchedule(kind, 0)), [0, 1], kind);
  }
});

test('linear: even spacing t / (T + 1)', () => {
  const b = annealingSchedule('linear', 4);
  for (let t = 0; t < 6; t++) assert.ok(Math.abs(b[t] - t / 5) < 1e-15);
});

test('geometric: beta_1 = start, log-even spacing from start to 1, 0 in front', () => {
  for (const start of [1e-4, 0.01, 0.5]) {
    const T = 9;
    const b = annealingSchedule('geometric', T, { start });
    assert.ok(Math.abs(b[1] / start - 1) < 1e-14, `beta_1 ${b[1]} vs ${start}`);
    const step = Math.log(b[2]) - Math.log(b[1]);
    for (let t = 2; t <= T + 1; t++) {
      assert.ok(Math.abs(Math.log(b[t]) - Math.log(b[t - 1]) - step) < 1e-12, `uneven log step at ${t}`);
    }
    assert.ok(Math.abs(step - -Math.log(start) / T) < 1e-12);
  }
  // the default start is 1e-4
  assert.ok(Math.abs(annealingSchedule('geometric', 3)[1] - 1e-4) < 1e-18);
  // one intermediate distribution: at start itself
  assert.deepEqual(Array.from(annealingSchedule('geometric', 1, { start: 0.25 })), [0, 0.25, 1]);
});

test('sigmoid: symmetric (beta_t + beta_{T+1-t} = 1), the rescaled logistic, denser at the ends', () => {
  for (const T of [1, 6, 101]) {
    for (const delta of [1, 4, 10]) {
      const b = annealingSchedule('sigmoid', T, { delta });
      for (let t = 0; t <= T + 1; t++) assert.ok(Math.abs(b[t] + b[T + 1 - t] - 1) < 1e-12, `T=${T} delta=${delta} t=${t}`);
      const s = (t: number) => 1 / (1 + Math.exp(-delta * ((2 * t) / (T + 1) - 1)));
      for (let t = 0; t <= T + 1; t++) assert.ok(Math.abs(b[t] - (s(t) - s(0)) / (s(T + 1) - s(0))) < 1e-12);
    }
  }
  const b = annealingSchedule('sigmoid', 99);
  assert.ok(b[1] - b[0] < b[51] - b[50], 'the steps are smaller at the ends than in the middle');
  assert.ok(b[100] - b[99] < b[51] - b[50]);
});

test('checkSchedule: a copy as float64; refusals name the index', () => {
  const src = [0, 0.25, 1];
  const c = checkSchedule('ais', src);
  assert.ok(c instanceof Float64Array);
  assert.deepEqual(Array.from(c), src);
  assert.deepEqual(Array.from(checkSchedule('ais', new Float32Array([0, 0.5, 1]))), [0, 0.5, 1]);
  assert.throws(() => checkSchedule('ais', [0, 0.25, 0.5, 0.4, 1]), (e: Error) => e.message === 'ais: schedule[3] must be > schedule[2] (0.5), got 0.4');
  assert.throws(() => checkSchedule('ais', [0, 0.5, 0.5, 1]), /ais: schedule\[2\] must be > schedule\[1\] \(0\.5\), got 0\.5/);
  assert.throws(() => checkSchedule('ais', [0.1, 0.5, 1]), /ais: schedule\[0\] must be 0 .*got 0\.1/);
  assert.throws(() => checkSchedule('ais', [0, 0.5, 0.9]), /ais: schedule\[2\] must be 1 .*got 0\.9/);
  assert.throws(() => checkSchedule('ais', [0, 0.5, 1.5, 1]), /ais: schedule\[2\] must be <= 1, got 1\.5/);
  assert.throws(() => checkSchedule('ais', [0, NaN, 1]), /ais: schedule\[1\] must be a finite number, got NaN/);
  assert.throws(() => checkSchedule('ais', [0]), /ais: schedule must have at least 2 entries .*got 1/);
  assert.throws(() => checkSchedule('ais', []), /got 0/);
  assert.throws(() => checkSchedule('ais', null as unknown as number[]), /ais: schedule must be an array/);
});

test('annealingSchedule refuses an unknown kind, a bad count and bad options', () => {
  assert.throws(() => annealingSchedule('cosine' as never, 3), /annealingSchedule: kind must be one of 'linear', 'geometric', 'sigmoid', got "cosine"/);
  assert.throws(() => annealingSchedule('linear', -1), /annealingSchedule: intermediate must be an integer >= 0, got -1/);
  assert.throws(() => annealingSchedule('linear', 2.5), /intermediate must be an integer >= 0, got 2\.5/);
  assert.throws(() => annealingSchedule('geometric', 3, { start: 0 }), /opts\.start must be a number in \(0, 1\), got 0/);
  assert.throws(() => annealingSchedule('geometric', 3, { start: 1 }), /opts\.start must be a number in \(0, 1\), got 1/);
  assert.throws(() => annealingSchedule('sigmoid', 3, { delta: -2 }), /opts\.delta must be a finite number > 0, got -2/);
  assert.throws(() => annealingSchedule('sigmoid', 3, { detla: 2 } as never), /unknown option 'detla'/);
  // a logistic so steep that neighbouring betas coincide in float64 is caught, not returned
  assert.throws(() => annealingSchedule('sigmoid', 100000, { delta: 700 }), /annealingSchedule: schedule\[\d+\] must be > schedule/);
});
