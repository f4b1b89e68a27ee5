// The console's shell: hash routing, the range/refresh/zone/theme controls, sign-in.
import { AuthError, series, setCredentials, hasCredentials } from "./api.js";
import { display, presets, resolveRange, toInputValue, fromInputValue } from "./time.js";
import * as hostsView from "./hosts.js";
import * as hostView from "./host.js";
import * as exploreView from "./explore.js";
import * as statusView from "./status.js";

const $ = (id) => document.getElementById(id);
const main = $("main");
const views = {
  hosts: (app) => hostsView.render(main, app),
  host: (app, arg) => hostView.render(main, app, arg),
  explore: (app) => exploreView.render(main, app),
  status: (app) => statusView.render(main, app),
};

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, search = ""] = hash.split("?");
  const [view, ...rest] = path.split("/");
  return { view: views[view] ? view : "hosts", arg: rest.length ? decodeURIComponent(rest.join("/")) : null, params: new URLSearchParams(search) };
}

let current = { controller: null, cleanups: [], shortcuts: new Map() };

/** What views may ask of the shell. */
const app = {
  signal: null,
  db: () => $("db").value || "collectd",
  params: () => parseHash().params,
  range() {
    const p = parseHash().params;
    if (p.get("range") === "custom" && p.get("from") && p.get("to")) {
      return resolveRange({ kind: "custom", from: Number(p.get("from")), to: Number(p.get("to")) });
    }
    return resolveRange({ preset: presets[p.get("range")] ? p.get("range") : "1h" });
  },
  /** A link to `path` that keeps the range and database. */
  link(path) {
    const keep = new URLSearchParams();
    for (const key of ["range", "from", "to", "db"]) {
      const v = parseHash().params.get(key);
      if (v) keep.set(key, v);
    }
    const q = keep.toString();
    return `#/${path}${q ? "?" + q : ""}`;
  },
  /** Changes parameters in the URL without re-rendering (null removes one). */
  setParams(changes) {
    const { params } = parseHash();
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === undefined || v === "") params.delete(k); else params.set(k, v);
    }
    const path = location.hash.replace(/^#\/?/, "").split("?")[0] || "hosts";
    history.replaceState(null, "", `#/${path}?${params.toString()}`);
  },
  onDestroy(fn) { current.cleanups.push(fn); },
  shortcut(key, fn) { current.shortcuts.set(key, fn); },
};

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

async function show() {
  if (current.controller) current.controller.abort();
  for (const fn of current.cleanups) fn();
  current = { controller: new AbortController(), cleanups: [], shortcuts: new Map() };
  app.signal = current.controller.signal;
  const { view, arg, params } = parseHash();
  for (const a of document.querySelectorAll("nav a")) {
    if (a.dataset.view === (view === "host" ? "hosts" : view)) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  syncControls(params);
  document.title = `collectlite · ${arg ?? view}`;
  main.dataset.ready = "";
  main.dataset.view = view;
  const started = performance.now();
  try {
    await views[view](app, arg);
    showError("");
    main.dataset.ready = view;
    main.dataset.drawMs = String(Math.round(performance.now() - started));
    performance.mark(`${view}-drawn`);
  } catch (error) {
    if (error.name === "AbortError") return;
    if (error instanceof AuthError) { askCredentials(hasCredentials() ? "Wrong user name or password." : ""); return; }
    main.dataset.ready = "error";
    showError(error.message);
  }
}

function syncControls(params) {
  const range = params.get("range") || "1h";
  $("range").value = presets[range] || range === "custom" ? range : "1h";
  $("custom-range").hidden = $("range").value !== "custom";
  if (range === "custom") {
    $("from").value = toInputValue(Number(params.get("from")));
    $("to").value = toInputValue(Number(params.get("to")));
  }
  if (params.get("db") && $("db").value !== params.get("db")) {
    if (![...$("db").options].some((o) => o.value === params.get("db"))) $("db").add(new Option(params.get("db")));
    $("db").value = params.get("db");
  }
}

function askCredentials(message) {
  $("login-error").textContent = message;
  const dialog = $("login");
  if (!dialog.open) dialog.showModal();
  $("login-user").focus();
}

async function loadDatabases() {
  const found = await series("SHOW DATABASES");
  const names = found.flatMap((s) => (s.values || []).map((v) => v[0]));
  const select = $("db");
  const wanted = parseHash().params.get("db") || localStorage.getItem("collectlite.db") || "collectd";
  select.innerHTML = "";
  for (const n of names.length ? names : ["collectd"]) select.add(new Option(n));
  select.value = names.includes(wanted) ? wanted : names.includes("collectd") ? "collectd" : (names[0] || "collectd");
}

async function start() {
  try {
    await loadDatabases();
  } catch (error) {
    if (error instanceof AuthError) { askCredentials(hasCredentials() ? "Wrong user name or password." : ""); return; }
    showError(error.message);
  }
  await show();
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  $("theme").textContent = theme === "dark" ? "Light" : "Dark";
  localStorage.setItem("collectlite.theme", theme);
}

function applyZone(utc) {
  display.utc = utc;
  $("tz").textContent = utc ? "UTC" : "Local";
  $("tz").setAttribute("aria-pressed", String(utc));
  localStorage.setItem("collectlite.utc", String(utc));
}

let refreshTimer = 0;
function applyRefresh(seconds) {
  clearInterval(refreshTimer);
  $("refresh").value = String(seconds);
  localStorage.setItem("collectlite.refresh", String(seconds));
  if (seconds > 0) refreshTimer = setInterval(() => { if (!document.hidden && !$("login").open) show(); }, seconds * 1000);
}

$("range").addEventListener("change", () => {
  if ($("range").value === "custom") {
    $("custom-range").hidden = false;
    const r = app.range();
    $("from").value = toInputValue(r.from);
    $("to").value = toInputValue(r.to);
    $("from").focus();
    return;
  }
  app.setParams({ range: $("range").value, from: null, to: null });
  show();
});
$("apply-range").addEventListener("click", () => {
  const from = fromInputValue($("from").value), to = fromInputValue($("to").value);
  if (!(from < to)) { showError("The custom range needs a start before its end."); return; }
  app.setParams({ range: "custom", from: String(from), to: String(to) });
  show();
});
$("db").addEventListener("change", () => {
  localStorage.setItem("collectlite.db", $("db").value);
  app.setParams({ db: $("db").value });
  show();
});
$("refresh").addEventListener("change", () => applyRefresh(Number($("refresh").value)));
$("tz").addEventListener("click", () => { applyZone(!display.utc); show(); });
$("theme").addEventListener("click", () => applyTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark"));
$("reload").addEventListener("click", show);
$("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  setCredentials($("login-user").value, $("login-password").value);
  $("login").close();
  start();
});
window.addEventListener("hashchange", show);
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target.closest && target.closest("input, textarea, select, dialog")) return;
  const handler = current.shortcuts.get(event.key);
  if (handler) { event.preventDefault(); handler(); return; }
  const go = { h: "hosts", e: "explore", s: "status" }[event.key];
  if (go) { location.hash = app.link(go); return; }
  if (event.key === "r") show();
});

applyTheme(localStorage.getItem("collectlite.theme") || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
applyZone(localStorage.getItem("collectlite.utc") === "true");
applyRefresh(Number(localStorage.getItem("collectlite.refresh") || "0"));
start();
