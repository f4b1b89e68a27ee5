// Time ranges, Grafana-like $__interval and time formatting (UTC or local).

export const presets = { "15m": 15 * 60e3, "1h": 3600e3, "6h": 6 * 3600e3, "24h": 86400e3, "7d": 7 * 86400e3 };

/** Resolves the selected range to absolute milliseconds [from, to]. */
export function resolveRange(range, now = Date.now()) {
  if (range.kind === "custom") return { from: range.from, to: range.to };
  return { from: now - presets[range.preset], to: now };
}

/** `time >= …ms and time <= …ms`, Grafana's $timeFilter. */
export function timeFilter({ from, to }) {
  return `time >= ${Math.floor(from)}ms and time <= ${Math.ceil(to)}ms`;
}

const niceSteps = [
  1e3, 2e3, 5e3, 10e3, 15e3, 20e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1200e3, 1800e3,
  3600e3, 7200e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3, 86400e3, 7 * 86400e3,
];

/**
 * GROUP BY interval for a chart `pixels` wide, as Grafana's $__interval: about one point per
 * pixel, rounded up to a round step, never below `minimum` (collectd's 10 s by default).
 */
export function intervalFor({ from, to }, pixels, minimum = 10e3) {
  const raw = Math.max((to - from) / Math.max(pixels, 1), minimum);
  for (const step of niceSteps) if (step >= raw) return step;
  return Math.ceil(raw / 86400e3) * 86400e3;
}

/** InfluxQL duration text for milliseconds. */
export function durationText(ms) {
  if (ms % 86400e3 === 0) return `${ms / 86400e3}d`;
  if (ms % 3600e3 === 0) return `${ms / 3600e3}h`;
  if (ms % 60e3 === 0) return `${ms / 60e3}m`;
  if (ms % 1e3 === 0) return `${ms / 1e3}s`;
  return `${ms}ms`;
}

export const display = { utc: false };

function pad(n, w = 2) { return String(n).padStart(w, "0"); }

/** `2026-11-30 12:04:05` in the chosen zone. */
export function formatTime(ms) {
  const d = new Date(ms);
  if (display.utc) {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `5 s ago`, `3 min ago`, … */
export function ago(ms, now = Date.now()) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** Value for an `<input type=datetime-local>` in the chosen zone. */
export function toInputValue(ms) {
  const d = new Date(ms);
  if (display.utc) return d.toISOString().slice(0, 16);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromInputValue(text) {
  if (!text) return NaN;
  return display.utc ? Date.parse(text + ":00Z") : new Date(text).getTime();
}
