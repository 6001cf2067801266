#!/usr/bin/env node
/**
 * `gan-course <command> [args...]`. Each command is a module in `commands/` exporting
 * `summary` (one line for the help) and `main(args): Promise<number>` (the exit code).
 */
import * as fs from 'fs';
import * as path from 'path';

export interface Command {
  summary: string;
  main(args: string[]): Promise<number>;
}

function commandNames(): string[] {
  const dir = path.join(__dirname, 'commands');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function load(name: string): Command {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(path.join(__dirname, 'commands', name)) as Command;
}

function help(): void {
  console.log('usage: gan-course <command> [options]\n\ncommands:');
  for (const name of commandNames()) console.log(`  ${name.padEnd(10)} ${load(name).summary}`);
  console.log('\n`gan-course <command> --help` describes one command.');
}

/** Runs one command line (without `node` and the script); resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    help();
    return name ? 0 : 2;
  }
  const names = commandNames();
  if (!names.includes(name)) {
    console.error(`gan-course: unknown command '${name}'. Known commands: ${names.join(', ')}.`);
    return 2;
  }
  return load(name).main(args);
}

/**
 * The process's entry point: runs the command line and sets the exit code, turning an
 * unexpected error into one line. `node cli/dist/main.js` and the `gan-course` launcher
 * (cli/bin/gan-course.js, which npm links as the bin) both call it.
 */
export function cliMain(argv: string[] = process.argv.slice(2)): Promise<void> {
  return run(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(`gan-course: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) void cliMain();
