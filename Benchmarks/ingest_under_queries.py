#!/usr/bin/env python3
"""Does collectd ingest lose values while the same server answers heavy queries on every core?

For each binary: a fresh `collectlite serve` gets compare-influxdb's HTTP-phase day (100 hosts ×
2 h over /write), then collectd packets (`collectlite-bench packets`, 100 hosts) are offered over
UDP from a separate process at RATE values/s, once alone and once while THREADS client threads
loop the fleet panels (GROUP BY host over 100 hosts, which a statement spreads over both cores)
on keep-alive connections. Prints values stored, loss and queries answered. Asserts nothing.

Usage: ingest_under_queries.py BINARY [BINARY …] [--rate 500000] [--seconds 4] [--threads 2]
"""
import argparse
import http.client
import os
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ingest_load as L  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.environ.get("COLLECTLITE_BENCH", os.path.join(ROOT, ".build-bench", "release", "collectlite-bench"))
C = L.compare_influxdb()


def run(binary, packets, info, rate, threads):
    server = L.Collectlite(binary)
    try:
        C.load_day(server.http)
        fleet = [q for _, q, is_fleet in C.panels("host050", C.DAY_START, C.DAY_START + 2 * 3_600_000_000_000) if is_fleet]
        out = {}
        for label, loops in (("alone", 0), ("under queries", threads)):
            stop = threading.Event()
            answered = [0] * loops
            failed = [0] * loops

            def loop(k):
                conn = http.client.HTTPConnection("127.0.0.1", server.http, timeout=120)
                i = k
                while not stop.is_set():
                    conn.request("GET", "/query?db=collectd&epoch=ms&q=" + urllib.parse.quote(fleet[i % len(fleet)]))
                    resp = conn.getresponse()
                    body = resp.read()
                    if resp.status == 200 and b'"error"' not in body:
                        answered[k] += 1
                    else:
                        failed[k] += 1
                    i += 1

            workers = [threading.Thread(target=loop, args=(k,)) for k in range(loops)]
            for w in workers:
                w.start()
            time.sleep(0.5 if loops else 0)
            before = server.stored()
            seconds, _ = L.send(BENCH, packets, server.udp, rate)
            stop.set()
            for w in workers:
                w.join()
            L.wait_idle(server.proc.pid)
            stored = server.stored() - before
            # The same packets twice: the second feed only replaces values (same series, same times).
            out[label] = {"stored": stored, "offered": info["values"], "rate": info["values"] / seconds,
                          "loss": 100.0 * (info["values"] - stored) / info["values"],
                          "queries": sum(answered), "failed": sum(failed), "seconds": seconds}
        return out
    finally:
        server.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--rate", type=int, default=500_000)
    ap.add_argument("--seconds", type=float, default=4)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="iuq-")
    packets = os.path.join(tmp, "packets.bin")
    info = L.make_packets(BENCH, packets, hosts=100, values=int(a.rate * a.seconds))
    print(f"packets: {info}; offered at {a.rate} values/s; {a.threads} query threads looping the fleet panels")
    print("| binary | feed | values offered | stored | loss % | offered values/s | fleet queries answered (failed) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for binary in a.binaries:
        r = run(os.path.abspath(binary), packets, info, a.rate, a.threads)
        for label, x in r.items():
            print(f"| {os.path.basename(binary)} | {label} | {x['offered']:,} | {x['stored']:,} | {x['loss']:.3f} | "
                  f"{x['rate']:,.0f} | {x['queries']} ({x['failed']}) |", flush=True)


if __name__ == "__main__":
    main()
