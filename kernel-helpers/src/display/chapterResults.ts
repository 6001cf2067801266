/**
 * A chapter's results cell: the claims its text makes about full mode, each measured and
 * checked. In full mode every claim is evaluated, shown as a table and any claim that does not
 * hold fails the cell, naming it (so a full-mode run catches a result that no longer holds);
 * in quick mode, too short to show them, the cell says so and checks nothing, and so it does
 * after an interrupt has cut a training loop short in this kernel.
 *
 *   await chapterResults('Chapter 7', () => [
 *     { claim: 'RpGAN + R1 + R2 covers more grid modes than the classic loss', measured: `${a} vs ${b}`, holds: a > b },
 *   ]);
 */
import { loopsWereInterrupted } from '../core/interrupt';
import { isQuick } from '../core/mode';
import { show } from './show';
import { table } from './showable';

export interface Claim {
  /** The claim as the chapter's text states it. */
  claim: string;
  /** What was measured, as shown to the reader. */
  measured: string | number;
  holds: boolean;
}

export async function chapterResults(chapter: string, claims: () => Claim[]): Promise<void> {
  if (isQuick()) {
    console.log(`${chapter}: the results are checked in full mode only (quick mode is too short to show them)`);
    return;
  }
  if (loopsWereInterrupted()) {
    console.log(`${chapter}: the results are not checked: an interrupt cut training short in this kernel (restart it and run all cells to check them)`);
    return;
  }
  const list = claims();
  if (!Array.isArray(list) || list.length === 0) throw new Error(`chapterResults(${chapter}): claims() must return at least one claim`);
  for (const c of list) {
    if (typeof c?.claim !== 'string' || typeof c.holds !== 'boolean') throw new Error(`chapterResults(${chapter}): every claim needs a claim text and a boolean holds, got ${JSON.stringify(c)}`);
  }
  await show(table(list.map((c) => ({ claim: c.claim, measured: c.measured, holds: c.holds ? 'yes' : 'NO' })), { caption: `${chapter}: results in full mode` }));
  const failed = list.filter((c) => !c.holds);
  if (failed.length) {
    throw new Error(`${chapter}: ${failed.length} of ${list.length} claims do not hold:\n${failed.map((c) => `  - ${c.claim} (measured ${c.measured})`).join('\n')}`);
  }
  console.log(`${chapter}: all ${list.length} claims hold`);
}
