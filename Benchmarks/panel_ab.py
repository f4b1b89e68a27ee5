#!/usr/bin/env python3
"""Two builds of collectlite side by side on copies of the same data directory: each host panel
of Benchmarks/compare-influxdb (100 hosts × 2 h, host050) over HTTP with gzip, blocks of requests
in turns (which build goes first alternating, each block starting once both servers are idle, as
`panel_queries.py` times InfluxDB against us), p50 wall time per request and the ratio.

Usage: panel_ab.py OLD_BINARY NEW_BINARY DATA_DIR [--rounds 10] [--block 40]

DATA_DIR: a cleanly stopped data directory (e.g. the one `panel_queries.py` loads); it is copied
for each server, never changed. Prints figures; asserts nothing.
"""
import argparse
import http.client
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.parse

from panel_queries import C  # the panels and helpers of Benchmarks/compare-influxdb


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("data_dir")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--block", type=int, default=40)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="panel-ab-")
    servers = {}
    try:
        for name, binary in (("old", a.old), ("new", a.new)):
            shutil.copytree(a.data_dir, f"{tmp}/{name}")
            port = C.free_port()
            proc = subprocess.Popen([binary, "serve", "--data-dir", f"{tmp}/{name}", "--collectd-bind",
                                     f"127.0.0.1:{C.free_port(socket.SOCK_DGRAM)}", "--http-bind", f"127.0.0.1:{port}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            servers[name] = (proc, http.client.HTTPConnection("127.0.0.1", port, timeout=60))
            C.wait_ping(port, proc)
        start = 1_700_000_000_000_000_000
        print("| panel | old p50 (ms) | new p50 (ms) | new / old |")
        print("|---|---:|---:|---:|")
        for panel, query, fleet in C.panels("host050", start, start + 2 * 3_600_000_000_000):
            if fleet:
                continue
            path = "/query?db=collectd&epoch=ms&q=" + urllib.parse.quote(query)

            def get(name):
                conn = servers[name][1]
                conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
                return conn.getresponse().read()

            for name in servers:
                for _ in range(50):
                    get(name)
            times = {name: [] for name in servers}
            for r in range(a.rounds):
                for name in (("old", "new") if r % 2 == 0 else ("new", "old")):
                    C.settle([proc.pid for proc, _ in servers.values()])
                    for _ in range(a.block):
                        t = time.perf_counter()
                        get(name)
                        times[name].append(time.perf_counter() - t)
            old, new = (statistics.median(times[n]) * 1000 for n in ("old", "new"))
            print(f"| {panel} | {old:.3f} | {new:.3f} | {new / old:.3f} |")
    finally:
        for proc, conn in servers.values():
            conn.close()
            proc.terminate()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
