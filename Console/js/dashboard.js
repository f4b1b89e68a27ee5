// Renders the panels of dashboards/collectd-host.json (embedded as host-dashboard.json) to
// InfluxQL, as Grafana's query builder does for its InfluxDB datasource.

function renderSelect(parts) {
  let text = "";
  for (const part of parts) {
    const p = part.params || [];
    switch (part.type) {
      case "field": text = `"${p[0]}"`; break;
      case "math": text = `${text} ${p[0]}`; break;
      case "alias": break;
      default: text = p.length ? `${part.type}(${text}, ${p.join(", ")})` : `${part.type}(${text})`;
    }
  }
  return text;
}

function renderTags(tags, vars) {
  return tags.map((tag, i) => {
    let value = tag.value;
    const op = tag.operator || "=";
    if (op === "=~" || op === "!~") value = value.replace(/\$host/g, vars.hostRegex);
    else value = "'" + value.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
    const head = i === 0 ? "" : ` ${tag.condition || "AND"} `;
    return `${head}"${tag.key}" ${op} ${value}`;
  }).join("");
}

function renderGroupBy(groupBy, vars) {
  let fill = "";
  const parts = [];
  for (const g of groupBy || []) {
    const p = g.params || [];
    if (g.type === "time") parts.push(`time(${p[0] === "$__interval" ? vars.interval : p[0]})`);
    else if (g.type === "tag") parts.push(`"${p[0]}"`);
    else if (g.type === "fill") fill = ` fill(${p[0]})`;
  }
  return (parts.length ? ` GROUP BY ${parts.join(", ")}` : "") + fill;
}

/**
 * One builder-mode target as InfluxQL; vars: hostRegex (regex body for $host), interval
 * (InfluxQL duration for $__interval), timeFilter.
 */
export function renderTarget(target, vars) {
  if (target.rawQuery) return substitute(target.query, vars);
  const fields = (target.select || []).map(renderSelect).join(", ");
  const tags = renderTags(target.tags || [], vars);
  const where = tags ? `(${tags}) AND ${vars.timeFilter}` : vars.timeFilter;
  return `SELECT ${fields} FROM "${target.measurement}" WHERE ${where}${renderGroupBy(target.groupBy, vars)}`;
}

/** $host, $timeFilter and $__interval in a raw query. */
export function substitute(text, vars) {
  return text
    .replace(/\/\^\$host\$\//g, `/^${vars.hostRegex}$/`)
    .replace(/\$timeFilter/g, vars.timeFilter)
    .replace(/\$__interval/g, vars.interval);
}

/** The alias with $tag_x replaced by the series' tags; the host (always the same) left out. */
export function aliasFor(target, seriesTags, column) {
  const alias = target.alias;
  if (!alias) return Object.values(seriesTags || {}).join(" ") || column;
  const text = alias.replace(/\$tag_host\s*/g, "").replace(/\$tag_(\w+)/g, (_, key) => (seriesTags && seriesTags[key]) ?? "");
  return text.trim() || column;
}

/** The panels, in the dashboard's order (rows flattened). */
export function panelsOf(dashboard) {
  const out = [];
  const walk = (panels) => {
    for (const p of panels || []) {
      if (p.type === "row") walk(p.panels);
      else if (p.targets && p.targets.length) out.push(p);
    }
  };
  walk(dashboard.panels);
  return out;
}

/** The annotation queries over collectd_notification. */
export function annotationsOf(dashboard) {
  return ((dashboard.annotations && dashboard.annotations.list) || []).filter((a) => a.query && a.enable !== false);
}
