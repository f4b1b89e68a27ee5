// Time-series charts on dygraphs (the library embedded from Debian's libjs-dygraphs 2.2.1).
import { display, formatTime } from "./time.js";
import { format } from "./units.js";

const palette = [
  "#5794f2", "#73bf69", "#f2cc0c", "#ff780a", "#f2495c", "#b877d9", "#8ab8ff", "#96d98d",
  "#ffee52", "#ffb357", "#ff7383", "#ca95e5", "#3274d9", "#37872d", "#e0b400", "#fa6400",
];
const severityColor = { failure: "#e02f44", warning: "#ff9830", okay: "#56a64b" };

/**
 * Turns InfluxDB result series into chart lines: one per (series, value column), labelled
 * by `label(series, column)`; values may be scaled by `scale`.
 */
export function linesFromSeries(seriesList, label, scale = 1) {
  const lines = [];
  for (const s of seriesList) {
    const timeIndex = s.columns.indexOf("time");
    if (timeIndex < 0) continue;
    s.columns.forEach((column, index) => {
      if (index === timeIndex) return;
      const points = [];
      for (const row of s.values || []) {
        const v = row[index];
        points.push([row[timeIndex], typeof v === "number" ? v * scale : null]);
      }
      lines.push({ label: label(s, column), points });
    });
  }
  return lines;
}

/** Rows for dygraphs: [Date, v1, v2, …] over the union of the lines' timestamps. */
function rowsOf(lines) {
  const index = new Map();
  const rows = [];
  lines.forEach((line, i) => {
    for (const [t, v] of line.points) {
      let row = index.get(t);
      if (!row) {
        row = new Array(lines.length + 1).fill(null);
        row[0] = t;
        index.set(t, row);
        rows.push(row);
      }
      row[i + 1] = v;
    }
  });
  rows.sort((a, b) => a[0] - b[0]);
  for (const row of rows) row[0] = new Date(row[0]);
  return rows;
}

/** Finite values among the lines (what the chart actually has to draw). */
export function countPoints(lines) {
  let n = 0;
  for (const line of lines) for (const [, v] of line.points) if (v !== null && Number.isFinite(v)) n += 1;
  return n;
}

/**
 * Draws `lines` into `element` (replacing an earlier chart there) and returns the Dygraph.
 * Options: unit, decimals, stacked, fill, range {from,to}, notes [{time, severity, text}].
 */
export function drawChart(element, lines, options = {}) {
  if (element._dygraph) { element._dygraph.destroy(); element._dygraph = null; }
  const points = countPoints(lines);
  element.dataset.points = String(points);
  element.dataset.lines = String(lines.length);
  if (points === 0) {
    element.textContent = "no data in this range";
    element.classList.add("nodata");
    return null;
  }
  element.textContent = "";
  element.classList.remove("nodata");
  const unit = options.unit;
  const notes = options.notes || [];
  const graph = new Dygraph(element, rowsOf(lines), {
    labels: ["time", ...lines.map((l) => l.label)],
    colors: lines.map((_, i) => palette[i % palette.length]),
    stackedGraph: !!options.stacked,
    fillGraph: !!options.fill || !!options.stacked,
    fillAlpha: options.stacked ? 0.35 : 0.1,
    connectSeparatedPoints: true,
    strokeWidth: 1.2,
    labelsUTC: display.utc,
    legend: "onmouseover",
    labelsSeparateLines: true,
    labelsKMB: false,
    highlightCircleSize: 2,
    dateWindow: options.range ? [options.range.from, options.range.to] : undefined,
    includeZero: options.min === 0,
    axes: {
      x: { valueFormatter: (ms) => formatTime(ms) },
      y: {
        valueFormatter: (v) => format(v, unit, options.decimals),
        axisLabelFormatter: (v) => format(v, unit),
        axisLabelWidth: 70,
      },
    },
    underlayCallback: notes.length === 0 ? undefined : (ctx, area, g) => {
      for (const note of notes) {
        const x = g.toDomXCoord(note.time);
        if (x < area.x || x > area.x + area.w) continue;
        ctx.strokeStyle = severityColor[note.severity] || "#888";
        ctx.lineWidth = 1.5;
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(x, area.y);
        ctx.lineTo(x, area.y + area.h);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    },
    drawCallback: (g, initial) => { if (initial) element.dataset.drawn = "1"; },
  });
  element.dataset.notes = String(notes.length);
  element._dygraph = graph;
  return graph;
}

/**
 * A small line of `values` (nulls skipped) on a canvas `w` × `h` CSS pixels; no axes. Size and
 * colour are given, not read from the page: reading them would force a layout per canvas.
 */
export function drawSparkline(canvas, values, { w, h, color }) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(w * ratio);
  canvas.height = Math.round(h * ratio);
  const ctx = canvas.getContext("2d");
  ctx.scale(ratio, ratio);
  const finite = values.filter((v) => v !== null && Number.isFinite(v));
  canvas.dataset.points = String(finite.length);
  if (finite.length === 0) return;
  let min = Math.min(...finite), max = Math.max(...finite);
  if (max === min) { max += 1; min -= 1; }
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  let drawing = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) { drawing = false; return; }
    const x = values.length === 1 ? w / 2 : (i / (values.length - 1)) * (w - 2) + 1;
    const y = h - 2 - ((v - min) / (max - min)) * (h - 4);
    if (drawing) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    drawing = true;
  });
  ctx.stroke();
}
