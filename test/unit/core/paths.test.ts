import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { courseDataFile, courseRoot, libraryRoot } from '../../../kernel-helpers/src/core/paths';

test('the course root holds the notebooks, data and the library, from src/ and from dist/', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  assert.equal(courseRoot(), root);
  assert.equal(libraryRoot(), path.join(root, 'kernel-helpers'));
  for (const p of ['notebooks', 'data', 'kernel-helpers']) assert.ok(fs.existsSync(path.join(courseRoot(), p)), p);
  const built = path.join(root, 'kernel-helpers', 'dist', 'core', 'paths.js');
  if (fs.existsSync(built)) assert.equal((require(built) as { courseRoot(): string }).courseRoot(), root);
  else console.log(`# skipped the dist/ half: ${built} is not built (npm run build)`);
});

test('courseDataFile stays inside data/', () => {
  assert.equal(courseDataFile('digit-classifier.json'), path.join(courseRoot(), 'data', 'digit-classifier.json'));
  assert.ok(fs.existsSync(courseDataFile('digit-classifier.json')));
  for (const bad of ['', '../package.json', '/etc/passwd', 'a/../../b']) assert.throws(() => courseDataFile(bad), /name must be a file name inside data/);
});
