// Everything the console reads goes through /query, as any InfluxDB 1.x client's requests do.

/** Raised when the server wants (other) credentials; the app then shows the sign-in dialog. */
export class AuthError extends Error {}

const session = {
  credentials: JSON.parse(sessionStorage.getItem("collectlite.credentials") || "null"),
};

export function setCredentials(user, password) {
  session.credentials = user ? { user, password } : null;
  if (session.credentials) sessionStorage.setItem("collectlite.credentials", JSON.stringify(session.credentials));
  else sessionStorage.removeItem("collectlite.credentials");
}

export function hasCredentials() {
  return session.credentials !== null;
}

/**
 * Runs InfluxQL and returns the statement results (one per statement).
 * Credentials travel as u/p in a POST form (not in the URL, not cached by the browser), and
 * `credentials: "omit"` keeps the browser from popping up its own Basic-auth prompt.
 */
export async function query(text, { db, epoch = "ms", signal } = {}) {
  const form = new URLSearchParams();
  form.set("q", text);
  if (db) form.set("db", db);
  if (epoch) form.set("epoch", epoch);
  if (session.credentials) {
    form.set("u", session.credentials.user);
    form.set("p", session.credentials.password);
  }
  const started = performance.now();
  const response = await fetch("/query", {
    method: "POST", body: form, credentials: "omit", signal,
    headers: { "Accept": "application/json" },
  });
  const body = await response.json().catch(() => ({}));
  stats.queries += 1;
  stats.milliseconds += performance.now() - started;
  if (response.status === 401) throw new AuthError(body.error || "authorization failed");
  if (body.error) throw new Error(body.error);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const results = body.results || [];
  for (const r of results) if (r.error) throw new Error(r.error);
  return results;
}

/** The series of a single-statement query (empty when it found nothing). */
export async function series(text, options) {
  const results = await query(text, options);
  return (results[0] && results[0].series) || [];
}

/** Request counters, shown on the status view. */
export const stats = { queries: 0, milliseconds: 0 };

/** Quotes an identifier for InfluxQL. */
export function ident(name) {
  return '"' + String(name).replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
}

/** Quotes a string literal for InfluxQL. */
export function literal(text) {
  return "'" + String(text).replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
}

/** A regex literal matching exactly `text`. */
export function exactRegex(text) {
  const escaped = String(text).replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\//g, "\\/");
  return "/^" + escaped + "$/";
}
