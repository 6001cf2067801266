/**
 * Interop: Jupyter's own executor (nbconvert + nbclient, as packaged by Debian) runs the
 * course through the registered kernelspec (JUPYTER_PATH=.jupyter-local), and the saved
 * chart outputs carry both the rich MIME type and the image/png fallback.
 * Skips, saying why, when `jupyter nbconvert` is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, 'build', 'test', 'interop');
const LOCAL = path.join(ROOT, '.jupyter-local');
const env = { ...process.env, JUPYTER_PATH: [LOCAL, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter), GAN_COURSE_QUICK: '1' };
const RICH = ['application/vnd.vegalite.v5+json', 'application/vnd.plotly.v1+json'];

const version = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8', env });
const missing =
  version.error || version.status !== 0
    ? 'jupyter nbconvert is not installed (Debian: apt-get install jupyter-nbconvert python3-nbclient)'
    : !fs.existsSync(path.join(LOCAL, 'kernels', 'tslab', 'kernel.json'))
      ? 'the kernelspec is not installed (run: node cli/dist/main.js kernel install)'
      : null;
if (missing) console.log(`# interop skipped: ${missing}`);

function nbconvert(input: string, timeoutS: number): { status: number | null; out: string; file: string } {
  fs.mkdirSync(OUT, { recursive: true });
  const r = spawnSync(
    'jupyter',
    ['nbconvert', '--to', 'notebook', '--execute', `--ExecutePreprocessor.timeout=${timeoutS}`, '--output-dir', OUT, input],
    { encoding: 'utf8', env, timeout: (timeoutS + 120) * 1000 },
  );
  return { status: r.status, out: `${r.stdout}\n${r.stderr}`, file: path.join(OUT, path.basename(input)) };
}

const streams = (nb: any) =>
  nb.cells
    .flatMap((c: any) => c.outputs ?? [])
    .filter((o: any) => o.output_type === 'stream')
    .map((o: any) => (Array.isArray(o.text) ? o.text.join('') : o.text))
    .join('');

test('nbconvert runs a tslab notebook through the kernelspec and sees the quick-mode variable', { skip: missing ?? false }, () => {
  const r = nbconvert(path.join(ROOT, 'test', 'notebooks', 'ok.ipynb'), 60);
  assert.equal(r.status, 0, r.out);
  const nb = JSON.parse(fs.readFileSync(r.file, 'utf8'));
  assert.equal(streams(nb), 'double 42\nquick=1\n22\n');
});

test('nbconvert fails on a failing tslab cell (the kernel reports the error in execute_reply)', { skip: missing ?? false }, () => {
  const r = nbconvert(path.join(ROOT, 'test', 'notebooks', 'fails.ipynb'), 60);
  assert.notEqual(r.status, 0);
  assert.match(r.out, /boom in cell 1|CellExecutionError/);
});

test('notebook 00 executes under nbconvert, and its charts carry the rich type and image/png', { skip: missing ?? false }, () => {
  const input = path.join(ROOT, 'notebooks', '00-start-here.ipynb');
  assert.ok(fs.existsSync(input), `${input} is missing`);
  const r = nbconvert(input, 300);
  assert.equal(r.status, 0, r.out);
  const nb = JSON.parse(fs.readFileSync(r.file, 'utf8'));
  assert.match(streams(nb), /quick/, 'the notebook states its mode');
  const bundles = nb.cells.flatMap((c: any) => c.outputs ?? []).filter((o: any) => o.output_type === 'display_data').map((o: any) => o.data);
  const charts = bundles.filter((d: any) => RICH.some((m) => m in d));
  assert.ok(charts.length > 0, 'no display_data output with a rich chart type');
  for (const d of charts) {
    const rich = RICH.filter((m) => m in d).join(', ');
    assert.ok(typeof d['image/png'] === 'string', `a ${rich} output has no image/png fallback`);
    const png = Buffer.from(d['image/png'].replace(/\s/g, ''), 'base64');
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `the ${rich} output's image/png is not a PNG`);
    assert.ok(png.length > 1000, `the ${rich} output's PNG is suspiciously small (${png.length} bytes)`);
    assert.ok(!('text/html' in d) && !('image/svg+xml' in d), `a ${rich} output carries HTML/SVG that would win over the PNG`);
    assert.ok('text/plain' in d, `a ${rich} output has no text/plain`);
  }
  const kinds = new Set(charts.flatMap((d: any) => RICH.filter((m) => m in d)));
  console.log(`# notebook 00 under nbconvert: ${charts.length} chart outputs (${[...kinds].join(', ')}), each with image/png`);
});
