/**
 * Schedules for hyperparameters that change over training (learning rates, the R1/R2 weight
 * gamma): functions of the step (0-based) and the run's total number of steps.
 */
import { checkFinite, checkPositive, checkPositiveInt } from '../core/args';

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

/** The options of a ramp from `from` to `to`: finite ends, `steps` a positive integer when given. */
function checkRamp(who: string, name: string, o: RampOptions): void {
  checkFinite(who, `${name}.from`, o.from);
  checkFinite(who, `${name}.to`, o.to);
  if (o.steps !== undefined) checkPositiveInt(who, `${name}.steps`, o.steps);
}

export function constantSchedule(value: number): Schedule {
  checkFinite('constantSchedule', 'value', value);
  return () => value;
}

/** from + (to - from) t, t = step / steps clamped to [0, 1]. */
export function linearSchedule(o: RampOptions): Schedule {
  checkRamp('linearSchedule', 'opts', o);
  return (step, total) => o.from + (o.to - o.from) * progress(step, total, o.steps);
}

/** Half-cosine from `from` to `to`: to + (from - to) (1 + cos(pi t)) / 2. */
export function cosineSchedule(o: RampOptions): Schedule {
  checkRamp('cosineSchedule', 'opts', o);
  return (step, total) => o.to + ((o.from - o.to) * (1 + Math.cos(Math.PI * progress(step, total, o.steps)))) / 2;
}

/** Geometric interpolation from^(1-t) to^t: a constant factor per step. Both must be > 0. */
export function exponentialSchedule(o: RampOptions): Schedule {
  checkRamp('exponentialSchedule', 'opts', o);
  checkPositive('exponentialSchedule', 'opts.from', o.from);
  checkPositive('exponentialSchedule', 'opts.to', o.to);
  return (step, total) => o.from * Math.pow(o.to / o.from, progress(step, total, o.steps));
}

/**
 * The schedule for a number or schedule; checks every value it produces is finite and >= `min`.
 * `resolveSchedule(who, name, s, min?)`, as every check of the library.
 */
export function resolveSchedule(who: string, name: string, s: ScheduleLike, min = 0): Schedule {
  const where = `${who}: ${name}`;
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
