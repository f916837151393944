// The dashboard's charts (uPlot) and its polling manners. Loaded as a file: the
// Content-Security-Policy allows no script written in the page.
(function () {
  "use strict";

  var COLOURS = { orders: "#c2410c", wait: "#1d4ed8" };
  var HEIGHT = 220;

  function axisValues(unit) {
    var options = unit === "day"
      ? { weekday: "short", day: "numeric" }
      : { hour: "2-digit", minute: "2-digit" };
    var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, options);
    return function (_, ticks) {
      return ticks.map(function (t) { return format.format(new Date(t * 1000)); });
    };
  }

  function draw(element) {
    if (element.dataset.drawn || !window.uPlot) return;
    var chart = JSON.parse(element.dataset.chart);
    var labels = JSON.parse(element.dataset.labels || "{}");
    var bars = uPlot.paths.bars({ size: [0.7, 48] });
    var hasWait = chart.series.some(function (s) { return s.key === "wait"; });
    var series = [{}].concat(chart.series.map(function (s) {
      var colour = COLOURS[s.key] || "#4f5a66";
      return s.key === "wait"
        ? { label: labels[s.key], stroke: colour, width: 3, scale: "min", points: { size: 8 } }
        : { label: labels[s.key], stroke: colour, fill: colour + "cc", paths: bars, points: { show: false } };
    }));
    var axes = [
      { values: axisValues(chart.unit), stroke: "#1b1f24", grid: { stroke: "#0000000f" } },
      { stroke: "#1b1f24", grid: { stroke: "#0000000f" } }
    ];
    if (hasWait) axes.push({ side: 1, scale: "min", stroke: COLOURS.wait, grid: { show: false } });
    var options = {
      width: Math.max(element.clientWidth, 240),
      height: HEIGHT,
      series: series,
      axes: axes,
      scales: { x: { time: false }, y: { range: function (_, min, max) { return [0, Math.max(max, 1) * 1.1]; } } },
      cursor: { show: true, points: { show: false } },
      legend: { show: true }
    };
    var data = [chart.x].concat(chart.series.map(function (s) { return s.values; }));
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
