/**
 * Walks a command's arguments: `for (const { name, value } of options(args))`, where
 * `value()` takes the next argument as the option's value (an error names the option when
 * there is none).
 */
export function* options(args: readonly string[]): Generator<{ name: string; value(): string }> {
  for (let i = 0; i < args.length; i++) {
    const name = args[i];
    yield {
      name,
      value: () => {
        const v = args[++i];
        if (v == null) throw new Error(`${name} needs a value`);
        return v;
      },
    };
  }
}
