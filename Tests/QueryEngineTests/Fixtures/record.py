#!/usr/bin/env python3
"""Records InfluxDB 1.x answers for the QueryEngine differential suite.

Usage:
  record.py gen                 regenerate data.txt (deterministic, seeded)
  record.py record [influxd]    start a throw-away influxd, load data.txt, run
                                queries.txt, write cases.txt
  record.py serve [influxd]     start influxd with data.txt loaded, print its URL,
                                wait for Enter (for poking at semantics by hand)

data.txt format (shared with the Swift tests):
  S <measurement> <k=v,k=v or -> <field> [database]  starts a series field block
                                             (database "collectd" unless named)
  <time ns> <value in line-protocol syntax>  one sample (1.5, 3i, "s", true)
queries.txt: one case per line: `[epoch=<e>] [db=<d>] <query>`; `#` comments.
cases.txt: blocks of `query:`/`epoch:`/`db:`/`expect:` lines separated by a blank line.
SUITE=<name> selects another suite's files: <name>-data.txt, <name>-queries.txt,
<name>-cases.txt (e.g. SUITE=compat; its data and queries come from make-compat.py).
"""
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DATABASE = "collectd"
START = 1700000000 * 10**9  # 2023-11-14T22:13:20Z
STEP = 10 * 10**9
HOURS = 2
PREFIX = os.environ["SUITE"] + "-" if os.environ.get("SUITE") else ""


def generate():
    rnd = random.Random(7)
    out = []
    n = HOURS * 360
    for host in ["alpha", "beta", "gamma"]:
        # beta starts late, gamma has a 10 minute hole: exercises fill().
        first = 180 if host == "beta" else 0
        hole = range(300, 360) if host == "gamma" else range(0)
        times = []
        for i in range(first, n):
            if i in hole:
                continue
            jitter = rnd.randint(0, 20000) * 1000  # up to 20 ms, µs granularity
            times.append(START + i * STEP + jitter)

        def block(measurement, tags, values):
            tagtext = ",".join(f"{k}={v}" for k, v in tags) if tags else "-"
            out.append(f"S {measurement} {tagtext} value")
            for t, v in zip(times, values):
                out.append(f"{t} {v}")

        for cpu in ["0", "1"]:
            for state, rate in [("user", 40), ("system", 12), ("idle", 900)]:
                acc = rnd.randint(10**5, 10**6)
                vals = []
                for _ in times:
                    acc += rnd.randint(0, rate)
                    vals.append(f"{acc}")
                block("cpu_value", [("host", host), ("instance", cpu), ("type", "cpu"), ("type_instance", state)], vals)
        for iface in ["eth0", "lo"]:
            for typ, rate in [("if_octets", 125000), ("if_packets", 300)]:
                for direction in ["rx", "tx"]:
                    acc = rnd.randint(10**6, 10**8)
                    vals = []
                    for j, _ in enumerate(times):
                        acc += rnd.randint(0, rate)
                        if host == "alpha" and iface == "eth0" and j == 400:
                            acc = rnd.randint(0, 1000)  # counter reset
                        vals.append(f"{acc}")
                    block(f"interface_{direction}", [("host", host), ("instance", iface), ("type", typ)], vals)
        for term, base in [("shortterm", 1.0), ("midterm", 0.8), ("longterm", 0.6)]:
            vals = [f"{round(base + rnd.random() * 2, 2)}" for _ in times]
            block(f"load_{term}", [("host", host), ("type", "load")], vals)
        for kind, base in [("used", 2 * 10**9), ("free", 10**9), ("cached", 5 * 10**8)]:
            vals = [f"{base + rnd.randint(0, 10**8)}" for _ in times]
            block("memory_value", [("host", host), ("type", "memory"), ("type_instance", kind)], vals)
    # A few typed fields for type coverage (collectd itself only writes floats).
    mtimes = [START + i * 60 * 10**9 for i in range(12)]
    for tagv in ["x", "y"]:
        out.append(f"S misc k={tagv} i")
        out += [f"{t} {rnd.randint(-5, 20)}i" for t in mtimes]
        out.append(f"S misc k={tagv} s")
        out += [f"{t} \"{rnd.choice(['up', 'down', 'up'])}\"" for t in mtimes]
        out.append(f"S misc k={tagv} b")
        out += [f"{t} {rnd.choice(['true', 'false'])}" for t in mtimes]
        out.append(f"S misc k={tagv} f")
        out += [f"{t} {rnd.choice([1.5, 2.0, 2.0, 3.25, -1.0])}" for t in mtimes]
    out.append("S misc - f")
    out += [f"{START + 30 * 10**9} 9.5"]
    with open(os.path.join(HERE, PREFIX + "data.txt"), "w") as f:
        f.write("\n".join(out) + "\n")


def line_protocol():
    """Lines per database: {database: [line]} (a series block may name its database)."""
    lines = {DATABASE: []}
    cur = None
    with open(os.path.join(HERE, PREFIX + "data.txt")) as f:
        for raw in f:
            raw = raw.rstrip("\n")
            if raw.startswith("S "):
                parts = raw.split(" ")
                _, m, tags, field = parts[:4]
                db = parts[4] if len(parts) > 4 else DATABASE
                cur = (m if tags == "-" else f"{m},{tags}", field, db)
            elif raw:
                t, v = raw.split(" ", 1)
                lines.setdefault(cur[2], []).append(f"{cur[0]} {cur[1]}={v} {t}")
    return lines


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Influx:
    def __init__(self, binary="/usr/bin/influxd"):
        self.dir = tempfile.mkdtemp(prefix="influx-rec-")
        self.port = free_port()
        conf = os.path.join(self.dir, "influxdb.conf")
        with open(conf, "w") as f:
            f.write(f"""reporting-disabled = true
bind-address = "127.0.0.1:{free_port()}"
[meta]
  dir = "{self.dir}/meta"
[data]
  dir = "{self.dir}/data"
  wal-dir = "{self.dir}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:{self.port}"
  log-enabled = false
""")
        self.proc = subprocess.Popen([binary, "-config", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url + "/ping")
                return
            except Exception:
                time.sleep(0.05)
        raise RuntimeError("influxd did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def query(self, q, db=None, epoch=None):
        params = {"q": q}
        if db:
            params["db"] = db
        if epoch:
            params["epoch"] = epoch
        req = urllib.request.Request(self.url + "/query", data=urllib.parse.urlencode(params).encode(), method="POST")
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def load(self):
        for db, lines in line_protocol().items():
            self.query(f"CREATE DATABASE {db}")
            for i in range(0, len(lines), 5000):
                body = "\n".join(lines[i:i + 5000]).encode()
                req = urllib.request.Request(f"{self.url}/write?db={db}", data=body, method="POST")
                urllib.request.urlopen(req).read()


def parse_queries():
    cases = []
    with open(os.path.join(HERE, PREFIX + "queries.txt")) as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            epoch, db = None, DATABASE
            while True:
                if line.startswith("epoch="):
                    epoch, line = line[6:].split(" ", 1)
                elif line.startswith("db="):
                    db, line = line[3:].split(" ", 1)
                    if db == "-":
                        db = None
                else:
                    break
            cases.append((line, epoch, db))
    return cases


def record(binary):
    influx = Influx(binary)
    try:
        influx.load()
        out = []
        for q, epoch, db in parse_queries():
            status, body = influx.query(q, db=db, epoch=epoch)
            body = body.strip()
            block = [f"query: {q}"]
            if epoch:
                block.append(f"epoch: {epoch}")
            block.append(f"db: {db or '-'}")
            block.append(f"status: {status}")
            block.append(f"expect: {body}")
            out.append("\n".join(block))
        with open(os.path.join(HERE, PREFIX + "cases.txt"), "w") as f:
            f.write("\n\n".join(out) + "\n")
        print(f"recorded {len(out)} cases")
    finally:
        influx.stop()


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "record"
    binary = sys.argv[2] if len(sys.argv) > 2 else "/usr/bin/influxd"
    if cmd == "gen":
        if PREFIX:
            sys.exit("gen writes the main suite's data.txt; other suites generate their own")
        generate()
    elif cmd == "record":
        record(binary)
    elif cmd == "serve":
        influx = Influx(binary)
        influx.load()
        print(influx.url, flush=True)
        try:
            sys.stdin.readline()
        finally:
            influx.stop()
