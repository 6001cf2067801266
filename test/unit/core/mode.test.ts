import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { byMode, courseMode, quickModeNote } from '../../../kernel-helpers/src/core/mode';
import { formatTable } from '../../../kernel-helpers/src/display/textTable';

function withQuick<T>(value: string | undefined, f: () => T): T {
  const old = process.env.GAN_COURSE_QUICK;
  if (value === undefined) delete process.env.GAN_COURSE_QUICK;
  else process.env.GAN_COURSE_QUICK = value;
  try {
    return f();
  } finally {
    if (old === undefined) delete process.env.GAN_COURSE_QUICK;
    else process.env.GAN_COURSE_QUICK = old;
  }
}

test('the mode follows GAN_COURSE_QUICK, and byMode picks its configuration', () => {
  for (const [v, mode] of [[undefined, 'full'], ['', 'full'], ['0', 'full'], ['false', 'full'], ['1', 'quick'], ['yes', 'quick']] as const) {
    withQuick(v, () => {
      assert.equal(courseMode(), mode, `GAN_COURSE_QUICK=${v}`);
      assert.equal(byMode({ quick: 'q', full: 'f' }), mode === 'quick' ? 'q' : 'f');
    });
  }
});

test('quickModeNote labels results quick mode cannot show, and leaves full mode alone', () => {
  assert.equal(withQuick('1', () => quickModeNote('Modes hit')), 'Modes hit (quick mode: not converged)');
  assert.equal(withQuick(undefined, () => quickModeNote('Modes hit')), 'Modes hit');
});

test('a table caption sits above the table in both renderings', () => {
  const t = formatTable([{ a: 1, b: 2 }], { caption: 'quick mode: not converged' });
  assert.ok(t.plain.startsWith('quick mode: not converged\n'));
  assert.ok(t.markdown.startsWith('*quick mode: not converged*\n\n| a | b |'));
  assert.equal(formatTable([{ a: 1 }]).markdown.split('\n')[0], '| a |');
});
