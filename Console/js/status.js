// Status: the server's own figures from SHOW STATS (the same providers /metrics exposes).
import { series, stats as requestStats } from "./api.js";
import { format } from "./units.js";

let previous = null;

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

async function sample(app) {
  const found = await series("SHOW STATS", { signal: app.signal });
  return { at: performance.now(), groups: found };
}

function value(groups, name, column, tags = null) {
  for (const g of groups) {
    if (g.name !== name) continue;
    const t = g.tags || {};
    if (tags === null ? Object.keys(t).length !== 0 : Object.entries(tags).some(([k, v]) => t[k] !== v)) continue;
    const i = g.columns.indexOf(column);
    if (i >= 0) return g.values[0][i];
  }
  return null;
}

export async function render(main, app) {
  let now = await sample(app);
  // Rates need two samples: on the first visit take the second one second later.
  if (!previous || now.at - previous.at > 600e3) {
    previous = now;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    now = await sample(app);
  }
  const seconds = (now.at - previous.at) / 1000;
  const rate = (name, column) => {
    const a = value(previous.groups, name, column), b = value(now.groups, name, column);
    return a === null || b === null || seconds <= 0 ? null : Math.max(0, (b - a) / seconds);
  };
  const g = now.groups;
  const cards = [
    ["values received / s", format(rate("collectd", "values_received_total"), "short")],
    ["values stored / s", format(rate("collectd", "values_stored_total"), "short")],
    ["datagrams / s", format(rate("collectd", "datagrams_total"), "short")],
    ["values stored", format(value(g, "collectd", "values_stored_total"), "short")],
    ["values dropped", format(value(g, "collectd", "values_dropped_total"), "short")],
    ["decode errors", format(value(g, "collectd", "decode_errors_total"), "short")],
    ["unknown-type values", format(value(g, "collectd", "unknown_type_values_total"), "short")],
    ["queue depth (values)", format(value(g, "collectd", "queue_depth"), "short")],
    ["queries / s", format(rate("queries", "queries_total") ?? rate("httpd", "query_req_total"), "short")],
  ];
  const byReason = (column, key) => g.filter((s) => s.name === "collectd" && s.tags && s.tags[key] !== undefined && s.columns.includes(column))
    .map((s) => [s.tags[key], s.values[0][s.columns.indexOf(column)]]);
  const list = (rows, empty) => rows.length === 0 ? `<p class="muted">${empty}</p>` :
    `<table><tbody>${rows.map(([k, v]) => `<tr><td>${escapeHTML(k)}</td><td class="num">${escapeHTML(v)}</td></tr>`).join("")}</tbody></table>`;
  const stores = g.filter((s) => s.name === "store");
  const col = (s, c) => s.values[0][s.columns.indexOf(c)];
  main.innerHTML = `
    <h1>Status</h1>
    <div class="status-grid" id="status-cards">${cards.map(([label, v]) => `<section class="panel stat"><h2>${label}</h2><div class="value">${v}</div></section>`).join("")}</div>
    <div class="status-grid">
      <section class="panel"><h2>Decode errors by reason</h2>${list(byReason("decode_errors_total", "reason"), "none")}</section>
      <section class="panel"><h2>Dropped values by reason</h2>${list(byReason("values_dropped_total", "reason"), "none")}</section>
      <section class="panel"><h2>Unknown types</h2>${list(byReason("unknown_type_values_total", "type"), "none")}</section>
      <section class="panel" id="disk"><h2>Disk usage per database</h2>${stores.length === 0 ? `<p class="muted">no database</p>` :
        `<table><thead><tr><th>database</th><th class="num">file</th><th class="num">series</th><th class="num">samples written</th></tr></thead><tbody>${stores.map((s) =>
          `<tr><td>${escapeHTML(s.tags.database)}</td><td class="num">${format(col(s, "file_bytes"), "bytes")}</td><td class="num">${col(s, "series")}</td><td class="num">${col(s, "samples_written_total")}</td></tr>`).join("")}</tbody></table>`}</section>
      <section class="panel"><h2>This console</h2><p>${requestStats.queries} queries, ${Math.round(requestStats.milliseconds / Math.max(1, requestStats.queries))} ms mean</p></section>
    </div>
    <details><summary>All of SHOW STATS</summary>${g.map((s) => `<h2>${escapeHTML(s.name)} <span class="muted">${escapeHTML(Object.entries(s.tags || {}).map(([k, v]) => `${k}=${v}`).join(", "))}</span></h2>
      ${list(s.columns.map((c, i) => [c, s.values[0][i]]), "")}`).join("")}</details>`;
  previous = now;
}
