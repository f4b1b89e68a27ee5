#!/usr/bin/env python3
"""The fixed cost of one HTTP request, side by side: a fresh `collectlite serve` (one or two binaries)
and influxd 1.6.7 get the same few points over /write (20 hosts × 2 cpu states × 60 values), then
small requests run N times each on one keep-alive connection (Python's http.client, as Grafana's
proxy keeps its connection): /ping, SHOW DATABASES, SHOW TAG VALUES WITH KEY = "host", one
host's values over 10 minutes, with and without `Accept-Encoding: gzip`.

Reports per request: the client's median and p99 wall time, and the server process's CPU time
(user + system from /proc, divided by N), which moves less than wall time on a busy machine.

--connection new opens a fresh connection for every request (curl in a shell loop, scripts using
`requests.get`, health checks); --connection close also sends `Connection: close`, so the server
closes it (ApacheBench without -k sends HTTP/1.0, which means the same).

Usage: edge_cost.py BIN_BEFORE|- [BIN_AFTER] [-n 2000] [--skip-influx] [--perf CASE]
                    [--connection keep|new|close]
With --perf CASE (an index into CASES), `perf record -g` follows each collectlite server while that
case runs N more times, and prints the 25 hottest symbols by self time. Asserts nothing.
"""
import argparse
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ingest_load as L  # noqa: E402

START = 1_700_000_000 * 10**9
CASES = [
    ("/ping", "/ping"),
    ("SHOW DATABASES", "SHOW DATABASES"),
    ("SHOW TAG VALUES host", 'SHOW TAG VALUES FROM "cpu_value" WITH KEY = "host"'),
    ("SHOW MEASUREMENTS", "SHOW MEASUREMENTS LIMIT 100"),
    ("one host, 10 min", 'SELECT mean("value") FROM "cpu_value" WHERE "host" = \'h3\' AND time >= '
                         f'{START}ns AND time <= {START + 600 * 10**9}ns GROUP BY time(1m), "type_instance"'),
]


def cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def path_of(case):
    target = case[1]
    if target.startswith("/"):
        return target
    return "/query?" + urllib.parse.urlencode({"db": "edge", "q": target, "epoch": "ms"})


def load(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/query", body=urllib.parse.urlencode({"q": "CREATE DATABASE edge"}),
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    conn.getresponse().read()
    lines = []
    for h in range(20):
        for state in ("user", "system"):
            for i in range(60):
                lines.append(f"cpu_value,host=h{h},instance=0,type=cpu,type_instance={state} value={i * 1.5} "
                             f"{START + i * 10 * 10**9}")
    conn.request("POST", "/write?db=edge", body="\n".join(lines))
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 204, resp.status
    conn.close()


CONNECTION = "keep"


def run_case(port, pid, case, n, gzip):
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    if CONNECTION == "close":
        headers["Connection"] = "close"
    path = path_of(case)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def one():
        nonlocal conn
        if CONNECTION != "keep":
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path, headers=headers)
        conn.getresponse().read()
        if CONNECTION != "keep":
            conn.close()

    for _ in range(20):
        one()
    times = []
    c0 = cpu(pid)
    for _ in range(n):
        t = time.perf_counter()
        one()
        times.append(time.perf_counter() - t)
    c1 = cpu(pid)
    conn.close()
    times.sort()
    return times[len(times) // 2] * 1e3, times[min(len(times) - 1, int(len(times) * 0.99))] * 1e3, (c1 - c0) / n * 1e3


def profile(port, pid, case, n):
    data = tempfile.mktemp(prefix="perf-", suffix=".data")
    rec = subprocess.Popen(["perf", "record", "-F", "1999", "-g", "-p", str(pid), "-o", data],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    run_case(port, pid, case, n, True)
    rec.send_signal(signal.SIGINT)
    rec.wait()
    rows = L.perf_top(data, 0.5, 25)
    os.unlink(data)
    return rows


def measure(name, port, pid, n, results):
    load(port)
    for case in CASES:
        for gz in (False, True):
            results[(case[0], gz)][name] = run_case(port, pid, case, n, gz)
            p50, p99, c = results[(case[0], gz)][name]
            print(f"{name:11s} {case[0]:22s} gzip={int(gz)}  p50 {p50:6.3f} ms  p99 {p99:6.3f} ms  "
                  f"server CPU {c:6.3f} ms/request", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after", nargs="?", default="-")
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--skip-influx", action="store_true")
    ap.add_argument("--perf", type=int, default=-1, help="index in CASES to profile")
    ap.add_argument("--connection", choices=("keep", "new", "close"), default="keep",
                    help="keep one connection (default), open a new one per request, or also send Connection: close")
    a = ap.parse_args()
    global CONNECTION
    CONNECTION = a.connection
    results = {(c[0], gz): {} for c in CASES for gz in (False, True)}
    names = []
    for name, binary in (("before", a.before), ("after", a.after)):
        if binary == "-":
            continue
        names.append(name)
        s = L.Collectlite(binary)
        measure(name, s.http, s.proc.pid, a.n, results)
        if a.perf >= 0 and shutil.which("perf"):
            print(f"{name}: perf, {a.n} × {CASES[a.perf][0]} (gzip)")
            for pct, sym in profile(s.http, s.proc.pid, CASES[a.perf], a.n):
                print(f"  {pct:5.1f} %  {sym}")
        s.stop()
    if not a.skip_influx:
        i = L.Influx()
        names.append("influxdb")
        measure("influxdb", i.http, i.proc.pid, a.n, results)
        i.stop()
    print("| request | gzip | " + " | ".join(f"{n} p50 / CPU (ms)" for n in names) + " |")
    print("|---|---|" + "---:|" * len(names))
    for c in CASES:
        for gz in (False, True):
            r = results[(c[0], gz)]
            cells = [f"{r[n][0]:.3f} / {r[n][2]:.3f}" if n in r else "–" for n in names]
            print(f"| {c[0]} | {'yes' if gz else 'no'} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
