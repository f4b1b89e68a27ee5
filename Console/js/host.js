// Host page: the panels of the host dashboard for one host, with collectd notifications as markers.
import { series } from "./api.js";
import { intervalFor, durationText, timeFilter, formatTime } from "./time.js";
import { renderTarget, substitute, aliasFor, panelsOf, annotationsOf } from "./dashboard.js";
import { drawChart, linesFromSeries } from "./chart.js";
import { format } from "./units.js";

let dashboardPromise = null;

function loadDashboard() {
  if (!dashboardPromise) {
    dashboardPromise = fetch(new URL("../host-dashboard.json", import.meta.url)).then((r) => {
      if (!r.ok) throw new Error(`host dashboard: HTTP ${r.status}`);
      return r.json();
    });
  }
  return dashboardPromise;
}

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function regexBody(text) {
  return String(text).replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\//g, "\\/");
}

export async function render(main, app, host) {
  const dashboard = await loadDashboard();
  const range = app.range();
  const panels = panelsOf(dashboard);
  main.innerHTML = `
    <h1><a href="${app.link("hosts")}">Hosts</a> / ${escapeHTML(host)}</h1>
    <div id="notes" class="notes"></div>
    <div class="grid" id="panels">${panels.map((p, i) => `
      <section class="panel ${p.type === "stat" ? "stat" : ""}" id="panel-${i}" data-title="${escapeHTML(p.title)}"
        style="grid-column: span ${Math.min(24, (p.gridPos && p.gridPos.w) || 12)}" aria-label="${escapeHTML(p.title)}">
        <h2>${escapeHTML(p.title)}</h2>
        <div class="${p.type === "stat" ? "value" : "chart"}"></div>
      </section>`).join("")}
    </div>
    <p class="muted" id="absent"></p>`;
  const vars = (pixels) => ({
    hostRegex: regexBody(host),
    timeFilter: timeFilter(range),
    interval: durationText(intervalFor(range, pixels)),
  });
  // Panels are as wide as their grid cell; the narrowest sets nothing for the others.
  const widthOf = (i) => main.querySelector(`#panel-${i}`).clientWidth || 600;

  const notes = [];
  for (const a of annotationsOf(dashboard)) {
    const found = await series(substitute(a.query, vars(1000)), { db: app.db(), signal: app.signal });
    for (const s of found) {
      const at = (name) => s.columns.indexOf(name);
      for (const row of s.values || []) {
        notes.push({
          time: row[at("time")], text: row[at(a.textColumn || "message")],
          severity: row[at("severity")] || (s.tags && s.tags.severity) || "", plugin: row[at("plugin")] || "",
        });
      }
    }
  }
  notes.sort((x, y) => x.time - y.time);
  const notesBox = main.querySelector("#notes");
  notesBox.dataset.count = String(notes.length);
  if (notes.length) {
    notesBox.innerHTML = `<h2>Notifications (${notes.length})</h2><ul>${notes.slice(-20).map((n) =>
      `<li class="${escapeHTML(n.severity)}">${formatTime(n.time)} · ${escapeHTML(n.severity)} · ${escapeHTML(n.plugin)}: ${escapeHTML(n.text)}</li>`).join("")}</ul>`;
  }

  const absent = [];
  await Promise.all(panels.map(async (panel, i) => {
    const section = main.querySelector(`#panel-${i}`);
    const box = section.querySelector(".chart, .value");
    const v = vars(widthOf(i));
    const answers = await Promise.all(panel.targets.map((t) => series(renderTarget(t, v), { db: app.db(), signal: app.signal })));
    section.dataset.queries = panel.targets.map((t) => renderTarget(t, v)).join("\n");
    const defaults = (panel.fieldConfig && panel.fieldConfig.defaults) || {};
    const lines = [];
    answers.forEach((found, k) => {
      lines.push(...linesFromSeries(found, (s, column) => aliasFor(panel.targets[k], s.tags, column)));
    });
    if (lines.every((l) => l.points.every(([, value]) => value === null))) {
      section.hidden = true;
      section.dataset.empty = "1";
      absent.push(panel.title);
      return;
    }
    if (panel.type === "stat") {
      const values = lines.flatMap((l) => l.points.map(([, value]) => value)).filter((x) => x !== null);
      box.textContent = format(values[values.length - 1], defaults.unit, defaults.decimals);
      box.dataset.points = String(values.length);
      return;
    }
    const stacking = defaults.custom && defaults.custom.stacking && defaults.custom.stacking.mode;
    drawChart(box, lines, {
      unit: defaults.unit, decimals: defaults.decimals, min: defaults.min,
      stacked: stacking === "normal", range, notes,
    });
  }));
  main.querySelector("#absent").textContent = absent.length ? `Not collected for this host in this range: ${absent.join(", ")}.` : "";
}
