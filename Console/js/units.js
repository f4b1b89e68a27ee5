// Value formatting for the units the host dashboard uses (Grafana's unit names).

const si = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
const binary = [[2 ** 40, "Ti"], [2 ** 30, "Gi"], [2 ** 20, "Mi"], [2 ** 10, "Ki"]];

function scaled(v, table, suffix, digits = 3) {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  for (const [factor, prefix] of table) {
    if (a >= factor) return `${trim(v / factor, digits)} ${prefix}${suffix}`;
  }
  return `${trim(v, digits)}${suffix ? " " + suffix : ""}`;
}

function trim(v, digits) {
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(Math.max(0, digits - 2));
  return v.toFixed(Math.max(0, digits - 1));
}

/** Formats `v` in Grafana unit `unit` (percent, bytes, bps, Bps, pps, iops, s, short). */
export function format(v, unit, decimals) {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  switch (unit) {
    case "percent": return `${v.toFixed(decimals ?? 1)} %`;
    case "bytes": return scaled(v, binary, "B");
    case "bps": return scaled(v, si, "b/s");
    case "Bps": return scaled(v, si, "B/s");
    case "pps": return scaled(v, si, "p/s");
    case "iops": return scaled(v, si, "io/s");
    case "s": return duration(v);
    default: return decimals !== undefined ? v.toFixed(decimals) : scaled(v, si, "");
  }
}

function duration(seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${Math.floor(seconds % 60)} s`;
}
