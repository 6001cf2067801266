import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chapterResults } from '../../../kernel-helpers/src/display/chapterResults';

async function inMode<T>(quick: boolean, f: () => Promise<T>): Promise<T> {
  const old = process.env.GAN_COURSE_QUICK;
  if (quick) process.env.GAN_COURSE_QUICK = '1';
  else delete process.env.GAN_COURSE_QUICK;
  try {
    return await f();
  } finally {
    if (old === undefined) delete process.env.GAN_COURSE_QUICK;
    else process.env.GAN_COURSE_QUICK = old;
  }
}

test('full mode: holding claims pass, a failing one fails the cell and is named', async () => {
  await inMode(false, () => chapterResults('Chapter X', () => [{ claim: 'a > b', measured: '2 > 1', holds: true }]));
  await assert.rejects(
    inMode(false, () => chapterResults('Chapter X', () => [
      { claim: 'a > b', measured: '2 > 1', holds: true },
      { claim: 'c covers every mode', measured: '7 / 8', holds: false },
    ])),
    /Chapter X: 1 of 2 claims do not hold:\n {2}- c covers every mode \(measured 7 \/ 8\)/,
  );
  await assert.rejects(inMode(false, () => chapterResults('Chapter X', () => [])), /at least one claim/);
});

test('quick mode: nothing is evaluated, the cell says why', async () => {
  let evaluated = false;
  await inMode(true, () => chapterResults('Chapter X', () => {
    evaluated = true;
    return [{ claim: 'never', measured: 0, holds: false }];
  }));
  assert.equal(evaluated, false);
});
