#!/usr/bin/env python3
"""Console benchmark (issue #18): time from navigation to the view fully drawn, in headless
Chromium, read from the Performance API (the console marks `hosts-drawn` / `host-drawn` once
the view's queries are answered and its table or charts are drawn).

    python3 Benchmarks/console/console_bench.py [--binary .build/release/collectlite]
        [--hosts 100] [--hours 24] [--runs 5] [--fleet 1000]

Data: --hosts hosts × --hours of collectd-shaped series at a 10 s interval (2 CPUs × 8 states,
eth0 and lo octets, load, 6 memory states: 29 series per host), written through /write with
second timestamps, plus one host, `bench-week`, with 7 days of the same. --fleet N adds a
second server with N hosts × 15 minutes for the hosts view at fleet size.
Prints a Markdown section; nothing here asserts a figure.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("SE_OFFLINE", "true")
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

STATES = ["user", "nice", "system", "idle", "wait", "interrupt", "softirq", "steal"]
MEMORY = ["used", "buffered", "cached", "free", "slab_recl", "slab_unrecl"]
STEP = 10


def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="console-bench-")
        self.port = free_port()
        self.proc = subprocess.Popen([binary, "serve", "--data-dir", self.dir, "--http-bind", f"127.0.0.1:{self.port}",
                                      "--collectd-bind", f"127.0.0.1:{free_port(socket.SOCK_DGRAM)}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/ping")
                if c.getresponse().status == 204:
                    break
            except OSError:
                time.sleep(0.1)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def write(self, body):
        self.conn.request("POST", "/write?db=collectd&precision=s", body=body.encode())
        r = self.conn.getresponse()
        r.read()
        if r.status != 204:
            raise RuntimeError(f"/write: {r.status}")

    def query(self, q):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        c.request("GET", "/query?db=collectd&q=" + __import__("urllib.parse").parse.quote(q))
        return json.loads(c.getresponse().read())

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class Host:
    """The series of one collectd host and their current values."""

    def __init__(self, name, rnd):
        self.rnd = rnd
        esc = name.replace(" ", "\\ ").replace(",", "\\,")
        self.cpu = [(f"cpu_value,host={esc},instance={c},type=cpu,type_instance={s} value=", 0 if s != "idle" else 1)
                    for c in range(2) for s in STATES]
        self.cpu_counts = [rnd.randrange(1 << 20) for _ in self.cpu]
        self.busy = rnd.uniform(0.05, 0.9)
        self.net = [(f"interface_{d},host={esc},instance={i},type=if_octets value=", i, d) for i in ("eth0", "lo") for d in ("rx", "tx")]
        self.net_counts = [rnd.randrange(1 << 30) for _ in self.net]
        self.rate = rnd.uniform(1e4, 1e7)
        self.load = [(f"load_{k},host={esc},type=load value=") for k in ("shortterm", "midterm", "longterm")]
        self.load_now = rnd.uniform(0, 4)
        self.mem = [(f"memory_value,host={esc},type=memory,type_instance={s} value=") for s in MEMORY]
        self.total = rnd.choice([4, 8, 16, 32]) * (1 << 30)

    def lines(self, t, out):
        rnd = self.rnd
        for i, (prefix, idle) in enumerate(self.cpu):
            share = (1 - self.busy) if idle else self.busy / 7
            self.cpu_counts[i] += int(STEP * 100 * share * rnd.uniform(0.8, 1.2))
            out.append(f"{prefix}{self.cpu_counts[i]} {t}\n")
        for i, (prefix, iface, d) in enumerate(self.net):
            self.net_counts[i] += int(STEP * self.rate * (0.5 if d == "tx" else 1) * rnd.uniform(0.5, 1.5))
            out.append(f"{prefix}{self.net_counts[i]} {t}\n")
        self.load_now = max(0.0, self.load_now + rnd.uniform(-0.2, 0.2))
        for k, prefix in enumerate(self.load):
            out.append(f"{prefix}{self.load_now * (1 - 0.1 * k):.2f} {t}\n")
        used = self.total * rnd.uniform(0.2, 0.6)
        parts = [used, self.total * 0.05, self.total * 0.2, 0, self.total * 0.02, self.total * 0.01]
        parts[3] = self.total - sum(parts)
        for prefix, v in zip(self.mem, parts):
            out.append(f"{prefix}{v:.0f} {t}\n")


def load(server, names, seconds, now):
    rnd = random.Random(7)
    hosts = [Host(n, rnd) for n in names]
    start = (now - seconds) // STEP * STEP
    lines = []
    values = 0
    began = time.time()
    for t in range(start, now + 1, STEP):
        for h in hosts:
            h.lines(t, lines)
        if len(lines) >= 50_000:
            values += len(lines)
            server.write("".join(lines))
            lines = []
    values += len(lines)
    if lines:
        server.write("".join(lines))
    return values, time.time() - began


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def measure(driver, url, view, runs):
    """Per run: ms from navigation start to the `<view>-drawn` mark, and the slowest /query."""
    results = []
    for _ in range(runs):
        driver.get("about:blank")
        driver.get(url)
        WebDriverWait(driver, 300).until(lambda d: d.execute_script("return document.getElementById('main').dataset.ready") in (view, "error"))
        state = driver.execute_script("return document.getElementById('main').dataset.ready")
        if state != view:
            raise RuntimeError(driver.execute_script("return document.getElementById('error').textContent"))
        mark = driver.execute_script(f"return performance.getEntriesByName('{view}-drawn')[0].startTime")
        queries = driver.execute_script(
            "return performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/query')).map((e) => e.duration)")
        results.append({"drawn_ms": mark, "queries": len(queries), "slowest_query_ms": max(queries) if queries else 0})
    return results


def summary(label, runs):
    drawn = [r["drawn_ms"] for r in runs]
    return (f"| {label} | {drawn[0]:.0f} | {statistics.median(drawn[1:] or drawn):.0f} | {max(drawn):.0f} | "
            f"{runs[0]['queries']} | {statistics.median([r['slowest_query_ms'] for r in runs]):.0f} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/collectlite")
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--hours", type=int, default=24)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fleet", type=int, default=0)
    args = parser.parse_args()
    now = int(time.time())
    rows = []
    server = Server(args.binary)
    try:
        names = [f"bench-host-{i:03d}" for i in range(1, args.hosts + 1)]
        values, took = load(server, names, args.hours * 3600, now)
        week, took_week = load(server, ["bench-week"], 7 * 86400, now)
        print(f"loaded {values} values in {took:.0f} s and {week} for bench-week in {took_week:.0f} s", file=sys.stderr)
        driver = browser()
        try:
            base = f"http://127.0.0.1:{server.port}"
            rows.append(summary(f"hosts view, {args.hosts + 1} hosts, 24 h", measure(driver, f"{base}/#/hosts?range=24h", "hosts", args.runs)))
            rows.append(summary(f"hosts view, {args.hosts + 1} hosts, 1 h", measure(driver, f"{base}/#/hosts?range=1h", "hosts", args.runs)))
            rows.append(summary("host page, 7 d (bench-week)", measure(driver, f"{base}/#/host/bench-week?range=7d", "host", args.runs)))
            rows.append(summary("host page, 24 h", measure(driver, f"{base}/#/host/bench-host-001?range=24h", "host", args.runs)))
        finally:
            driver.quit()
    finally:
        server.stop()
    if args.fleet:
        fleet = Server(args.binary)
        try:
            values, took = load(fleet, [f"fleet-{i:04d}" for i in range(args.fleet)], 900, now)
            print(f"fleet: loaded {values} values in {took:.0f} s", file=sys.stderr)
            driver = browser()
            try:
                rows.append(summary(f"hosts view, {args.fleet} hosts, 15 min", measure(driver, f"http://127.0.0.1:{fleet.port}/#/hosts?range=15m", "hosts", args.runs)))
            finally:
                driver.quit()
        finally:
            fleet.stop()
    print("| view | first load (ms) | median of later loads (ms) | worst (ms) | /query requests | slowest /query, median (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
