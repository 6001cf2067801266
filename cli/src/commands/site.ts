/** `gan-course site [--from <dir>] [--out <dir>] [--title <text>]`: the course website. */
import * as path from 'path';
import { ArgError, parseArgs } from '../options';
import { projectRoot } from '../runner';
import { buildSite } from '../site/build';
import { ChosenNotebook, SiteError, courseChapters, notebooksFrom } from '../site/notebooks';

export const summary = 'build the course website (a static site, offline) from the executed notebooks';

const HELP = `usage: gan-course site [--from <dir>] [--out <dir>] [--title <text>]

Builds a static website from the executed chapters: one page per chapter with its outputs,
a contents page, previous/next links, math (MathJax) and interactive charts (Vega-Lite
through vega-embed, Plotly through plotly.js-dist, each with its PNG as the fallback).
Everything the pages load is copied into the site's _static folder: nothing is fetched
when building or viewing it. Open <out>/index.html, or serve the folder with any static
web server (e.g. python3 -m http.server -d build/site).

Built with Jupyter's nbconvert (Debian: jupyter-nbconvert) and the course's template in
site/templates/course; MathJax from Debian's libjs-mathjax.

options:
  --from <dir>   a folder of executed notebooks (NN-*.ipynb): the site has a page for each.
                 Default: every chapter in notebooks/, from its executed copy in
                 build/notebooks (gan-course run's folder; full mode wins) or else
                 build/test/notebooks (npm test's quick-mode copies). The site says which
                 mode each page's outputs come from.
  --out <dir>    where to write the site (default build/site; replaced on a rebuild)
  --title <text> the site's title

Execute the chapters in full mode first:
  gan-course run --out build/notebooks notebooks/*.ipynb`;

export async function main(args: string[]): Promise<number> {
  let from: string | undefined;
  let out: string;
  let title: string | undefined;
  const root = projectRoot();
  try {
    const p = parseArgs(args, ['from', 'out', 'title'], ['help']);
    if (p.flags.has('help')) {
      console.log(HELP);
      return 0;
    }
    if (p.positional.length) throw new ArgError(`unexpected argument ${p.positional[0]} (give a folder of executed notebooks with --from)`);
    from = p.options.get('from');
    out = p.options.get('out') ?? path.join(root, 'build', 'site');
    title = p.options.get('title');
  } catch (e) {
    console.error(`gan-course site: ${(e as Error).message}`);
    return 2;
  }
  try {
    const log = (l: string) => console.log(l);
    const chapters: ChosenNotebook[] = from
      ? notebooksFrom(path.resolve(from))
      : courseChapters(root, [path.join(root, 'build', 'notebooks'), path.join(root, 'build', 'test', 'notebooks')], log);
    for (const c of chapters) console.log(`  ${c.name}: ${c.mode} mode, from ${path.relative(process.cwd(), c.path)}`);
    const r = buildSite({ root, chapters, outDir: out, title, log });
    const nonFull = [...r.modes.quick, ...r.modes.unknown];
    if (nonFull.length === 0) console.log('every page shows full-mode outputs');
    else {
      console.log(`not full mode: ${r.modes.quick.length ? `quick mode for ${r.modes.quick.join(', ')}` : ''}${r.modes.quick.length && r.modes.unknown.length ? '; ' : ''}${r.modes.unknown.length ? `unknown mode for ${r.modes.unknown.join(', ')}` : ''} (the pages say so)`);
    }
    const charts = r.pages.reduce((n, p) => n + p.charts.vegaLite + p.charts.plotly, 0);
    console.log(`site: ${r.pages.length} pages, ${charts} interactive charts, in ${(r.ms / 1000).toFixed(1)} s -> ${path.relative(process.cwd(), path.join(r.outDir, 'index.html'))}`);
    return 0;
  } catch (e) {
    if (e instanceof SiteError) {
      console.error(`gan-course site: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
