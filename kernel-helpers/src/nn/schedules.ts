/**
 * Schedules for hyperparameters that change over training (learning rates, the R1/R2 weight
 * gamma): functions of the step (0-based) and the run's total number of steps.
 */
export type Schedule = (step: number, totalSteps: number) => number;

/** A number is a constant schedule. */
export type ScheduleLike = number | Schedule;

export interface RampOptions {
  from: number;
  to: number;
  /** Steps over which to go from `from` to `to` (default: the whole run); constant `to` afterwards. */
  steps?: number;
}

function progress(step: number, total: number, steps: number | undefined): number {
  const span = steps ?? total;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, step / span));
}

function checkFinite(where: string, o: Record<string, number | undefined>): void {
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined && !Number.isFinite(v)) throw new Error(`${where}: ${k} must be a finite number, got ${v}`);
  }
}

function checkSteps(where: string, steps: number | undefined): void {
  if (steps !== undefined && (!Number.isInteger(steps) || steps <= 0)) {
    throw new Error(`${where}: steps must be a positive integer, got ${steps}`);
  }
}

export function constantSchedule(value: number): Schedule {
  checkFinite('constantSchedule', { value });
  return () => value;
}

/** from + (to - from) t, t = step / steps clamped to [0, 1]. */
export function linearSchedule(o: RampOptions): Schedule {
  checkFinite('linearSchedule', { from: o.from, to: o.to });
  checkSteps('linearSchedule', o.steps);
  return (step, total) => o.from + (o.to - o.from) * progress(step, total, o.steps);
}

/** Half-cosine from `from` to `to`: to + (from - to) (1 + cos(pi t)) / 2. */
export function cosineSchedule(o: RampOptions): Schedule {
  checkFinite('cosineSchedule', { from: o.from, to: o.to });
  checkSteps('cosineSchedule', o.steps);
  return (step, total) => o.to + ((o.from - o.to) * (1 + Math.cos(Math.PI * progress(step, total, o.steps)))) / 2;
}

/** Geometric interpolation from^(1-t) to^t: a constant factor per step. Both must be > 0. */
export function exponentialSchedule(o: RampOptions): Schedule {
  checkFinite('exponentialSchedule', { from: o.from, to: o.to });
  checkSteps('exponentialSchedule', o.steps);
  if (o.from <= 0) throw new Error(`exponentialSchedule: from must be > 0, got ${o.from}`);
  if (o.to <= 0) throw new Error(`exponentialSchedule: to must be > 0, got ${o.to}`);
  return (step, total) => o.from * Math.pow(o.to / o.from, progress(step, total, o.steps));
}

/** The schedule for a number or schedule; checks every value it produces is finite and >= `min`. */
export function resolveSchedule(where: string, s: ScheduleLike, min = 0): Schedule {
  if (typeof s === 'number') {
    if (!Number.isFinite(s) || s < min) throw new Error(`${where} must be a finite number >= ${min}, got ${s}`);
    return () => s;
  }
  if (typeof s !== 'function') throw new Error(`${where} must be a number or a schedule function, got ${typeof s}`);
  return (step, total) => {
    const v = s(step, total);
    if (!Number.isFinite(v) || v < min) throw new Error(`${where} gave ${v} at step ${step}; it must be a finite number >= ${min}`);
    return v;
  };
}
