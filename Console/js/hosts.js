// Hosts view: one row per host with its current figures and a sparkline of each over the range.
import { series } from "./api.js";
import { intervalFor, durationText, timeFilter, ago, formatTime } from "./time.js";
import { format } from "./units.js";
import { drawSparkline } from "./chart.js";

/** Points per sparkline. */
const sparkPoints = 60;
/** A host is stale after this many of its intervals without a value. */
const staleIntervals = 3;
/** Assumed collectd interval when a host's cannot be measured (collectd's default). */
const defaultInterval = 10e3;
/** How far back the latest samples of each host are looked for. */
const spacingWindow = 15 * 60e3;

const columns = [
  { key: "host", label: "Host", numeric: false },
  { key: "seen", label: "Last seen", numeric: true },
  { key: "cpu", label: "CPU busy", numeric: true, unit: "percent" },
  { key: "mem", label: "Memory used", numeric: true, unit: "percent" },
  { key: "load", label: "Load 1", numeric: true, unit: "short", decimals: 2 },
  { key: "rx", label: "Rx", numeric: true, unit: "bps" },
  { key: "tx", label: "Tx", numeric: true, unit: "bps" },
];

/** The queries of the view, all bounded by the range and grouped by host. */
export function hostQueries(range, interval) {
  const tf = timeFilter(range);
  const iv = durationText(interval);
  const net = (m) => `SELECT non_negative_derivative(mean("value"), 1s) * 8 FROM "${m}" WHERE "type" = 'if_octets' AND "instance" != 'lo' AND ${tf} GROUP BY time(${iv}), "host", "instance" fill(none)`;
  return {
    hosts: `SHOW TAG VALUES WITH KEY = "host"`,
    // Only the range's last 15 minutes: the two latest samples are there for any host that is
    // not stale at an interval up to 5 minutes, and reading a day of them would cost more.
    spacing: `SELECT "value" FROM "load_shortterm" WHERE ${timeFilter({ from: Math.max(range.from, range.to - spacingWindow), to: range.to })} GROUP BY "host" ORDER BY time DESC LIMIT 2`,
    cpu: `SELECT non_negative_derivative(mean("value"), 1s) FROM "cpu_value" WHERE "type" = 'cpu' AND ${tf} GROUP BY time(${iv}), "host", "type_instance" fill(none)`,
    mem: `SELECT mean("value") FROM "memory_value" WHERE "type" = 'memory' AND ${tf} GROUP BY time(${iv}), "host", "type_instance" fill(none)`,
    load: `SELECT mean("value") FROM "load_shortterm" WHERE ${tf} GROUP BY time(${iv}), "host" fill(none)`,
    rx: net("interface_rx"),
    tx: net("interface_tx"),
  };
}

/** Per host, a map window start → accumulator, filled by `add(acc, series, value)`. */
function perHostWindows(seriesList, add) {
  const hosts = new Map();
  for (const s of seriesList) {
    const host = s.tags && s.tags.host;
    if (host === undefined) continue;
    let windows = hosts.get(host);
    if (!windows) hosts.set(host, (windows = new Map()));
    for (const [t, v] of s.values || []) {
      if (typeof v !== "number") continue;
      windows.set(t, add(windows.get(t), s, v));
    }
  }
  return hosts;
}

/**
 * Sparkline values on the common window grid, and the current value: that of the latest
 * complete window (the window still filling would understate a rate), else the latest.
 */
function onGrid(windows, grid, value) {
  const values = new Array(grid.count).fill(null);
  if (windows) {
    for (const [t, acc] of windows) {
      const i = Math.round((t - grid.start) / grid.step);
      if (i >= 0 && i < grid.count) values[i] = value(acc);
    }
  }
  const finite = (i) => values[i] !== null && Number.isFinite(values[i]);
  let now = null;
  for (let i = Math.min(grid.complete, values.length) - 1; i >= 0 && now === null; i--) if (finite(i)) now = values[i];
  for (let i = values.length - 1; i >= 0 && now === null; i--) if (finite(i)) now = values[i];
  return { now, values };
}

/** Builds the rows of the table from the query answers (pure: tested through the browser). */
export function buildRows(answers, range, interval, now = Date.now()) {
  const grid = { start: Math.floor(range.from / interval) * interval, step: interval };
  grid.count = Math.max(1, Math.ceil((range.to - grid.start) / interval));
  grid.complete = Math.floor((range.to - grid.start) / interval);
  const names = new Set();
  for (const s of answers.hosts) for (const [, value] of s.values || []) names.add(value);
  // Last seen and interval from the two latest load samples; a host without the load plugin
  // was last seen in its latest window of any other figure.
  const seen = new Map();
  const spacing = new Map();
  for (const s of answers.spacing) {
    const v = s.values || [];
    if (v.length >= 1) seen.set(s.tags.host, v[0][0]);
    if (v.length >= 2) spacing.set(s.tags.host, Math.abs(v[0][0] - v[1][0]));
  }
  const fromLoad = new Set(seen.keys());
  for (const key of ["cpu", "mem", "rx", "tx"]) {
    for (const s of answers[key]) {
      const host = s.tags && s.tags.host;
      const v = s.values || [];
      if (host === undefined || fromLoad.has(host) || v.length === 0) continue;
      seen.set(host, Math.max(seen.get(host) || 0, v[v.length - 1][0]));
    }
  }
  const cpu = perHostWindows(answers.cpu, (acc = { idle: 0, total: 0 }, s, v) => {
    acc.total += v;
    if (s.tags.type_instance === "idle") acc.idle += v;
    return acc;
  });
  const mem = perHostWindows(answers.mem, (acc = { used: 0, total: 0 }, s, v) => {
    const state = s.tags.type_instance;
    if (state !== "available") acc.total += v;
    if (state === "used") acc.used += v;
    return acc;
  });
  const sum = (acc = 0, s, v) => acc + v;
  const load = perHostWindows(answers.load, sum);
  const rx = perHostWindows(answers.rx, sum);
  const tx = perHostWindows(answers.tx, sum);
  const rows = [];
  for (const host of names) {
    const last = seen.get(host);
    const every = spacing.get(host) || defaultInterval;
    rows.push({
      host,
      seen: last ?? null,
      interval: every,
      stale: last === undefined || now - last > staleIntervals * every,
      cpu: onGrid(cpu.get(host), grid, (a) => (a.total > 0 ? (100 * (a.total - a.idle)) / a.total : null)),
      mem: onGrid(mem.get(host), grid, (a) => (a.total > 0 ? (100 * a.used) / a.total : null)),
      load: onGrid(load.get(host), grid, (a) => a),
      rx: onGrid(rx.get(host), grid, (a) => a),
      tx: onGrid(tx.get(host), grid, (a) => a),
    });
  }
  return rows;
}

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function sortValue(row, key) {
  if (key === "host") return row.host;
  if (key === "seen") return row.seen ?? -Infinity;
  return row[key].now ?? -Infinity;
}

/** Renders the view into `main`; resolves when the visible rows are drawn. */
export async function render(main, app) {
  const range = app.range();
  const interval = intervalFor(range, sparkPoints);
  const queries = hostQueries(range, interval);
  const keys = Object.keys(queries);
  const answers = {};
  const replies = await Promise.all(keys.map((k) => series(queries[k], { db: app.db(), signal: app.signal })));
  keys.forEach((k, i) => { answers[k] = replies[i]; });
  performance.mark("hosts-answered");
  const rows = buildRows(answers, range, interval);
  performance.mark("hosts-rows");
  const params = app.params();
  const state = { sort: params.get("sort") || "host", dir: params.get("dir") || "asc", filter: params.get("filter") || "" };

  main.innerHTML = `
    <h1>Hosts <span class="muted" id="host-count"></span></h1>
    <div class="toolbar">
      <label>Filter <input id="host-filter" type="search" placeholder="host name or /regex/" value="${escapeHTML(state.filter)}" aria-describedby="filter-hint"></label>
      <span class="hint" id="filter-hint">Press / to filter. Stale: silent for more than ${staleIntervals} intervals. Sparklines over the range, ${durationText(interval)} steps.</span>
    </div>
    <div class="table-wrap"><table id="hosts">
      <thead><tr>${columns.map((c) => `<th scope="col" data-key="${c.key}"${c.numeric ? ' class="num"' : ""}><button type="button">${c.label}</button></th>`).join("")}</tr></thead>
      <tbody></tbody>
    </table></div>`;
  const tbody = main.querySelector("tbody");
  const filterInput = main.querySelector("#host-filter");
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      paintRow(entry.target);
    }
  }, { rootMargin: "200px" });
  app.onDestroy(() => observer.disconnect());
  const byHost = new Map(rows.map((r) => [r.host, r]));

  // A row's sparkline canvases are made when it is painted: 5 000 idle canvases would make
  // every layout of a 1 000-host table slow.
  let sparkStyle = null;
  function paintRow(tr) {
    const row = byHost.get(tr.dataset.host);
    if (!sparkStyle) {
      const slot = tr.querySelector(".spark-slot");
      sparkStyle = {
        w: slot.clientWidth || 90, h: slot.clientHeight || 22,
        color: getComputedStyle(document.documentElement).getPropertyValue("--spark").trim() || "#1f6feb",
      };
    }
    for (const slot of tr.querySelectorAll(".spark-slot")) {
      const canvas = document.createElement("canvas");
      canvas.className = "spark";
      canvas.dataset.key = slot.dataset.key;
      canvas.setAttribute("aria-hidden", "true");
      canvas.style.width = `${sparkStyle.w}px`;
      canvas.style.height = `${sparkStyle.h}px`;
      slot.replaceChildren(canvas);
      drawSparkline(canvas, row[slot.dataset.key].values, sparkStyle);
    }
    tr.dataset.painted = "1";
  }

  function matcher() {
    const f = state.filter.trim();
    if (!f) return () => true;
    if (f.length > 2 && f.startsWith("/") && f.endsWith("/")) {
      try { const re = new RegExp(f.slice(1, -1), "i"); return (h) => re.test(h); } catch { return () => false; }
    }
    const lower = f.toLowerCase();
    return (h) => h.toLowerCase().includes(lower);
  }

  function draw() {
    const match = matcher();
    const shown = rows.filter((r) => match(r.host));
    const sign = state.dir === "desc" ? -1 : 1;
    shown.sort((a, b) => {
      const x = sortValue(a, state.sort), y = sortValue(b, state.sort);
      if (x < y) return -sign;
      if (x > y) return sign;
      return a.host < b.host ? -1 : a.host > b.host ? 1 : 0;
    });
    for (const th of main.querySelectorAll("th")) {
      th.setAttribute("aria-sort", th.dataset.key === state.sort ? (state.dir === "desc" ? "descending" : "ascending") : "none");
    }
    const html = [];
    for (const r of shown) {
      const cells = columns.slice(2).map((c) =>
        `<td class="num" data-key="${c.key}" data-value="${r[c.key].now ?? ""}"><div class="cell"><span>${format(r[c.key].now, c.unit, c.decimals)}</span><span class="spark-slot" data-key="${c.key}"></span></div></td>`);
      const seenText = r.seen === null ? "not in range" : ago(r.seen);
      html.push(`<tr data-host="${escapeHTML(r.host)}" class="${r.stale ? "stale" : ""}" data-stale="${r.stale}">` +
        `<td><a href="${app.link("host/" + encodeURIComponent(r.host))}">${escapeHTML(r.host)}</a></td>` +
        `<td class="num" data-key="seen" data-value="${r.seen ?? ""}" title="${r.seen === null ? "" : formatTime(r.seen)}; interval ${Math.round(r.interval / 1000)} s">${seenText}</td>` +
        cells.join("") + "</tr>");
    }
    observer.disconnect();
    tbody.innerHTML = html.join("");
    main.querySelector("#host-count").textContent = `${shown.length} of ${rows.length}`;
    // Rows on screen are painted now (so "drawn" means drawn); the rest as they scroll in.
    // All positions are read before any canvas is touched: one layout, not one per row.
    const limit = window.innerHeight + 200;
    const rowsNow = [...tbody.rows];
    const onScreen = rowsNow.map((tr) => tr.getBoundingClientRect().top < limit);
    rowsNow.forEach((tr, i) => (onScreen[i] ? paintRow(tr) : observer.observe(tr)));
  }

  main.querySelector("thead").addEventListener("click", (event) => {
    const th = event.target.closest("th");
    if (!th) return;
    const key = th.dataset.key;
    if (state.sort === key) state.dir = state.dir === "asc" ? "desc" : "asc";
    else state.dir = key === "host" ? "asc" : "desc";
    state.sort = key;
    app.setParams({ sort: state.sort, dir: state.dir });
    draw();
  });
  let pending = 0;
  filterInput.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      state.filter = filterInput.value;
      app.setParams({ filter: state.filter || null });
      draw();
    }, 120);
  });
  app.shortcut("/", () => filterInput.focus());
  draw();
}
