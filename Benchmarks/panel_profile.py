#!/usr/bin/env python3
"""One collectlite server loaded with compare-influxdb's HTTP-phase day (100 hosts × 2 h at 10 s over
/write), then panels run N times each on one keep-alive connection: p50, min and server CPU per
request; with `perf`, `perf record -g` follows the server during the loop (written to
/tmp/panel-profile.data). Prints figures; asserts nothing. No InfluxDB (see panel_queries.py).

Usage: panel_profile.py BINARY PANELS N [perf] [gzip] [--hours H]   (PANELS: indices into compare-influxdb's
panels, e.g. 0,4,6; H: hours of data loaded and queried, 2 by default; gzip: send `Accept-Encoding: gzip`
as Grafana does)
"""
import http.client
import os
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ingest_load as L  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
C = L.compare_influxdb()


def main():
    binary, indices, n = os.path.abspath(sys.argv[1]), [int(x) for x in sys.argv[2].split(",")], int(sys.argv[3])
    perf = "perf" in sys.argv[4:]
    headers = {"Accept-Encoding": "gzip"} if "gzip" in sys.argv[4:] else {}
    hours = int(sys.argv[sys.argv.index("--hours") + 1]) if "--hours" in sys.argv else 2
    server = L.Collectlite(binary)
    try:
        C.load_day(server.http, hours=hours)
        panels = C.panels("host050", C.DAY_START, C.DAY_START + hours * 3_600_000_000_000)
        conn = http.client.HTTPConnection("127.0.0.1", server.http)

        def get(q):
            conn.request("GET", "/query?db=collectd&epoch=ms&q=" + urllib.parse.quote(q), headers=headers)
            return conn.getresponse().read()

        for i in indices:
            get(panels[i][1])  # warm-up
        recorder = None
        if perf:
            recorder = subprocess.Popen(["perf", "record", "-F", "2000", "-g", "-o", "/tmp/panel-profile.data",
                                         "-p", str(server.proc.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1)
        for i in indices:
            times = []
            cpu = L.cpu_seconds(server.proc.pid)
            for _ in range(n):
                t = time.perf_counter()
                get(panels[i][1])
                times.append((time.perf_counter() - t) * 1000)
            cpu = L.cpu_seconds(server.proc.pid) - cpu
            print(f"{panels[i][0]:28s} p50 {C.pct(times, 0.5):.3f} ms  min {min(times):.3f}  cpu/req {cpu / n * 1000:.3f} ms", flush=True)
        if recorder:
            recorder.send_signal(2)
            recorder.wait()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
