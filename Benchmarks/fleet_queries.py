#!/usr/bin/env python3
"""Fleet-scale reads, side by side: 2 000 hosts × 3 rounds of collectd values (102 000 series,
made by `collectlite-bench packets`) offered over UDP to a fresh `collectlite serve` (one or two
binaries, e.g. before and after a change) and to influxd 1.6.7 with `[[collectd]]`; then the
best of 3 wall times over HTTP of the queries a fleet dashboard and its template variables send.

Usage: fleet_queries.py BIN_BEFORE|- BIN_AFTER [--hosts 2000] [--rounds 3] [--perf N [--perf-query I]] [--skip-influx]
                        [--keep-alive]
With --perf N, `perf record -g` follows each collectlite server while the count query runs N
(or QUERIES[I]) more times (from this process, over HTTP) and prints the 15 hottest symbols (self time).
The 3rd and 5th queries match no host (the packet file names hosts `hostN.example.net`); they
stay as they are so figures compare with earlier runs, and fleet_scaling.py adds variants that match.
Prints figures; asserts nothing.
"""
import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import time
import shutil
import signal
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ingest_load as L  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.environ.get("COLLECTLITE_BENCH", os.path.join(ROOT, ".build-bench", "release", "collectlite-bench"))
QUERIES = [
    'SELECT count("value") FROM /.*/ WHERE time > 0',
    'SHOW TAG VALUES FROM "cpu_value" WITH KEY = "host"',
    'SHOW TAG VALUES FROM "cpu_value" WITH KEY = "instance" WHERE "host" =~ /^h1[0-9]$/',
    'SHOW TAG KEYS FROM "cpu_value"',
    'SELECT max("value") FROM "cpu_value" WHERE "host" = \'h1000\' AND time > 0 GROUP BY time(10s)',
    'SELECT last("value") FROM "load_shortterm" WHERE time > 0 GROUP BY "host"',
]


KEEP_ALIVE = False
CONNECTIONS = {}


def best_of(port, query, n=3):
    """Best of n wall times: a new connection per request (urllib), or with --keep-alive one
    http.client connection per server reused (as Grafana's proxy does) and best of 10."""
    best = 1e9
    path = "/query?" + urllib.parse.urlencode({"db": "collectd", "q": query})
    for _ in range(10 if KEEP_ALIVE else n):
        t = time.perf_counter()
        if KEEP_ALIVE:
            conn = CONNECTIONS.get(port)
            if conn is None:
                conn = CONNECTIONS[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
            conn.request("GET", path)
            conn.getresponse().read()
        else:
            L.http_get(port, path, timeout=900)
        best = min(best, time.perf_counter() - t)
    return best


def profile(server, query, runs):
    """perf record of `server` while `query` runs `runs` times; the hottest symbols by self time."""
    data = tempfile.mktemp(prefix="perf-", suffix=".data")
    rec = subprocess.Popen(["perf", "record", "-F", "999", "-g", "-p", str(server.proc.pid), "-o", data],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    for _ in range(runs):
        L.http_get(server.http, "/query?" + urllib.parse.urlencode({"db": "collectd", "q": query}), timeout=900)
    rec.send_signal(signal.SIGINT)
    rec.wait()
    rows = L.perf_top(data, 0.7, 15)
    if os.environ.get("KEEP_PERF"):
        shutil.copy(data, os.environ["KEEP_PERF"])
    os.unlink(data)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--hosts", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--perf", type=int, default=0)
    ap.add_argument("--perf-query", type=int, default=0, help="index in QUERIES of the query to profile")
    ap.add_argument("--skip-influx", action="store_true")
    ap.add_argument("--keep-alive", action="store_true", help="one reused connection per server, best of 10")
    a = ap.parse_args()
    global KEEP_ALIVE
    KEEP_ALIVE = a.keep_alive
    work = tempfile.mkdtemp(prefix="fleet-")
    pkt = os.path.join(work, "fleet.pkt")
    print(subprocess.run([BENCH, "packets", "--out", pkt, "--hosts", str(a.hosts), "--rounds", str(a.rounds),
                          "--values-per-datagram", "22"], capture_output=True, text=True, check=True).stdout.strip())
    rows = {q: {} for q in QUERIES}
    for name, binary in (("before", a.before), ("after", a.after)):
        if binary == "-":
            continue
        s = L.Collectlite(binary)
        L.send(BENCH, pkt, s.udp, 300000)
        L.wait_idle(s.proc.pid)
        print(f"{name}: stored {s.stored()}, series {s.series()}", flush=True)
        for q in QUERIES:
            rows[q][name] = best_of(s.http, q)
        if a.perf and shutil.which("perf"):
            print(f"{name}: perf, {a.perf} × {QUERIES[a.perf_query]}")
            for pct, sym in profile(s, QUERIES[a.perf_query], a.perf):
                print(f"  {pct:5.1f} %  {sym}")
        s.stop()
    for q in QUERIES:
        for k, v in rows[q].items():
            print(f"{k:8s} {v * 1000:9.2f} ms  {q}", flush=True)
    if a.skip_influx:
        return
    i = L.Influx()
    L.send(BENCH, pkt, i.udp, 100000)
    print(f"influxdb: stored {i.settle()}", flush=True)
    for q in QUERIES:
        rows[q]["influxdb"] = best_of(i.http, q)
    i.stop()
    print("| query | InfluxDB 1.6.7 (ms) | before (ms) | after (ms) | speed vs InfluxDB (× faster) |")
    print("|---|---:|---:|---:|---:|")
    for q in QUERIES:
        r = rows[q]
        fmt = lambda k: (f"{r[k] * 1000:.2f}" if r[k] < 0.01 else f"{r[k] * 1000:.1f}") if k in r else "–"
        ratio = f"{r['influxdb'] / r['after']:.2f}" if "after" in r and r["after"] > 0 else "–"
        print(f"| `{q}` | {fmt('influxdb')} | {fmt('before')} | {fmt('after')} | {ratio} |")


if __name__ == "__main__":
    main()
