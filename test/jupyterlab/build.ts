/**
 * Bundles the minimal JupyterLab panel (test/jupyterlab/app) with esbuild into `outDir`
 * (index.html, panel.js, panel.css and assets). Nothing built is committed.
 *
 * vega and vega-lite resolve to the versions JupyterLab 4.6's lock file pins for
 * @jupyterlab/vega5-extension (vega 5.33.0, vega-lite 5.6.1: the devDependencies `vega5` and
 * `vega-lite5`), not to the course's vega 6 nor to whatever 5.x npm nests.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

export async function buildPanelApp(outDir: string): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  const r = await esbuild.build({
    entryPoints: [path.join(__dirname, 'app', 'index.ts')],
    outfile: path.join(outDir, 'panel.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
    nodePaths: [path.join(ROOT, 'node_modules')],
    alias: {
      vega: path.join(ROOT, 'node_modules', 'vega5'),
      'vega-lite': path.join(ROOT, 'node_modules', 'vega-lite5'),
    },
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.gif': 'dataurl', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file' },
    assetNames: 'assets/[name]-[hash]',
  });
  for (const w of r.warnings) console.log(`# esbuild: ${w.text}`);
  fs.writeFileSync(
    path.join(outDir, 'index.html'),
    `<!doctype html>
<html><head><meta charset="utf-8"><title>course notebook in a JupyterLab panel</title>
<link rel="stylesheet" href="panel.css">
<style>html, body { margin: 0; height: 100%; } #main { position: absolute; inset: 0; }</style>
</head><body class="jp-ThemedContainer" data-jp-theme-light="true"><script src="panel.js"></script></body></html>
`,
  );
}

if (require.main === module) {
  buildPanelApp(process.argv[2] ?? path.join(ROOT, 'build', 'test', 'jupyterlab-app')).then(
    () => console.log('built'),
    (e) => {
      console.error(e.message ?? e);
      process.exit(1);
    },
  );
}
