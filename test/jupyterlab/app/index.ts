/**
 * A minimal JupyterLab notebook panel for the course's browser test (test/jupyterlab/panel.test.ts).
 *
 * Built from JupyterLab 4.6's own npm packages: a ServiceManager talking to the local notebook
 * server (REST + kernel websocket, token auth), a NotebookPanel with JupyterLab's default
 * rendermime factories plus the vega5 extension's and jupyterlab-plotly's renderers. It opens
 * the notebook named by `?path=` through the contents API, runs every cell through the
 * notebook's kernel when asked, and records what the test checks:
 *   - every image/png the kernel sent (iopub), so that a PNG the front end wrote into an output
 *     (the vega renderer's write-back) is told apart from the course's own;
 *   - every OutputModel.setData call that changed an output's image/png (a re-render loop shows
 *     as many of them);
 *   - cell errors.
 * The test drives it through `window.__panel` (see the PanelApi interface below).
 */
import '@jupyterlab/theme-light-extension/style/variables.css';
import '@jupyterlab/notebook/style/index.js';
import '@jupyterlab/vega5-extension/style/index.js';

import { CodeMirrorEditorFactory, CodeMirrorMimeTypeService, EditorExtensionRegistry, EditorLanguageRegistry, EditorThemeRegistry, ybinding } from '@jupyterlab/codemirror';
import { Context, DocumentRegistry } from '@jupyterlab/docregistry';
import { createMarkdownParser } from '@jupyterlab/markedparser-extension';
import { INotebookModel, NotebookActions, NotebookModelFactory, NotebookPanel, NotebookWidgetFactory, StaticNotebook } from '@jupyterlab/notebook';
import { OutputModel, RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import { ServerConnection, ServiceManager } from '@jupyterlab/services';
import { rendererFactory as vegaRendererFactory } from '@jupyterlab/vega5-extension';
import { Widget } from '@lumino/widgets';
// The renderer module only: jupyterlab-plotly's index also pulls in its ipywidgets FigureWidget.
// @ts-ignore: the package ships no type declarations
import { rendererFactory as plotlyRendererFactory } from 'jupyterlab-plotly/lib/plotly-renderer.js';

interface PngWrite {
  /** index of the cell whose output changed, -1 when not found */
  cell: number;
  /** base64 length of the new PNG (0: empty or missing) */
  length: number;
  /** whether the new PNG is one the kernel sent */
  fromKernel: boolean;
  /** the new PNG's size in pixels, from its header (0x0 when unreadable) */
  w: number;
  h: number;
  at: number;
}

export interface PanelApi {
  state: 'loading' | 'ready' | 'running' | 'done' | 'failed';
  error: string | null;
  /** the kernel's PNGs (whitespace removed), from display_data/update_display_data/execute_result */
  kernelPngs: Set<string>;
  pngWrites: PngWrite[];
  iopubDisplays: number;
  cellsDone: number;
  cellCount: number;
  runAll(): void;
  save(): Promise<void>;
  shutdown(): Promise<void>;
  /** the current model's notebook JSON */
  toJSON(): any;
  panel: NotebookPanel;
}

const strip = (s: unknown) => (typeof s === 'string' ? s.replace(/\s/g, '') : Array.isArray(s) ? s.join('').replace(/\s/g, '') : '');

function pngSize(b64: string): { w: number; h: number } {
  try {
    const b = atob(b64.slice(0, 32));
    const u32 = (o: number) => ((b.charCodeAt(o) << 24) | (b.charCodeAt(o + 1) << 16) | (b.charCodeAt(o + 2) << 8) | b.charCodeAt(o + 3)) >>> 0;
    return b.slice(1, 4) === 'PNG' ? { w: u32(16), h: u32(20) } : { w: 0, h: 0 };
  } catch {
    return { w: 0, h: 0 };
  }
}

function editorFactory(): { factory: CodeMirrorEditorFactory; languages: EditorLanguageRegistry } {
  const languages = new EditorLanguageRegistry();
  for (const lang of EditorLanguageRegistry.getDefaultLanguages()) {
    if (['typescript', 'javascript', 'markdown'].includes(lang.name.toLowerCase())) languages.addLanguage(lang);
  }
  const themes = new EditorThemeRegistry();
  for (const theme of EditorThemeRegistry.getDefaultThemes()) themes.addTheme(theme);
  const extensions = new EditorExtensionRegistry();
  for (const ext of EditorExtensionRegistry.getDefaultExtensions({ themes })) extensions.addExtension(ext);
  // The editor shows and edits the cell's shared model (as JupyterLab's own setup does).
  extensions.addExtension({
    name: 'shared-model-binding',
    factory: (options) => {
      const shared = options.model.sharedModel as any;
      return EditorExtensionRegistry.createImmutableExtension(ybinding({ ytext: shared.ysource, undoManager: shared.undoManager ?? undefined }));
    },
  });
  return { factory: new CodeMirrorEditorFactory({ extensions, languages }), languages };
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const path = params.get('path') ?? '';
  const token = params.get('token') ?? '';
  const baseUrl = `${location.origin}/`;
  // JupyterLab first offers the kernel websocket subprotocol v1.kernel.websocket.jupyter.org
  // (jupyter_server 2, which JupyterLab 4 runs on, accepts it) and reconnects without it when
  // that fails. The classic Notebook 6 server does not answer subprotocols, so the first attempt
  // would log a failed handshake: connect without them, as the second attempt does.
  class PlainWebSocket extends WebSocket {
    constructor(url: string | URL) {
      super(url);
    }
  }
  const serverSettings = ServerConnection.makeSettings({
    baseUrl, wsUrl: baseUrl.replace(/^http/, 'ws'), token, appendToken: true, WebSocket: PlainWebSocket as typeof WebSocket,
  });

  // The classic Notebook server has no event bus (/api/events) and no identity API (/api/me):
  // stand-ins keep JupyterLab's managers from polling endpoints that are not there.
  const neverReady = new Promise<void>(() => undefined);
  const events: any = { isDisposed: false, stream: { connect: () => false, disconnect: () => false }, emit: async () => undefined, dispose() {} };
  const user: any = {
    isDisposed: false, isReady: false, ready: neverReady, identity: null, permissions: null,
    userChanged: { connect: () => false, disconnect: () => false }, connectionFailure: { connect: () => false, disconnect: () => false },
    refreshUser: async () => undefined, dispose() {}, serverSettings,
  };
  const manager = new ServiceManager({ serverSettings, events, user });

  const { factory, languages } = editorFactory();
  const rendermime = new RenderMimeRegistry({ initialFactories: standardRendererFactories, markdownParser: createMarkdownParser(languages) });
  // Ranks as the extensions register them in JupyterLab (vega5 57, plotly 0; image/png is 90).
  rendermime.addFactory(vegaRendererFactory, 57);
  rendermime.addFactory(plotlyRendererFactory, 0);

  const api: PanelApi = {
    state: 'loading', error: null, kernelPngs: new Set(), pngWrites: [], iopubDisplays: 0, cellsDone: 0, cellCount: 0,
    runAll: () => undefined, save: async () => undefined, shutdown: async () => undefined, toJSON: () => null, panel: undefined as any,
  };
  (window as any).__panel = api;

  // Every setData that changes an output's image/png (the renderers' PNG write-back).
  const setData = OutputModel.prototype.setData;
  OutputModel.prototype.setData = function (this: OutputModel, options: any) {
    const before = strip(this.data['image/png']);
    setData.call(this, options);
    const after = strip(this.data['image/png']);
    if (after !== before) {
      const cells = api.panel ? [...api.panel.content.widgets] : [];
      const cell = cells.findIndex((c: any) => {
        if (c.model.type !== 'code') return false;
        for (let i = 0; i < c.model.outputs.length; i++) if (c.model.outputs.get(i) === this) return true;
        return false;
      });
      const { w, h } = pngSize(after);
      api.pngWrites.push({ cell, length: after.length, fromKernel: api.kernelPngs.has(after), w, h, at: Date.now() });
    }
  };

  const registry = new DocumentRegistry();
  const modelFactory = new NotebookModelFactory({});
  registry.addModelFactory(modelFactory);
  const widgetFactory = new NotebookWidgetFactory({
    name: 'Notebook', modelName: 'notebook', fileTypes: ['notebook'], defaultFor: ['notebook'], preferKernel: true, canStartKernel: true,
    rendermime, contentFactory: new NotebookPanel.ContentFactory({ editorFactory: factory.newInlineEditor }),
    mimeTypeService: new CodeMirrorMimeTypeService(languages),
    // Every cell rendered (no windowing), so that every chart draws where the test can see it.
    notebookConfig: { ...StaticNotebook.defaultNotebookConfig, windowingMode: 'none' },
  });
  registry.addWidgetFactory(widgetFactory);

  const context = new Context<INotebookModel>({
    manager, factory: modelFactory, path,
    kernelPreference: { shouldStart: true, canStart: true, autoStartDefault: false },
  });
  const panel = widgetFactory.createNew(context);
  api.panel = panel;
  panel.id = 'main';
  Widget.attach(panel, document.body);
  window.addEventListener('resize', () => panel.update());

  await context.initialize(false);
  await context.sessionContext.ready;
  const kernel = context.sessionContext.session?.kernel;
  if (!kernel) throw new Error(`no kernel started for ${path}`);
  kernel.iopubMessage.connect((_, msg: any) => {
    const t = msg.header.msg_type;
    if (t === 'display_data' || t === 'update_display_data' || t === 'execute_result') {
      api.iopubDisplays++;
      const png = strip(msg.content?.data?.['image/png']);
      if (png) api.kernelPngs.add(png);
    }
  });
  api.cellCount = panel.content.widgets.length;
  NotebookActions.executed.connect(() => {
    api.cellsDone++;
  });
  api.runAll = () => {
    api.state = 'running';
    NotebookActions.runAll(panel.content, context.sessionContext).then(
      (ok) => {
        api.state = ok ? 'done' : 'failed';
        if (!ok) api.error = firstError(panel) ?? 'a cell failed';
      },
      (e) => {
        api.state = 'failed';
        api.error = String(e?.stack ?? e);
      },
    );
  };
  api.save = () => context.save();
  api.shutdown = () => context.sessionContext.shutdown();
  api.toJSON = () => context.model.toJSON();
  api.state = 'ready';
}

function firstError(panel: NotebookPanel): string | null {
  const cells = panel.content.widgets;
  for (let i = 0; i < cells.length; i++) {
    const m: any = cells[i].model;
    if (m.type !== 'code') continue;
    for (const o of m.outputs.toJSON()) {
      if (o.output_type === 'error') return `cell ${i}: ${o.ename}: ${o.evalue}`;
    }
  }
  return null;
}

main().catch((e) => {
  const api = (window as any).__panel;
  if (api) {
    api.state = 'failed';
    api.error = String(e?.stack ?? e);
  }
  console.error('panel app failed:', e);
});
