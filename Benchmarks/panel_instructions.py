#!/usr/bin/env python3
"""Instructions per request of each host panel, counted by callgrind: a figure that does not move
with this VM's speed (wall and CPU time per request move by ±20-40 % from one minute to the next
here, which hides a change of a few per cent).

Usage: panel_instructions.py BINARY DATA_DIR [--panels 0,1,2,3] [--requests 100] [--keep DIR]

Panels 0-3 are the host panels; 4 is host if_octets over an empty range (the fixed cost of a
panel's request: parsing, planning, series selection, the scan's setup, an empty answer) and 5
is `/ping` (the HTTP path alone).

- BINARY: a release build of collectlite. Valgrind 3.19 cannot read the DWARF 5 debug info Swift
  writes, so the script runs a copy stripped of it (`strip -g`); symbols stay.
- DATA_DIR: a cleanly stopped data directory (e.g. the one `panel_queries.py` loads: 100 hosts ×
  2 h); it is copied, never changed. Panels are those of `compare-influxdb` for host050 over the
  first two hours of the day.
- The server runs under `valgrind --tool=callgrind --instr-atstart=no` with Swift's hashing made
  deterministic (`SWIFT_DETERMINISTIC_HASHING=1`); each panel gets 20 warm-up requests, then
  instrumentation is switched on for `--requests` requests (keep-alive, gzip) and the counts are
  dumped. Only user-space instructions of the server process are counted (no kernel time).
- `--keep DIR` keeps each panel's callgrind file (for `callgrind_annotate`).
Prints instructions per request; asserts nothing.
"""
import argparse
import glob
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

from panel_queries import C  # the panels and helpers of Benchmarks/compare-influxdb


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("data_dir")
    ap.add_argument("--panels", default="0,1,2,3")
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--keep")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="panel-instructions-")
    proc = None
    try:
        binary = os.path.join(tmp, "collectlite")
        subprocess.run(["strip", "-g", "-o", binary, os.path.abspath(a.binary)], check=True)
        shutil.copytree(a.data_dir, os.path.join(tmp, "data"))
        port = C.free_port()
        out = os.path.join(tmp, "callgrind.out")
        proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}", binary, "serve",
             "--data-dir", os.path.join(tmp, "data"), "--collectd-bind", "127.0.0.1:0", "--http-bind", f"127.0.0.1:{port}"],
            env=dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/ping")
                c.getresponse().read()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    sys.exit("the server did not answer /ping under valgrind")
                time.sleep(0.2)
        panels = C.panels("host050", C.DAY_START, C.DAY_START + 2 * 3_600_000_000_000)[:4]
        empty = C.panels("host050", 0, 2 * 3_600_000_000_000)[0]
        panels += [(empty[0] + ", empty range", empty[1], False), ("/ping", None, False)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

        def get(q):
            path = "/ping" if q is None else "/query?db=collectd&epoch=ms&q=" + urllib.parse.quote(q)
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            resp = conn.getresponse()
            body = resp.read()
            if resp.status not in (200, 204):
                sys.exit(f"{resp.status}: {body[:200]!r}")

        def control(*args):
            subprocess.run(["callgrind_control", *args, str(proc.pid)], capture_output=True, check=True)

        print("| panel | instructions per request |")
        print("|---|---:|")
        for i in (int(x) for x in a.panels.split(",")):
            name, q, _ = panels[i]
            for _ in range(20):
                get(q)
            control("-z")
            control("-i", "on")
            for _ in range(a.requests):
                get(q)
            control("-i", "off")
            before = set(glob.glob(out + ".*"))
            control("-d")
            dumped = []
            wait_until = time.time() + 120
            while not dumped and time.time() < wait_until:
                time.sleep(0.5)
                dumped = sorted(set(glob.glob(out + ".*")) - before, key=os.path.getmtime)
            if not dumped:
                sys.exit("callgrind wrote no dump")
            time.sleep(1)
            total = 0
            for line in open(dumped[-1]):
                if line.startswith("totals:") or line.startswith("summary:"):
                    total = max(total, int(line.split()[1]))
            print(f"| {name} | {total / a.requests / 1000:.1f} k |", flush=True)
            if a.keep:
                os.makedirs(a.keep, exist_ok=True)
                shutil.copy(dumped[-1], os.path.join(a.keep, f"panel{i}.callgrind"))
    finally:
        if proc and proc.poll() is None:
            proc.terminate()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
