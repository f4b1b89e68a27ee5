#!/usr/bin/env python3
"""Fleet-scale reads against the number of series, side by side: for each host count N, N hosts ×
R rounds of collectd values (about 51 series per host, made by `collectlite-bench packets`) offered
over UDP to a fresh `collectlite serve` and to a fresh influxd 1.6.7 with `[[collectd]]` (new data
directory each time), then the queries of Benchmarks/fleet_queries.py (QUERIES), each 5 times on one
keep-alive http.client connection per server: best and median wall time. Resident memory (VmRSS)
and its peak (VmHWM) are read from /proc after loading and again after the queries.

Prints a Markdown table per host count (query times, InfluxDB / collectlite ratio, stored values,
series, memory), one combined table (series against each query's time, both servers), the local
growth exponent of each query's time between neighbouring host counts (1.0 = linear in series),
and writes a hand-made SVG log-log plot of query time against series count (solid: collectlite,
dashed: InfluxDB).

Usage: fleet_scaling.py BINARY [--hosts 2,20,200,2000,10000] [--rounds 3] [--svg Docs/fleet-scaling.svg]
                        [--skip-influx] [--fleet-queries-only] [--influx-rate 100000] [--mem-cap-gib 8]
With --replot LOG, only the SVG, from the `raw:` line an earlier run printed (saved in LOG).
Besides fleet_queries.py's six queries, two variants of its 3rd and 5th whose host filters match
hosts of the packet file (theirs match none); --fleet-queries-only leaves them out.
The bench binary comes from $COLLECTLITE_BENCH (as in fleet_queries.py). collectlite is sent
300 000 values/s, InfluxDB 100 000 (--influx-rate; while it creates hundreds of thousands of series it
drops datagrams even at that rate, so --influx-rate 25000 for a full load at 10 000 hosts); what
each server stored is reported, short or not. A server whose VmRSS passes --mem-cap-gib during the queries is killed
and its remaining queries reported as failed. Prints figures; asserts nothing.
"""
import argparse
import http.client
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fleet_queries as F  # noqa: E402
import ingest_load as L  # noqa: E402

# fleet_queries' QUERIES, then two variants of its 3rd and 5th that match hosts of the packet file
# (`collectlite-bench packets` names hosts host0.example.net, host1.example.net, …, so /^h1[0-9]$/ and
# 'h1000' select no series at any scale). The 5th's variant bounds time to 10 minutes from the
# packets' first timestamp (1600000000 s): with `time > 0` alone, GROUP BY time(10s) spans 1970 to
# now, and influxd 1.6.7 (max-select-buckets = 0) grows until it is killed for want of memory.
# --fleet-queries-only leaves the variants out.
EXTRA = [
    'SHOW TAG VALUES FROM "cpu_value" WITH KEY = "instance" WHERE "host" =~ /^host1[0-9]\\.example\\.net$/',
    'SELECT max("value") FROM "cpu_value" WHERE "host" = \'host1.example.net\' AND time >= \'2020-09-13T12:26:40Z\' '
    'AND time < \'2020-09-13T12:36:40Z\' GROUP BY time(10s)',
]
QUERIES = F.QUERIES + EXTRA
RUNS = 5
TIMEOUT = 900
SHORT = {
    QUERIES[0]: "count(value) FROM /.*/",
    QUERIES[1]: "TAG VALUES KEY = host",
    QUERIES[2]: "TAG VALUES instance, host =~ /^h1[0-9]$/",
    QUERIES[3]: "TAG KEYS FROM cpu_value",
    QUERIES[4]: "max(cpu), host = 'h1000', time(10s)",
    QUERIES[5]: "last(load_shortterm) GROUP BY host",
    EXTRA[0]: "TAG VALUES instance, host =~ /^host1[0-9]\\./",
    EXTRA[1]: "max(cpu), host = 'host1.…', 10 min, time(10s)",
}
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def log(msg):
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"[fleet-scaling {time.strftime('%H:%M:%S')} load {load}] {msg}", flush=True)


def short(q):
    return SHORT.get(q, q if len(q) <= 44 else q[:41] + "...")


def answer_shape(body):
    """(series, rows) of an InfluxQL JSON answer, or an error string."""
    try:
        doc = json.loads(body)
    except ValueError:
        return "not JSON"
    series = rows = 0
    for r in doc.get("results", []):
        if "error" in r:
            return "error: " + str(r["error"])[:80]
        for s in r.get("series", []):
            series += 1
            rows += len(s.get("values", []))
    if "error" in doc:
        return "error: " + str(doc["error"])[:80]
    return series, rows


class MemoryCap:
    """Kills `proc` if its VmRSS passes `cap_kib` (so a runaway query cannot take the machine's memory)."""

    def __init__(self, proc, cap_kib):
        self.proc, self.cap, self.killed_at = proc, cap_kib, None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)
        self.thread.start()

    def watch(self):
        while True:
            rss = L.proc_status(self.proc.pid, "VmRSS")
            if self.cap and rss > self.cap and self.proc.poll() is None:
                self.killed_at = rss
                self.proc.kill()
                self.proc.wait()
                return
            if self.stop.wait(0.05):
                return

    def close(self):
        self.stop.set()
        self.thread.join()


def time_queries(proc, port, cap_kib):
    """Each query RUNS times on one keep-alive connection: {query: {best, median, times, shape, bytes}}."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    out = {}
    cap = MemoryCap(proc, cap_kib)
    for q in QUERIES:
        if cap.killed_at or proc.poll() is not None:
            out[q] = {"best": None, "median": None, "times": [], "shape": None, "bytes": 0,
                      "error": "server gone" + (" (killed at the memory cap)" if cap.killed_at else "")}
            log(f"  {out[q]['error']}  {q}")
            continue
        path = "/query?" + urllib.parse.urlencode({"db": "collectd", "q": q})
        times, shape, size, err = [], None, 0, None
        for _ in range(RUNS):
            t = time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                body = resp.read()
            except (OSError, http.client.HTTPException) as e:
                err = f"{type(e).__name__}: {e}"
                if cap.killed_at:
                    err = f"killed at VmRSS {cap.killed_at / 1024:,.0f} MiB (the cap); {err}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
                break
            times.append(time.perf_counter() - t)
            size = len(body)
            shape = answer_shape(body) if resp.status == 200 else f"HTTP {resp.status}: {body[:80]!r}"
        out[q] = {"best": min(times) if times else None, "median": statistics.median(times) if times else None,
                  "times": times, "shape": shape, "bytes": size, "error": err}
        log(f"  {fmt_ms(out[q]['best'])} ms best, {fmt_ms(out[q]['median'])} ms median, answer {shape} "
            f"({size:,} B){' ' + err if err else ''}  {q}")
    conn.close()
    cap.close()
    return out, cap.killed_at


SETTLE_SECONDS = 15


def memory(pid):
    return {"rss": L.proc_status(pid, "VmRSS"), "hwm": L.proc_status(pid, "VmHWM")}


def settled(pid):
    """VmRSS once the server has had SETTLE_SECONDS without load (collectlite gives back what a
    burst freed after 5 quiet seconds; Go's scavenger returns memory in the background)."""
    time.sleep(SETTLE_SECONDS)
    return {"rss_settled": L.proc_status(pid, "VmRSS")}


def wait_stored(server, expected, limit=600):
    """collectlite: polls the stored counter until it reaches `expected` or stops moving for 5 s."""
    deadline = time.time() + limit
    last, since = -1, time.time()
    while time.time() < deadline:
        now = server.stored()
        if now >= expected:
            return now
        if now != last:
            last, since = now, time.time()
        elif time.time() - since > 5:
            return now
        time.sleep(0.25)
    return server.stored()


def influx_series(port):
    """Exact series cardinality of database collectd (summed over measurements), or None."""
    try:
        q = urllib.parse.urlencode({"db": "collectd", "q": "SHOW SERIES EXACT CARDINALITY"})
        _, body = L.http_get(port, "/query?" + q, timeout=TIMEOUT)
        total = 0
        for r in json.loads(body).get("results", []):
            for s in r.get("series", []):
                total += sum(int(v[0]) for v in s.get("values", []))
        return total
    except (OSError, ValueError, KeyError, TypeError):
        return None


def after_queries(r, proc, killed_at):
    r["killed_at"] = killed_at
    alive = not killed_at and proc.poll() is None
    r["hwm_after"] = L.proc_status(proc.pid, "VmHWM") if alive else None
    r["rss_after"] = L.proc_status(proc.pid, "VmRSS") if alive else None
    if alive:
        # What the queries' working memory leaves behind once they have stopped (collectlite
        # gives freed pages back after large work pauses; see HeapTrim).
        time.sleep(SETTLE_SECONDS)
        r["rss_after_settled"] = L.proc_status(proc.pid, "VmRSS") if proc.poll() is None else None
    r["exited"] = None if alive else proc.wait()


def run_collectlite(binary, pkt, info, cap_kib):
    s = L.Collectlite(binary)
    r = {"idle": s.idle_rss}
    t = time.time()
    L.send(F.BENCH, pkt, s.udp, 300000)
    L.wait_idle(s.proc.pid)
    r["stored"] = wait_stored(s, info["values"])
    r["load_seconds"] = time.time() - t
    r["series"] = s.series()
    r["dropped"] = s.dropped()
    r.update(memory(s.proc.pid))
    log(f"collectlite: stored {r['stored']:,} of {info['values']:,} sent, series {r['series']:,}, "
        f"drops {r['dropped'] or 'none'}, VmRSS {r['rss'] / 1024:.1f} MiB, VmHWM {r['hwm'] / 1024:.1f} MiB "
        f"(idle {r['idle'] / 1024:.1f}), {r['load_seconds']:.1f} s to load")
    r.update(settled(s.proc.pid))
    log(f"collectlite: VmRSS {r['rss_settled'] / 1024:.1f} MiB {SETTLE_SECONDS} s later")
    r["queries"], killed_at = time_queries(s.proc, s.http, cap_kib)
    after_queries(r, s.proc, killed_at)
    if r["exited"] is None:
        s.stop()
    else:
        shutil.rmtree(s.dir, ignore_errors=True)
    return r


def run_influx(pkt, info, rate, cap_kib):
    i = L.Influx()
    r = {"idle": i.idle_rss}
    t = time.time()
    L.send(F.BENCH, pkt, i.udp, rate)
    r["stored"] = i.settle()
    r["load_seconds"] = time.time() - t
    r.update(memory(i.proc.pid))  # before the cardinality query, which may allocate
    r["series"] = influx_series(i.http)
    lost = info["values"] - r["stored"]
    short_by = f" (SHORT by {lost:,}, {100.0 * lost / info['values']:.2f} %)" if lost else ""
    series = "?" if r["series"] is None else f"{r['series']:,}"
    log(f"influxdb: stored {r['stored']:,} of {info['values']:,} sent{short_by}, series {series}, "
        f"VmRSS {r['rss'] / 1024:.1f} MiB, VmHWM {r['hwm'] / 1024:.1f} MiB (idle {r['idle'] / 1024:.1f}), "
        f"{r['load_seconds']:.1f} s to load and settle")
    r.update(settled(i.proc.pid))
    log(f"influxdb: VmRSS {r['rss_settled'] / 1024:.1f} MiB {SETTLE_SECONDS} s later")
    r["queries"], killed_at = time_queries(i.proc, i.http, cap_kib)
    after_queries(r, i.proc, killed_at)
    i.stop()
    return r


def fmt_ms(sec):
    if sec is None:
        return "–"
    ms = sec * 1000
    return f"{ms:.3f}" if ms < 1 else f"{ms:.2f}" if ms < 100 else f"{ms:.1f}" if ms < 10000 else f"{ms:,.0f}"


def mib(kib):
    return "–" if kib is None else f"{kib / 1024:.1f}"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "–"


def shape_str(r, q):
    if r is None:
        return "–"
    x = r["queries"][q]
    if x["error"]:
        return x["error"][:40]
    s = x["shape"]
    return f"{s[0]:,}/{s[1]:,}" if isinstance(s, tuple) else str(s)[:40]


def host_table(hosts, info, cl, ix):
    out = [f"### {hosts:,} hosts × {info['values'] // max(1, info['series'])} rounds: {info['series']:,} series, "
           f"{info['values']:,} values sent\n",
           "| query | InfluxDB 1.6.7 ms, best / median | collectlite ms, best / median | ratio (InfluxDB / collectlite), "
           "best / median | answer series/rows, InfluxDB / collectlite |",
           "|---|---:|---:|---:|---|"]
    for q in QUERIES:
        a = ix["queries"][q] if ix else None
        b = cl["queries"][q]
        ia = f"{fmt_ms(a['best'])} / {fmt_ms(a['median'])}" if a else "–"
        cb = f"{fmt_ms(b['best'])} / {fmt_ms(b['median'])}"
        rr = f"{ratio(a['best'], b['best'])} / {ratio(a['median'], b['median'])}" if a else "–"
        out.append(f"| `{q}` | {ia} | {cb} | {rr} | {shape_str(ix, q)} / {shape_str(cl, q)} |")

    def mem_row(label, key):
        x = ix.get(key) if ix else None
        out.append(f"| {label}, MiB | {mib(x)} | {mib(cl.get(key))} | {ratio(x, cl.get(key))} | |")
    mem_row("resident memory after loading (VmRSS)", "rss")
    mem_row(f"resident memory {SETTLE_SECONDS} s after loading (VmRSS)", "rss_settled")
    mem_row("peak resident memory after loading (VmHWM)", "hwm")
    mem_row("resident memory after the queries (VmRSS)", "rss_after")
    if cl.get("rss_after_settled") is not None:
        mem_row(f"resident memory {SETTLE_SECONDS} s after the queries (VmRSS)", "rss_after_settled")
    mem_row("peak resident memory after the queries (VmHWM)", "hwm_after")
    mem_row("idle RSS after start-up", "idle")
    for name, r in (("InfluxDB", ix), ("collectlite", cl)):
        if r and r.get("exited") is not None:
            why = f", killed at VmRSS {r['killed_at'] / 1024:,.0f} MiB (--mem-cap-gib)" if r.get("killed_at") else ""
            out.append(f"| **{name} exited during the queries (status {r['exited']}{why})** | | | | |")
    out.append(f"| values stored (of {info['values']:,} sent) | {format(ix['stored'], ',') if ix else '–'} | "
               f"{cl['stored']:,} | | |")
    out.append(f"| series (InfluxDB: SHOW SERIES EXACT CARDINALITY; collectlite: SHOW STATS) | "
               f"{format(ix['series'], ',') if ix and ix['series'] is not None else '–'} | {cl['series']:,} | | |")
    ix_load = f"{ix['load_seconds']:.1f}" if ix else "–"
    out.append(f"| seconds to load (send until stored and idle) | {ix_load} | {cl['load_seconds']:.1f} | | |")
    return out


def combined_tables(results):
    out = ["### Series against query time (best of 5, ms)\n"]
    for k, q in enumerate(QUERIES):
        out.append(f"- Q{k + 1}: `{q}`")
    out.append("")
    out.append("| hosts | series | server | " + " | ".join(f"Q{k + 1}" for k in range(len(QUERIES))) +
               " | VmRSS MiB | VmHWM MiB | stored of sent |")
    out.append("|---:|---:|---|" + "---:|" * (len(QUERIES) + 3))
    for hosts, info, cl, ix in results:
        for name, r in (("InfluxDB", ix), ("collectlite", cl)):
            if r is None:
                continue
            cells = " | ".join(fmt_ms(r["queries"][q]["best"]) for q in QUERIES)
            out.append(f"| {hosts:,} | {info['series']:,} | {name} | {cells} | {mib(r['rss'])} | {mib(r['hwm'])} | "
                       f"{r['stored']:,} of {info['values']:,} |")
    out.append("")
    out.append("### Growth exponent of query time between neighbouring host counts "
               "(log(t₂/t₁) / log(series₂/series₁); 1.0 = linear in series)\n")
    steps = [(results[k], results[k + 1]) for k in range(len(results) - 1)]
    out.append("| query | server | " + " | ".join(f"{a[0]:,}→{b[0]:,}" for a, b in steps) + " |")
    out.append("|---|---|" + "---:|" * len(steps))
    for k, q in enumerate(QUERIES):
        for name, idx in (("InfluxDB", 3), ("collectlite", 2)):
            cells = []
            for a, b in steps:
                ra, rb = a[idx], b[idx]
                ta = ra["queries"][q]["best"] if ra else None
                tb = rb["queries"][q]["best"] if rb else None
                if ta and tb:
                    cells.append(f"{math.log(tb / ta) / math.log(b[1]['series'] / a[1]['series']):.2f}")
                else:
                    cells.append("–")
            if any(c != "–" for c in cells):
                out.append(f"| Q{k + 1} | {name} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("### Resident memory above idle, per series (bytes)\n")
    out.append("| hosts | series | InfluxDB VmRSS | collectlite VmRSS | InfluxDB VmHWM | collectlite VmHWM |")
    out.append("|---:|---:|---:|---:|---:|---:|")
    for hosts, info, cl, ix in results:
        def per(r, key):
            return f"{(r[key] - r['idle']) * 1024 / info['series']:,.0f}" if r else "–"
        out.append(f"| {hosts:,} | {info['series']:,} | {per(ix, 'rss')} | {per(cl, 'rss')} | {per(ix, 'hwm')} | "
                   f"{per(cl, 'hwm')} |")
    return out


def write_svg(path, results, title):
    """A log-log plot of best query time (ms) against series, one polyline per query and server."""
    W, H = 900, 560
    left, right, top, bottom = 78, 560, 52, 490
    lines = []  # (query index, server, [(series, ms)])
    for k, q in enumerate(QUERIES):
        for name, idx in (("collectlite", 2), ("InfluxDB", 3)):
            pts = [(row[1]["series"], row[idx]["queries"][q]["best"] * 1000) for row in results
                   if row[idx] is not None and row[idx]["queries"][q]["best"]]
            if pts:
                lines.append((k, name, pts))
    xs = [p[0] for _, _, pts in lines for p in pts]
    ys = [p[1] for _, _, pts in lines for p in pts]
    if not xs:
        return
    x0, x1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)

    def X(v):
        return left + (math.log10(v) - x0) / (x1 - x0) * (right - left)

    def Y(v):
        return bottom - (math.log10(v) - y0) / (y1 - y0) * (bottom - top)

    def xlabel(e):
        v = 10 ** e
        return f"{v // 1000000}M" if v >= 1000000 else f"{v // 1000}k" if v >= 1000 else str(v)

    def ylabel(e):
        return f"{10.0 ** (e - 3):g} s" if e >= 3 else f"{10.0 ** e:g} ms"

    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
         f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">',
         f'<rect width="{W}" height="{H}" fill="white"/>',
         f'<text x="{W / 2:.0f}" y="24" text-anchor="middle" font-size="15" font-weight="bold">{escape(title)}</text>',
         f'<text x="{W / 2:.0f}" y="41" text-anchor="middle" font-size="11" fill="#555">best of {RUNS} on one keep-alive '
         f'connection, log-log; solid: collectlite, dashed: InfluxDB 1.6.7</text>']
    # Grid: minor lines at 2..9, major at each decade.
    def ticks(lo, hi):
        for e in range(lo, hi + 1):
            for m in range(1, 10):
                if e == hi and m > 1:
                    break
                yield e, m * 10.0 ** e, m == 1

    def line(ax, ay, bx, by, stroke, width=""):
        return f'<line x1="{ax}" y1="{ay}" x2="{bx}" y2="{by}" stroke="{stroke}"{width}/>'

    # Vertical lines at each series count, then horizontal ones at each time: (line, tick, label).
    for vertical, (lo, hi) in ((True, (x0, x1)), (False, (y0, y1))):
        for e, v, major in ticks(lo, hi):
            at = X(v) if vertical else Y(v)
            p = f"{at:.1f}"
            grid, tick, label = (
                ((p, top, p, bottom), (p, bottom, p, bottom + 6),
                 f'<text x="{p}" y="{bottom + 20}" text-anchor="middle">{xlabel(e)}</text>') if vertical else
                ((left, p, right, p), (left - 6, p, left, p),
                 f'<text x="{left - 9}" y="{at + 4:.1f}" text-anchor="end">{ylabel(e)}</text>'))
            o.append(line(*grid, "#bbb" if major else "#eee", ' stroke-width="1"'))
            if major:
                o.append(line(*tick, "#333"))
                o.append(label)
    o.append(f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="none" stroke="#333"/>')
    o.append(f'<text x="{(left + right) / 2:.0f}" y="{bottom + 42}" text-anchor="middle">series</text>')
    o.append(f'<text transform="translate(20 {(top + bottom) / 2:.0f}) rotate(-90)" text-anchor="middle">'
             f'query time</text>')
    # A slope-1 guide (time proportional to series), anchored at the bottom-left corner of the data.
    gx0, gx1 = 10 ** x0, 10 ** x1
    gy0 = 10 ** y0
    gy1 = gy0 * gx1 / gx0
    if gy1 > 10 ** y1:
        gx1 = gx0 * (10 ** y1) / gy0
        gy1 = 10 ** y1
    o.append(f'<line x1="{X(gx0):.1f}" y1="{Y(gy0):.1f}" x2="{X(gx1):.1f}" y2="{Y(gy1):.1f}" stroke="#999" '
             f'stroke-width="1.2" stroke-dasharray="2 4"/>')
    for k, name, pts in lines:
        color = COLORS[k % len(COLORS)]
        dash = ' stroke-dasharray="7 5"' if name == "InfluxDB" else ""
        p = " ".join(f"{X(x):.1f},{Y(y):.1f}" for x, y in pts)
        o.append(f'<polyline points="{p}" fill="none" stroke="{color}" stroke-width="2"{dash}>'
                 f'<title>{escape(name + ": " + QUERIES[k])}</title></polyline>')
        for x, y in pts:
            if name == "InfluxDB":
                o.append(f'<circle cx="{X(x):.1f}" cy="{Y(y):.1f}" r="3" fill="white" stroke="{color}" stroke-width="1.5"/>')
            else:
                o.append(f'<circle cx="{X(x):.1f}" cy="{Y(y):.1f}" r="3" fill="{color}"/>')
    # Legend.
    lx, ly = right + 16, top + 6
    o.append(f'<text x="{lx}" y="{ly + 8}" font-weight="bold">queries</text>')
    for k, q in enumerate(QUERIES):
        y = ly + 28 + k * 22
        color = COLORS[k % len(COLORS)]
        o.append(f'<line x1="{lx}" y1="{y - 4}" x2="{lx + 24}" y2="{y - 4}" stroke="{color}" stroke-width="3"/>')
        o.append(f'<text x="{lx + 30}" y="{y}" font-size="10.5">Q{k + 1} {escape(short(q))}<title>{escape(q)}</title></text>')
    y = ly + 28 + len(QUERIES) * 22 + 16
    o.append(f'<text x="{lx}" y="{y}" font-weight="bold">servers</text>')
    o.append(f'<line x1="{lx}" y1="{y + 18}" x2="{lx + 24}" y2="{y + 18}" stroke="#333" stroke-width="2"/>')
    o.append(f'<circle cx="{lx + 12}" cy="{y + 18}" r="3" fill="#333"/>')
    o.append(f'<text x="{lx + 31}" y="{y + 22}" font-size="11">collectlite</text>')
    o.append(f'<line x1="{lx}" y1="{y + 40}" x2="{lx + 24}" y2="{y + 40}" stroke="#333" stroke-width="2" '
             f'stroke-dasharray="7 5"/>')
    o.append(f'<circle cx="{lx + 12}" cy="{y + 40}" r="3" fill="white" stroke="#333" stroke-width="1.5"/>')
    o.append(f'<text x="{lx + 31}" y="{y + 44}" font-size="11">InfluxDB 1.6.7</text>')
    o.append(f'<line x1="{lx}" y1="{y + 62}" x2="{lx + 24}" y2="{y + 62}" stroke="#999" stroke-width="1.2" '
             f'stroke-dasharray="2 4"/>')
    o.append(f'<text x="{lx + 31}" y="{y + 66}" font-size="11">slope 1 (time ∝ series)</text>')
    y += 90
    o.append(f'<text x="{lx}" y="{y}" font-weight="bold">hosts → series</text>')
    y += 18
    for hosts, info, _, ix in results:
        o.append(f'<text x="{lx}" y="{y}" font-size="11">{hosts:,} hosts → {info["series"]:,} series</text>')
        y += 16
        if ix and ix["stored"] < info["values"]:
            o.append(f'<text x="{lx + 12}" y="{y - 2}" font-size="10" fill="#a00">InfluxDB stored '
                     f'{100.0 * ix["stored"] / info["values"]:.2f} % of the values (UDP loss)</text>')
            y += 14
    o.append("</svg>")
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(o) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--hosts", default="2,20,200,2000,10000", help="comma-separated host counts")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--svg", default=None, help="write the log-log plot here (e.g. Docs/fleet-scaling.svg)")
    ap.add_argument("--skip-influx", action="store_true")
    ap.add_argument("--fleet-queries-only", action="store_true", help="only fleet_queries.py's QUERIES")
    ap.add_argument("--influx-rate", type=int, default=100000, help="values/s offered to InfluxDB")
    ap.add_argument("--replot", metavar="LOG", help="only write --svg from the `raw:` line of an earlier run's output")
    ap.add_argument("--mem-cap-gib", type=float, default=8.0,
                    help="kill a server whose VmRSS passes this during the queries (0: no cap)")
    a = ap.parse_args()
    if a.fleet_queries_only:
        del QUERIES[len(F.QUERIES):]
    if a.replot:
        with open(a.replot) as f:
            raw = json.loads(next(line for line in f if line.startswith("raw: "))[5:])
        results = [(r["hosts"], r["info"], r["collectlite"], r["influxdb"]) for r in raw]
        write_svg(a.svg, results, f"Fleet queries against series: collectlite ({os.path.basename(a.binary)}) "
                                  f"and InfluxDB 1.6.7")
        log(f"wrote {a.svg}")
        return
    counts = [int(h) for h in a.hosts.split(",") if h.strip()]
    work = tempfile.mkdtemp(prefix="fleet-scaling-")
    log(f"collectlite {a.binary}, bench {F.BENCH}, hosts {counts}, rounds {a.rounds}")
    results = []
    try:
        for hosts in counts:
            pkt = os.path.join(work, f"fleet-{hosts}.pkt")
            info = L.make_packets(F.BENCH, pkt, hosts=hosts, rounds=a.rounds, values_per_datagram=22)
            log(f"{hosts:,} hosts: {info}")
            cap = int(a.mem_cap_gib * 1048576)
            cl = run_collectlite(a.binary, pkt, info, cap)
            ix = None if a.skip_influx else run_influx(pkt, info, a.influx_rate, cap)
            os.unlink(pkt)
            results.append((hosts, info, cl, ix))
            print("\n".join(host_table(hosts, info, cl, ix)) + "\n", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(combined_tables(results)) + "\n", flush=True)
    if a.svg:
        write_svg(a.svg, results, f"Fleet queries against series: collectlite ({os.path.basename(a.binary)}) "
                                  f"and InfluxDB 1.6.7")
        log(f"wrote {a.svg}")
    raw = [{"hosts": h, "info": info,
            "collectlite": cl, "influxdb": ix} for h, info, cl, ix in results]
    print("raw: " + json.dumps(raw), flush=True)


if __name__ == "__main__":
    main()
