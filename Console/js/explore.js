// Explore: an InfluxQL editor with completion, a chart for time series and a table otherwise.
import { query, series, ident } from "./api.js";
import { intervalFor, durationText, timeFilter, formatTime } from "./time.js";
import { drawChart, linesFromSeries } from "./chart.js";

const keywords = [
  "SELECT", "FROM", "WHERE", "GROUP BY", "ORDER BY", "LIMIT", "SLIMIT", "OFFSET", "fill(null)", "fill(none)",
  "fill(previous)", "time", "AND", "OR", "DESC", "SHOW MEASUREMENTS", "SHOW TAG KEYS", "SHOW TAG VALUES",
  "SHOW FIELD KEYS", "SHOW SERIES", "SHOW DATABASES", "SHOW RETENTION POLICIES", "SHOW STATS", "WITH KEY =",
  "mean", "max", "min", "sum", "count", "last", "first", "median", "percentile", "derivative",
  "non_negative_derivative", "difference", "moving_average", "stddev", "spread", "$timeFilter", "$__interval",
];

const defaultQuery = `SELECT mean("value") FROM "load_shortterm" WHERE $timeFilter GROUP BY time($__interval), "host" fill(null)`;

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Names for completion, loaded from SHOW queries and cached per database. */
class Vocabulary {
  constructor(db) { this.db = db; this.measurements = []; this.perMeasurement = new Map(); }

  async load() {
    const found = await series("SHOW MEASUREMENTS", { db: this.db });
    this.measurements = found.flatMap((s) => (s.values || []).map((v) => v[0]));
  }

  /** Field and tag keys of `measurement` (one request pair per measurement). */
  async keysOf(measurement) {
    if (!this.perMeasurement.has(measurement)) {
      const q = `SHOW FIELD KEYS FROM ${ident(measurement)}; SHOW TAG KEYS FROM ${ident(measurement)}`;
      this.perMeasurement.set(measurement, query(q, { db: this.db }).then((results) => ({
        fields: ((results[0] && results[0].series) || []).flatMap((s) => s.values.map((v) => v[0])),
        tags: ((results[1] && results[1].series) || []).flatMap((s) => s.values.map((v) => v[0])),
      })).catch(() => ({ fields: [], tags: [] })));
    }
    return this.perMeasurement.get(measurement);
  }
}

/** Measurements named after FROM in the text. */
function measurementsIn(text, known) {
  const out = [];
  const re = /FROM\s+((?:"[^"]+"|[\w.]+)(?:\s*,\s*(?:"[^"]+"|[\w.]+))*)/gi;
  let m;
  while ((m = re.exec(text))) {
    for (const part of m[1].split(",")) {
      const name = part.trim().replace(/^"|"$/g, "").split(".").pop().replace(/^"|"$/g, "");
      if (known.includes(name)) out.push(name);
    }
  }
  return out;
}

/** True when every series is time-indexed with a numeric column and more than one row overall. */
export function isTimeSeries(results) {
  const all = results.flatMap((r) => r.series || []);
  if (all.length === 0) return false;
  let rows = 0;
  for (const s of all) {
    const t = s.columns.indexOf("time");
    if (t < 0) return false;
    const numeric = s.columns.some((_, i) => i !== t && (s.values || []).some((row) => typeof row[i] === "number"));
    if (!numeric) return false;
    rows += (s.values || []).length;
  }
  return rows > 1;
}

export async function render(main, app) {
  const params = app.params();
  const text = params.get("q") || defaultQuery;
  main.innerHTML = `
    <h1>Explore</h1>
    <div class="editor">
      <label for="q" class="hint">InfluxQL — Ctrl+Enter runs, Ctrl+Space completes; $timeFilter and $__interval follow the range and chart width.</label>
      <textarea id="q" spellcheck="false" autocomplete="off" aria-autocomplete="list" aria-controls="completions">${escapeHTML(text)}</textarea>
      <ul id="completions" class="completions" role="listbox" hidden></ul>
    </div>
    <div class="toolbar"><button id="run" type="button">Run</button><span id="took" class="hint" aria-live="polite"></span></div>
    <div class="result" id="result"></div>`;
  const editor = main.querySelector("#q");
  const list = main.querySelector("#completions");
  const vocabulary = new Vocabulary(app.db());
  vocabulary.load().catch(() => {});

  let choices = [];
  let chosen = 0;
  let span = [0, 0];

  async function complete(force) {
    const pos = editor.selectionStart;
    const before = editor.value.slice(0, pos);
    const m = /"?([\w.$]*)$/.exec(before);
    const word = m ? m[1] : "";
    if (!force && word.length < 1) { hide(); return; }
    const fromText = measurementsIn(editor.value, vocabulary.measurements);
    const keys = await Promise.all(fromText.map((name) => vocabulary.keysOf(name)));
    const candidates = [
      ...vocabulary.measurements.map((n) => [n, "measurement"]),
      ...keys.flatMap((k) => [...k.fields.map((n) => [n, "field"]), ...k.tags.map((n) => [n, "tag"])]),
      ...keywords.map((n) => [n, "keyword"]),
    ];
    const lower = word.toLowerCase();
    const seen = new Set();
    choices = candidates.filter(([n, kind]) => {
      const key = n + kind;
      if (seen.has(key) || !n.toLowerCase().startsWith(lower) || n === word) return false;
      seen.add(key);
      return true;
    }).slice(0, 50);
    span = [pos - (m ? m[0].length : 0), pos];
    if (choices.length === 0) { hide(); return; }
    chosen = 0;
    show();
  }

  function show() {
    list.innerHTML = choices.map(([n, kind], i) =>
      `<li role="option" id="c-${i}" aria-selected="${i === chosen}" data-i="${i}">${escapeHTML(n)}<small>${kind}</small></li>`).join("");
    list.hidden = false;
    editor.setAttribute("aria-activedescendant", `c-${chosen}`);
  }

  function hide() { list.hidden = true; choices = []; editor.removeAttribute("aria-activedescendant"); }

  function accept(i) {
    const [name, kind] = choices[i];
    const quoted = kind === "keyword" ? name : `"${name}"`;
    editor.setRangeText(quoted, span[0], span[1], "end");
    hide();
    editor.focus();
  }

  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); return; }
    if (event.key === " " && event.ctrlKey) { event.preventDefault(); complete(true); return; }
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      chosen = (chosen + (event.key === "ArrowDown" ? 1 : choices.length - 1)) % choices.length;
      show();
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      accept(chosen);
    } else if (event.key === "Escape") {
      event.preventDefault();
      hide();
    }
  });
  editor.addEventListener("input", () => complete(false));
  // Hidden a moment after the editor loses focus (a click on the list lands first), unless the
  // focus came back meanwhile: a blur then a refocus (WebDriver's clear does both) followed by
  // fast typing must not hide the list that typing just opened.
  editor.addEventListener("blur", () => setTimeout(() => { if (document.activeElement !== editor) hide(); }, 150));
  list.addEventListener("mousedown", (event) => {
    const li = event.target.closest("li");
    if (li) { event.preventDefault(); accept(Number(li.dataset.i)); }
  });
  main.querySelector("#run").addEventListener("click", run);

  async function run() {
    const text = editor.value.trim();
    app.setParams({ q: text });
    const result = main.querySelector("#result");
    const range = app.range();
    const width = result.clientWidth || 800;
    const expanded = text.replace(/\$timeFilter/g, timeFilter(range)).replace(/\$__interval/g, durationText(intervalFor(range, width)));
    const started = performance.now();
    result.dataset.state = "running";
    let results;
    try {
      results = await query(expanded, { db: app.db(), signal: app.signal });
    } catch (error) {
      if (error.name === "AuthError" || error.name === "AbortError") throw error;
      result.dataset.state = "error";
      result.innerHTML = `<p class="error" role="alert">${escapeHTML(error.message)}</p>`;
      return;
    }
    const took = Math.round(performance.now() - started);
    const count = results.reduce((n, r) => n + (r.series || []).length, 0);
    main.querySelector("#took").textContent = `${count} series in ${took} ms`;
    if (isTimeSeries(results)) {
      result.innerHTML = `<div class="chart" id="explore-chart"></div><details><summary>Table</summary><div id="explore-table"></div></details>`;
      const label = (s, column) => [s.name, ...Object.entries(s.tags || {}).map(([k, v]) => `${k}=${v}`), column].join(" ");
      drawChart(result.querySelector("#explore-chart"), linesFromSeries(results.flatMap((r) => r.series || []), label), text.includes("$timeFilter") ? { range } : {});
      renderTables(result.querySelector("#explore-table"), results);
      result.dataset.state = "chart";
    } else {
      result.innerHTML = `<div id="explore-table"></div>`;
      renderTables(result.querySelector("#explore-table"), results);
      result.dataset.state = "table";
    }
  }

  app.shortcut("/", () => editor.focus());
  if (params.get("q")) await run();
}

function renderTables(box, results) {
  const parts = [];
  for (const r of results) {
    if (r.messages) parts.push(...r.messages.map((m) => `<p class="hint">${escapeHTML(m.text)}</p>`));
    for (const s of r.series || []) {
      const tags = Object.entries(s.tags || {}).map(([k, v]) => `${k}=${v}`).join(", ");
      const t = s.columns.indexOf("time");
      const rows = (s.values || []).slice(0, 1000).map((row) =>
        `<tr>${row.map((v, i) => `<td>${escapeHTML(i === t && typeof v === "number" ? formatTime(v) : v ?? "")}</td>`).join("")}</tr>`).join("");
      parts.push(`<h2>${escapeHTML(s.name || "")} <span class="muted">${escapeHTML(tags)}</span></h2>
        <div class="table-wrap"><table><thead><tr>${s.columns.map((c) => `<th scope="col">${escapeHTML(c)}</th>`).join("")}</tr></thead><tbody>${rows}</tbody></table></div>
        ${(s.values || []).length > 1000 ? `<p class="hint">first 1000 of ${s.values.length} rows</p>` : ""}`);
    }
  }
  box.innerHTML = parts.join("") || `<p class="muted">no rows</p>`;
}
