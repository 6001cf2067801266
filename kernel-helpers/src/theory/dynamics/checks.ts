/** Argument checks for the simulators: clear errors naming the argument. */
export function checkStepSize(who: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new Error(`${who}: ${name} must be a finite step size > 0, got ${v}`);
}

export function checkSteps(who: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${who}: ${name} must be a non-negative integer, got ${n}`);
}

export function checkFinite(who: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${who}: ${name} must be a finite number, got ${v}`);
}

export function checkPenalty(who: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${who}: ${name} must be a finite number >= 0, got ${v}`);
}
