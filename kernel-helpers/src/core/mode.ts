/**
 * Quick vs full mode. `GAN_COURSE_QUICK=1` (set by `gan-course run --quick`, or by hand under
 * any Jupyter) selects every notebook's short configuration.
 */
export type CourseMode = 'quick' | 'full';

export function courseMode(): CourseMode {
  const v = (process.env.GAN_COURSE_QUICK ?? '').trim().toLowerCase();
  return v === '' || v === '0' || v === 'false' || v === 'no' ? 'full' : 'quick';
}

export function isQuick(): boolean {
  return courseMode() === 'quick';
}

/** Picks the configuration of the current mode: `byMode({ quick: 200, full: 5000 })`. */
export function byMode<T>(choices: { quick: T; full: T }): T {
  return choices[courseMode()];
}

/**
 * A title or caption for a result that quick mode is too short to show: in quick mode it
 * says so ("... (quick mode: not converged)"), in full mode it is the title unchanged.
 */
export function quickModeNote(title: string): string {
  return isQuick() ? `${title} (quick mode: not converged)` : title;
}
