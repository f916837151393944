// The dashboard's charts (uPlot) and its polling manners. Loaded as a file: the
// Content-Security-Policy allows no script written in the page.
(function () {
  "use strict";

  var COLOURS = { orders: "#c2410c", wait: "#1d4ed8" };
  var HEIGHT = 220;

  var STEP = { minute: 15 * 60, day: 24 * 60 * 60 };
  var TICK_WIDTH = 72; // pixels a label needs, so that a phone's labels do not overlap

  // Ticks on the points themselves (a bucket, a day), as many as the width holds.
  function splitsOf(xs) {
    return function (plot) {
      var most = Math.max(2, Math.floor(plot.bbox.width / (TICK_WIDTH * devicePixelRatio)));
      var every = Math.max(1, Math.ceil(xs.length / most));
      return xs.filter(function (_, i) { return i % every === 0; });
    };
  }

  function axisValues(unit) {
    var options = unit === "day"
      ? { weekday: "short", day: "numeric", timeZone: "UTC" } // days are UTC midnights
      : { hour: "2-digit", minute: "2-digit" };
    var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, options);
    return function (_, ticks) {
      return ticks.map(function (t) { return format.format(new Date(t * 1000)); });
    };
  }

  function upFromZero(_, min, max) { return [0, Math.max(max || 0, 1) * 1.15]; }

  function draw(element) {
    if (element.dataset.drawn || !window.uPlot) return;
    var chart = JSON.parse(element.dataset.chart);
    var labels = JSON.parse(element.dataset.labels || "{}");
    var bars = uPlot.paths.bars({ size: [0.7, 48] });
    var hasWait = chart.series.some(function (s) {
      return s.key === "wait" && s.values.some(function (v) { return v !== null; });
    });
    var shown = chart.series.filter(function (s) { return s.key !== "wait" || hasWait; });
    var series = [{}].concat(shown.map(function (s) {
      var colour = COLOURS[s.key] || "#4f5a66";
      return s.key === "wait"
        ? { label: labels[s.key], stroke: colour, width: 3, scale: "min", points: { size: 8 } }
        : { label: labels[s.key], stroke: colour, fill: colour + "cc", paths: bars, points: { show: false } };
    }));
    var half = (STEP[chart.unit] || 1) / 2;
    var first = chart.x[0], last = chart.x[chart.x.length - 1];
    var axes = [
      { values: axisValues(chart.unit), splits: splitsOf(chart.x), stroke: "#1b1f24", grid: { stroke: "#0000000f" } },
      { stroke: "#1b1f24", grid: { stroke: "#0000000f" } }
    ];
    if (hasWait) axes.push({ side: 1, scale: "min", stroke: COLOURS.wait, grid: { show: false } });
    var options = {
      width: Math.max(element.clientWidth, 240),
      height: HEIGHT,
      series: series,
      axes: axes,
      scales: { x: { time: false, range: function () { return [first - half, last + half]; } }, y: { range: upFromZero },
        min: { range: upFromZero }
      },
      cursor: { show: true, points: { show: false } },
      legend: { show: true, live: false }
    };
    var data = [chart.x].concat(shown.map(function (s) { return s.values; }));
    element.dataset.drawn = "1";
    element._plot = new uPlot(options, data, element);
  }

  function drawAll(root) {
    root.querySelectorAll(".dash-chart-plot[data-chart]").forEach(draw);
  }

  function start() {
    drawAll(document);
    if (window.htmx) htmx.onLoad(drawAll);
    // A poll that would replace what someone is typing in waits for the next one.
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var source = event.detail.elt;
      var polling = event.detail.requestConfig && event.detail.requestConfig.verb === "get";
      if (polling && source.contains(document.activeElement) && document.activeElement !== source) {
        event.preventDefault();
      }
    });
    var resizing;
    window.addEventListener("resize", function () {
      clearTimeout(resizing);
      resizing = setTimeout(function () {
        document.querySelectorAll(".dash-chart-plot[data-chart]").forEach(function (element) {
          if (element._plot) element._plot.setSize({ width: Math.max(element.clientWidth, 240), height: HEIGHT });
        });
      }, 150);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
