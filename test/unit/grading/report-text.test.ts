import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstErrorLine } from '../../../cli/src/grading/error-text';
import { gradebookCsv } from '../../../cli/src/grading/gradebook';

test('firstErrorLine picks the thrown error out of a tslab report', () => {
  const report = [
    '/work/main/kernel-helpers/dist/exercises/check.js:41',
    '    throw new CheckError(message);',
    '    ^',
    '',
    'CheckError: mean([1, 2, 3]): expected 2, got 6 (difference 4)',
    '    at fail (/work/main/kernel-helpers/dist/exercises/check.js:41:11)',
  ].join('\n');
  assert.equal(firstErrorLine(report), 'CheckError: mean([1, 2, 3]): expected 2, got 6 (difference 4)');
  assert.equal(firstErrorLine('1:13 - Cannot find name \'f\'.\n3:1 - \';\' expected.\n'), "TypeScript error at 1:13 - Cannot find name 'f'.; 3:1 - ';' expected.");
  assert.equal(firstErrorLine("evalmachine.<anonymous>:3\n  x\n  ^\n\nTypeError [ERR_X]: bad thing\n    at y"), 'TypeError [ERR_X]: bad thing');
  assert.equal(firstErrorLine('something odd\nlast words\n'), 'last words');
  assert.equal(firstErrorLine(undefined), '');
});

test('gradebookCsv quotes commas, quotes and newlines', () => {
  const csv = gradebookCsv([
    { student: 'ada', notebook: 'a.ipynb', exercise: 'e1', points: 1.5, max: 2, status: 'failed', message: 'expected "2", got 1,5\nsee', flagged: true },
  ]);
  assert.equal(csv, 'student,notebook,exercise,points,max,status,message,flagged\r\nada,a.ipynb,e1,1.5,2,failed,"expected ""2"", got 1,5\nsee",true\r\n');
});
