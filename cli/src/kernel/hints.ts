/**
 * One-line hints under the compiler errors a course notebook most often meets, which tslab
 * prints bare: a name an earlier cell declares (cells run out of order, or after a kernel
 * restart) and the library not found (a notebook outside the course folder, or no build).
 */
export function hintFor(diagnostic: string): string | null {
  if (/Cannot find module 'kernel-helpers'/.test(diagnostic)) {
    return "hint: 'kernel-helpers' is the course's library: open the notebook inside the course folder (notebooks/, or a folder made by `gan-course student`) after `npm run build`";
  }
  const name = /Cannot find name '([^']+)'/.exec(diagnostic);
  if (name && !/^(require|process|console|Buffer)$/.test(name[1])) {
    return `hint: '${name[1]}' is not declared yet: if an earlier cell declares it, run the cells above this one first (Run > Run All Above)`;
  }
  return null;
}

/**
 * Adds the hints to a console.error: each hint once per cell (a cell is told apart by the
 * stdout writer tslab installs for each execution).
 */
export function withHints(error: (...args: unknown[]) => void, format: (...args: unknown[]) => string): (...args: unknown[]) => void {
  let cell: unknown = null;
  const given = new Set<string>();
  return (...args: unknown[]) => {
    error(...args);
    const hint = hintFor(format(...args));
    if (!hint) return;
    if (process.stdout.write !== cell) {
      cell = process.stdout.write;
      given.clear();
    }
    if (given.has(hint)) return;
    given.add(hint);
    error(hint);
  };
}
