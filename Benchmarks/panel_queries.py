#!/usr/bin/env python3
"""The HTTP panel phase of Benchmarks/compare-influxdb on its own: the same collectd-like data
(default 100 hosts × 2 h at 10 s) written over /write into a fresh `collectlite serve` and into
influxd 1.6.7, then every panel's InfluxQL over /query on a keep-alive connection per server,
p50/p99 each. The servers take turns in blocks of requests (each block starts when both are
idle), so both are timed over the same minutes; the ratio of each pair of blocks' medians is
reported too.

Usage: panel_queries.py [BINARY] [--hosts 100] [--hours 2] [--iterations 30] [--fleet-iterations 10] [--gzip]
(--gzip: send `Accept-Encoding: gzip` on every panel query, as Grafana's proxy does)
Prints a Markdown table with the ratio against InfluxDB (target ≥ 5× at the median); asserts nothing.
"""
import argparse
import importlib.machinery
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
loader = importlib.machinery.SourceFileLoader("compare_influxdb", os.path.join(HERE, "compare-influxdb"))
spec = importlib.util.spec_from_loader("compare_influxdb", loader)
C = importlib.util.module_from_spec(spec)
loader.exec_module(C)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default=C.COLLECTLITE)
    ap.add_argument("--hosts", type=int, default=100)
    ap.add_argument("--hours", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=30)
    ap.add_argument("--fleet-iterations", type=int, default=10)
    ap.add_argument("--gzip", action="store_true")
    a = ap.parse_args()
    C.COLLECTLITE = os.path.abspath(a.binary)
    figures, text = C.run_http_phase(a.hosts, a.hours, a.iterations, a.fleet_iterations, gzip=a.gzip)
    print(text)
    # A panel cannot answer faster than collectlite's /ping round trip on the same connection:
    # InfluxDB's p50 over that is the largest ratio any implementation could reach here.
    ping = figures["ping"]["collectlite"]
    print(f"/ping p50: InfluxDB {figures['ping']['influxdb']:.3f} ms, collectlite {ping:.3f} ms")
    print("| panel | InfluxDB p50 / p99 (ms) | collectlite p50 / p99 (ms) | × faster (p50) | × of block medians p50 / p10 "
          "| bound: InfluxDB p50 / collectlite /ping |")
    print("|---|---:|---:|---:|---:|---:|")
    for p in figures["panels"]:
        i, c = p["influxdb"], p["collectlite"]
        print(f"| {p['name']} | {i['p50']:.2f} / {i['p99']:.2f} | {c['p50']:.2f} / {c['p99']:.2f} | {i['p50'] / c['p50']:.1f} "
              f"| {p['pair_ratio_p50']:.1f} / {p['pair_ratio_p10']:.1f} | {i['p50'] / ping:.1f} |")


if __name__ == "__main__":
    main()
