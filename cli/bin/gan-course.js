#!/usr/bin/env node
/**
 * The `gan-course` command that npm links into node_modules/.bin (cli/package.json "bin").
 *
 * It is a committed JavaScript file, not the compiled cli/dist/main.js, because npm links a
 * workspace's bins before the root's `prepare` script builds dist/, and it silently skips a
 * bin whose file does not exist yet: `npx gan-course` then fails on a fresh `npm ci` with
 * "could not determine executable to run". This launcher always exists; it runs the built
 * CLI, and where dist/ is missing (a clone installed with --ignore-scripts, a deleted dist/)
 * it says so and builds the course first with `npm run build`.
 *
 * GAN_COURSE_NO_AUTOBUILD=1: do not build, only say what to run.
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const CLI_DIR = path.join(__dirname, '..');

/** The compiled entry point of the CLI in `cliDir`. */
function entryPoint(cliDir) {
  return path.join(cliDir, 'dist', 'main.js');
}

/** Runs `npm run build` in the course root (through the npm that runs us, if known); true on success. */
function npmBuild(root, env = process.env) {
  const npmCli = env.npm_execpath && /npm-cli\.js$/.test(env.npm_execpath) ? env.npm_execpath : null;
  const [cmd, args] = npmCli ? [process.execPath, [npmCli, 'run', 'build']] : ['npm', ['run', 'build']];
  // The build's output goes to stderr so that a command's own stdout (JSON, say) stays clean.
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', process.stderr, process.stderr], shell: process.platform === 'win32' && !npmCli });
  return !r.error && r.status === 0;
}

/**
 * Runs the CLI with `argv`; resolves to the exit code when the CLI could not be started
 * (it sets process.exitCode itself otherwise, and resolves to undefined).
 * Options (for tests): cliDir, env, log (one line to the user), build(root) -> boolean.
 */
async function launch(argv, options = {}) {
  const cliDir = options.cliDir || CLI_DIR;
  const root = path.dirname(cliDir);
  const env = options.env || process.env;
  const log = options.log || ((line) => process.stderr.write(`${line}\n`));
  const build = options.build || ((r) => npmBuild(r, env));
  const entry = entryPoint(cliDir);
  const shown = path.relative(process.cwd(), entry) || entry;
  if (!fs.existsSync(entry)) {
    if (env.GAN_COURSE_NO_AUTOBUILD === '1') {
      log(`gan-course: the CLI is not built (${shown} is missing): run \`npm run build\` in ${root} (\`npm ci\` does it too)`);
      return 1;
    }
    log(`gan-course: the CLI is not built yet (${shown} is missing); building the course first with \`npm run build\` in ${root} ...`);
    if (!build(root) || !fs.existsSync(entry)) {
      log(`gan-course: the build failed (its errors are above); fix them, run \`npm run build\` in ${root}, then the command again`);
      return 1;
    }
    log('gan-course: built; running the command');
  }
  // eslint-disable-next-line global-require
  const cli = require(entry);
  if (typeof cli.cliMain !== 'function') {
    log(`gan-course: ${shown} is from an older build: run \`npm run build\` in ${root}`);
    return 1;
  }
  await cli.cliMain(argv);
  return undefined;
}

module.exports = { launch, entryPoint, npmBuild };

if (require.main === module) {
  launch(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`gan-course: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
