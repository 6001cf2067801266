/** A small parser for the grading commands' `--name value` / `--flag` arguments. */
export interface ParsedArgs {
  positional: string[];
  options: Map<string, string>;
  flags: Set<string>;
}

export class ArgError extends Error {}

export function parseArgs(args: string[], valued: string[], flags: string[]): ParsedArgs {
  const out: ParsedArgs = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
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

/** A positive number of seconds from an option, in ms. */
export function secondsOption(p: ParsedArgs, name: string): number | undefined {
  const v = p.options.get(name);
  if (v === undefined) return undefined;
  const s = Number(v);
  if (!Number.isFinite(s) || s <= 0) throw new ArgError(`--${name} must be a number of seconds > 0, got "${v}"`);
  return s * 1000;
}
