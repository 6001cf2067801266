/**
 * The one argument parser of the `gan-course` commands: `--name value`, `--name=value`,
 * `--flag`, and positional arguments. Each command declares which options take a value and
 * which are flags; anything else is an error that lists what is known. `-h` means `--help`.
 */
export class ArgError extends Error {}

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string>;
  flags: Set<string>;
}

export function parseArgs(args: readonly string[], valued: readonly string[], flags: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] === '-h' ? '--help' : args[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (valued.includes(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new ArgError(`--${name} needs a value`);
        out.options.set(name, v);
      } else if (flags.includes(name) && eq < 0) out.flags.add(name);
      else throw new ArgError(`unknown option ${a} (known: ${[...valued.map((v) => `--${v} <value>`), ...flags.map((f) => `--${f}`)].join(', ')})`);
    } else out.positional.push(a);
  }
  return out;
}

/** The value of the first of `names` that was given (for aliases such as --model/--models). */
export function optionValue(p: ParsedArgs, ...names: string[]): string | undefined {
  for (const n of names) if (p.options.has(n)) return p.options.get(n);
  return undefined;
}

/** A positive number of seconds from an option, in ms. */
export function secondsOption(p: ParsedArgs, name: string): number | undefined {
  const v = p.options.get(name);
  if (v === undefined) return undefined;
  const s = Number(v);
  if (!Number.isFinite(s) || s <= 0) throw new ArgError(`--${name} must be a number of seconds > 0, got "${v}"`);
  return s * 1000;
}

/** An integer in [min, max] from an option. */
export function integerOption(p: ParsedArgs, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = p.options.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ArgError(`--${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`}, got "${v}"`);
  }
  return n;
}

/** A comma-separated list of names from `valid`. */
export function listOption<T extends string>(p: ParsedArgs, names: string[], valid: readonly T[]): T[] | undefined {
  const v = optionValue(p, ...names);
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !(valid as readonly string[]).includes(s));
  if (bad.length || !items.length) throw new ArgError(`--${names[0]}: unknown '${bad.join(',') || v}'; valid: ${valid.join(', ')}`);
  return items as T[];
}
