/**
 * The notebooks' metadata is what Jupyter itself writes on opening them with the course's
 * kernel (the registered kernelspec and tslab's language_info), so a notebook that was only
 * opened is not "modified".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { KernelSession } from '../../../cli/src/runner/kernel-session';
import { kernelSpec, NOTEBOOK_METADATA } from '../../../cli/src/runner/kernelspec';

const DIR = path.join(__dirname, '..', '..', '..', 'notebooks');

test('every notebook carries exactly the metadata Jupyter writes for the tslab kernel', () => {
  for (const f of fs.readdirSync(DIR).filter((n) => n.endsWith('.ipynb')).sort()) {
    const nb = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));
    assert.deepEqual(nb.metadata, NOTEBOOK_METADATA, `${f}: metadata (the kernelspec's display name is ${NOTEBOOK_METADATA.kernelspec.display_name})`);
  }
});

test('NOTEBOOK_METADATA matches the registered kernelspec and the live kernel_info reply', async () => {
  const spec = kernelSpec();
  assert.equal(NOTEBOOK_METADATA.kernelspec.display_name, spec.display_name);
  assert.equal(NOTEBOOK_METADATA.kernelspec.language, spec.language);
  const k = await KernelSession.launch({ cwd: DIR });
  try {
    assert.deepEqual(k.kernelInfo?.language_info, NOTEBOOK_METADATA.language_info);
  } finally {
    await k.shutdown();
  }
});
