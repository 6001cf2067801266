/*
 * The course website's charts: every .course-chart holds its spec (a Vega-Lite spec or a
 * Plotly figure, as the notebook stored it) in a <script type="application/json">, and the
 * output's PNG. Vega-Lite is drawn by vega-embed, Plotly by plotly.js-dist (both served
 * from _static/); once a chart has drawn, its PNG is hidden. A chart that cannot draw keeps
 * its PNG and says why on the console.
 *
 * window.courseCharts lists { kind, el, ok, error } per chart; document.body's
 * data-charts="done" is set when every chart has drawn or failed, and data-math="done" when
 * MathJax has typeset the page (for the site's browser test, and for anyone scripting it).
 */
(function () {
  'use strict';
  var charts = [];
  window.courseCharts = charts;

  function webglAvailable() {
    try {
      var c = document.createElement('canvas');
      return !!(c.getContext('webgl') || c.getContext('experimental-webgl'));
    } catch (e) {
      return false;
    }
  }

  var GL_TRACES = { surface: 1, mesh3d: 1, scatter3d: 1, cone: 1, streamtube: 1, volume: 1, isosurface: 1, scattergl: 1 };

  function drawVegaLite(live, spec) {
    if (typeof window.vegaEmbed !== 'function') return Promise.reject(new Error('vega-embed is not loaded'));
    // The course writes its specs with vega-lite 6 and labels them v5 for JupyterLab; the
    // site draws them with vega-lite 6, so the v5 $schema would only cause a version warning.
    var s = Object.assign({}, spec);
    delete s.$schema;
    return window.vegaEmbed(live, s, { mode: 'vega-lite', actions: { export: true, source: false, compiled: false, editor: false } }).then(function (res) {
      var w = res.view.width(), h = res.view.height();
      var node = live.querySelector('canvas, svg');
      var box = node ? node.getBoundingClientRect() : { width: 0, height: 0 };
      if (!node || box.width === 0 || box.height === 0) throw new Error('vega-embed drew a ' + w + 'x' + h + ' view with no visible canvas');
      return res;
    });
  }

  function drawPlotly(live, fig) {
    if (typeof window.Plotly === 'undefined') return Promise.reject(new Error('plotly.js is not loaded'));
    var data = fig.data || [];
    var needsGl = data.some(function (t) { return GL_TRACES[t.type]; });
    if (needsGl && !webglAvailable()) return Promise.reject(new Error('this browser has no WebGL, which Plotly needs for ' + data.map(function (t) { return t.type; }).join(', ')));
    var config = Object.assign({ displaylogo: false, responsive: true }, fig.config || {});
    return window.Plotly.newPlot(live, data, fig.layout || {}, config).then(function (gd) {
      if (!gd.querySelector('svg.main-svg')) throw new Error('Plotly drew no svg');
      return gd;
    });
  }

  function draw(el) {
    var kind = el.getAttribute('data-kind');
    var live = el.querySelector('.course-chart-live');
    var entry = { kind: kind, el: el, ok: null, error: null };
    charts.push(entry);
    var p;
    try {
      var spec = JSON.parse(el.querySelector('script.course-chart-spec').textContent);
      p = kind === 'vega-lite' ? drawVegaLite(live, spec) : kind === 'plotly' ? drawPlotly(live, spec) : Promise.reject(new Error('unknown chart kind ' + kind));
    } catch (e) {
      p = Promise.reject(e);
    }
    return p.then(
      function () {
        entry.ok = true;
        el.classList.add('course-chart-drawn');
      },
      function (err) {
        entry.ok = false;
        entry.error = String((err && err.message) || err);
        el.classList.add('course-chart-failed');
        live.textContent = '';
        console.error('course chart ' + charts.indexOf(entry) + ' (' + kind + ') did not draw, showing its PNG: ' + entry.error);
      }
    );
  }

  function start() {
    var els = Array.prototype.slice.call(document.querySelectorAll('.course-chart'));
    // One chart after another: a page of many charts stays responsive while they draw.
    els.reduce(function (prev, el) { return prev.then(function () { return draw(el); }); }, Promise.resolve()).then(function () {
      document.body.setAttribute('data-charts', 'done');
    });
    if (window.MathJax && window.MathJax.Hub) {
      window.MathJax.Hub.Queue(function () { document.body.setAttribute('data-math', 'done'); });
    } else {
      document.body.setAttribute('data-math', 'none');
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
