#!/usr/bin/env python3
"""Queries that chunk summaries (schema 7) can answer without decoding, side by side: the HTTP
phase's collectd-like data (default 5 hosts × 48 h at 10 s, written over /write) in one or two
`collectlite serve` binaries (e.g. before and after a change) and in influxd 1.6.7, then count,
max, min, last and (as a control that decodes) mean over day-long ranges with wide buckets, each
N times on one keep-alive connection: p50 and p99 per server.

Usage: summary_queries.py BIN_BEFORE|- BIN_AFTER [--hosts 5] [--hours 48] [--iterations 20] [--skip-influx]
Prints a Markdown table; asserts nothing.
"""
import argparse
import http.client
import os
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ingest_load as L  # noqa: E402

C = L.compare_influxdb()


def queries(start, end):
    r = f"time >= {start // 1_000_000}ms AND time <= {end // 1_000_000}ms"
    return [
        ("count cpu, whole range", f'SELECT count("value") FROM "cpu_value" WHERE {r}'),
        ("count interface 1d", f'SELECT count("value") FROM "interface_rx" WHERE {r} GROUP BY time(1d)'),
        ("max cpu user 1d per host", f'SELECT max("value") FROM "cpu_value" WHERE "type_instance" = \'user\' AND {r} GROUP BY time(1d), "host"'),
        ("min memory 12h per host", f'SELECT min("value") FROM "memory_value" WHERE {r} GROUP BY time(12h), "host", "type_instance"'),
        ("last load 6h per host", f'SELECT last("value") FROM "load_shortterm" WHERE {r} GROUP BY time(6h), "host"'),
        ("mean cpu user 1d (decodes)", f'SELECT mean("value") FROM "cpu_value" WHERE "type_instance" = \'user\' AND {r} GROUP BY time(1d), "host"'),
    ]


def timed(port, qs, n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    out = {}
    for name, q in qs:
        path = "/query?" + urllib.parse.urlencode({"db": "collectd", "epoch": "ms", "q": q})
        conn.request("GET", path)
        body = conn.getresponse().read()  # warm-up, and the answer to compare
        times = []
        for _ in range(n):
            t = time.perf_counter()
            conn.request("GET", path)
            conn.getresponse().read()
            times.append((time.perf_counter() - t) * 1000)
        out[name] = (C.pct(times, 0.5), C.pct(times, 0.99), body)
    conn.close()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--hosts", type=int, default=5)
    ap.add_argument("--hours", type=int, default=48)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--skip-influx", action="store_true")
    a = ap.parse_args()
    start = C.DAY_START
    qs = queries(start, start + a.hours * 3_600_000_000_000)
    rows = {}
    for label, binary in (("before", a.before), ("after", a.after)):
        if binary == "-":
            continue
        s = L.Collectlite(os.path.abspath(binary))
        try:
            C.load_day(s.http, hosts=a.hosts, hours=a.hours)
            time.sleep(3)  # a flush seals what the last writes closed
            rows[label] = timed(s.http, qs, a.iterations)
            stats = L.http_get(s.http, "/metrics", timeout=30)[1].decode()
            line = [x for x in stats.splitlines() if "chunks_summarized_total" in x and not x.startswith("#")]
            print(f"{label}: {line[0] if line else 'no chunks_summarized_total'}", flush=True)
        finally:
            s.stop()
    if not a.skip_influx:
        i = L.Influx()
        try:
            C.load_day(i.http, hosts=a.hosts, hours=a.hours)
            rows["influxdb"] = timed(i.http, qs, a.iterations)
        finally:
            i.stop()
    labels = [k for k in ("influxdb", "before", "after") if k in rows]
    print(f"\n{a.hosts} hosts × {a.hours} h at 10 s; p50 / p99 ms over {a.iterations} requests\n")
    print("| query | " + " | ".join(labels) + " | after vs before | after vs InfluxDB | same answer |")
    print("|---|" + "---:|" * len(labels) + "---:|---:|---|")
    for name, _ in qs:
        cells = [f"{rows[k][name][0]:.2f} / {rows[k][name][1]:.2f}" for k in labels]
        vs_before = f"{rows['before'][name][0] / rows['after'][name][0]:.2f}×" if "before" in rows and "after" in rows else "–"
        vs_influx = f"{rows['influxdb'][name][0] / rows['after'][name][0]:.2f}×" if "influxdb" in rows and "after" in rows else "–"
        bodies = {rows[k][name][2] for k in labels}
        print(f"| {name} | " + " | ".join(cells) + f" | {vs_before} | {vs_influx} | {'yes' if len(bodies) == 1 else 'NO'} |")


if __name__ == "__main__":
    main()
