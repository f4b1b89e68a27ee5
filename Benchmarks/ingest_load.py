"""Load phase of Benchmarks/compare-influxdb: ingest by series reference, side by side.

Every scenario starts fresh servers (collectlite `serve` release build and Debian's influxd
1.6.7 with `[[collectd]]`) on ephemeral loopback ports and offers them the same packet file,
made once by `collectlite-bench packets` (our CollectdEncoder), from a separate sender process:
either `collectlite-bench send` (paced) or a plain Python `socket.sendto` loop (as fast as it
can). Figures:

- values stored per server CPU-second at 150 k and 1 M values/s offered (CPU from the feed's
  start to the server being idle again; collectlite's includes its final flush and close);
- loss at 1 M values/s with both senders, and the same packets offered again (duplicates);
- peak RSS (VmHWM) during the 1 M values/s run, idle RSS after start-up;
- new series at fleet scale: the first rounds of 10 000 hosts at ~30 000 datagrams/s;
- heap allocations per stored value in the steady state (LD_PRELOAD counter, Benchmarks/malloc-count.c);
- perf top-10 of the server during the 1 M values/s run (and of a "before" binary if given).

Returns a Markdown section; nothing here asserts a figure.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))

PY_SENDER = r"""
import socket, sys, time
data = open(sys.argv[1], 'rb').read()
port = int(sys.argv[2])
packets, i = [], 0
while i + 2 <= len(data):
    n = (data[i] << 8) | data[i + 1]
    packets.append(data[i + 2:i + 2 + n])
    i += 2 + n
per_second = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0  # datagrams/s; 0: as fast as it can
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
addr = ("127.0.0.1", port)
start = time.time()
for i, p in enumerate(packets):
    if per_second:
        ahead = start + i / per_second - time.time()
        if ahead > 0.001:
            time.sleep(ahead)
    s.sendto(p, addr)
print("sent=%d seconds=%.3f" % (len(packets), time.time() - start))
"""



def compare_influxdb():
    """Benchmarks/compare-influxdb (a script without a .py name) as a module: its day of
    collectd-like /write batches (`load_day`), panels and percentiles."""
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.SourceFileLoader("compare_influxdb", os.path.join(os.path.dirname(os.path.abspath(__file__)), "compare-influxdb"))
    spec = importlib.util.spec_from_loader("compare_influxdb", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module

def log(msg):
    print(f"[ingest-load {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def proc_status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            m = re.search(rf"^{key}:\s+(\d+)", f.read(), re.M)
            return int(m.group(1)) if m else 0
    except OSError:
        return 0


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        fields = stat[stat.rindex(")") + 2:].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0


def wait_idle(pid, quiet=0.6, limit=120):
    deadline = time.time() + limit
    last, since = cpu_seconds(pid), time.time()
    while time.time() < deadline:
        time.sleep(0.1)
        now = cpu_seconds(pid)
        if now - last > 0.011:
            since = time.time()
        last = now
        if time.time() - since >= quiet:
            return


def http_get(port, path, timeout=60):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
        return r.status, r.read()


def count_values(port, timeout=600):
    """Values stored in database collectd, summed over every measurement (one count query)."""
    q = urllib.parse.urlencode({"db": "collectd", "q": 'SELECT count("value") FROM /.*/'})
    _, body = http_get(port, "/query?" + q, timeout=timeout)
    total = 0
    for result in json.loads(body).get("results", []):
        for s in result.get("series", []):
            total += int(s["values"][0][1] or 0)
    return total


def wait_ping(port, proc, limit=60):
    deadline = time.time() + limit
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited early ({proc.returncode})")
        try:
            if http_get(port, "/ping", timeout=2)[0] in (200, 204):
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("server did not answer /ping")


class Collectlite:
    def __init__(self, binary, preload=None, extra=()):
        self.dir = tempfile.mkdtemp(prefix="cl-load-")
        self.udp, self.http = free_port(socket.SOCK_DGRAM), free_port()
        env = dict(os.environ)
        if preload:
            env["LD_PRELOAD"] = preload
            env["MALLOC_COUNT_FILE"] = self.dir + "/mallocs"
        self.log_path = self.dir + "/server.log"
        self.proc = subprocess.Popen(
            [binary, "serve", "--data-dir", self.dir + "/data", "--collectd-bind", f"127.0.0.1:{self.udp}",
             "--http-bind", f"127.0.0.1:{self.http}", *extra],
            stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w"), env=env)
        try:
            wait_ping(self.http, self.proc)
        except SystemExit:
            sys.stderr.write(open(self.log_path).read()[-3000:])
            raise
        wait_idle(self.proc.pid, quiet=0.3)
        self.idle_rss = proc_status(self.proc.pid, "VmRSS")

    def metric(self, name):
        _, body = http_get(self.http, "/metrics")
        total = 0.0
        for line in body.decode().splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def stored(self):
        return int(self.metric("collectlite_collectd_values_stored_total"))

    def dropped(self):
        _, body = http_get(self.http, "/metrics")
        out = {}
        for line in body.decode().splitlines():
            m = re.match(r'collectlite_collectd_values_dropped_total\{reason="([^"]+)"\} (\S+)', line)
            if m:
                out[m.group(1)] = int(float(m.group(2)))
        return out

    def series(self):
        q = urllib.parse.urlencode({"db": "collectd", "q": "SHOW STATS"})
        _, body = http_get(self.http, "/query?" + q)
        for result in json.loads(body).get("results", []):
            for s in result.get("series", []):
                if s.get("name") == "store" and "series" in s["columns"]:
                    return int(s["values"][0][s["columns"].index("series")])
        return 0

    def signal_mallocs(self):
        os.kill(self.proc.pid, signal.SIGUSR2)
        time.sleep(0.2)
        with open(self.dir + "/mallocs") as f:
            return int(f.read().split()[-1])

    def stop(self):
        """SIGTERM, then the whole life's CPU seconds from the kernel's accounting."""
        self.proc.send_signal(signal.SIGTERM)
        _, status, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = status
        text = open(self.log_path).read()
        shutil.rmtree(self.dir, ignore_errors=True)
        return usage.ru_utime + usage.ru_stime, text


class Influx:
    def __init__(self, extra_data=""):
        self.dir = tempfile.mkdtemp(prefix="influx-load-")
        self.http, self.udp, rpc = free_port(), free_port(socket.SOCK_DGRAM), free_port()
        with open(self.dir + "/influxdb.conf", "w") as f:
            f.write(f"""reporting-disabled = true
bind-address = "127.0.0.1:{rpc}"
[meta]
  dir = "{self.dir}/meta"
[data]
  dir = "{self.dir}/data"
  wal-dir = "{self.dir}/wal"
  query-log-enabled = false
{extra_data}[http]
  enabled = true
  bind-address = "127.0.0.1:{self.http}"
  log-enabled = false
[monitor]
  store-enabled = false
[[collectd]]
  enabled = true
  bind-address = "127.0.0.1:{self.udp}"
  database = "collectd"
  typesdb = "/usr/share/collectd/types.db"
  batch-size = 5000
  batch-pending = 10
  batch-timeout = "1s"
""")
        self.proc = subprocess.Popen(["/usr/bin/influxd", "run", "-config", self.dir + "/influxdb.conf"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ping(self.http, self.proc)
        time.sleep(1.5)  # the collectd input opens after /ping answers
        wait_idle(self.proc.pid, quiet=0.5)
        self.idle_rss = proc_status(self.proc.pid, "VmRSS")

    def stored(self):
        try:
            return count_values(self.http, timeout=300)
        except OSError:
            return 0

    def settle(self):
        """Waits until idle and the count stops moving (its batches time out after 1 s)."""
        last = -1
        for _ in range(60):
            wait_idle(self.proc.pid, quiet=1.2)
            now = self.stored()
            if now == last:
                return now
            last = now
        return last

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def make_packets(bench, path, **kw):
    args = [bench, "packets", "--out", path]
    for k, v in kw.items():
        args += ["--" + k.replace("_", "-"), str(v)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", out)}


def send(bench, path, port, rate=None, python=False, info=None):
    """Offers the file from a separate process; returns (seconds, output). The Python sender
    paces to `rate` values/s when given (needs `info` for values per datagram)."""
    if python:
        args = [sys.executable, "-c", PY_SENDER, path, str(port)]
        if rate and info:
            args.append(str(rate * info["datagrams"] / info["values"]))
    else:
        args = [bench, "send", "--file", path, "--port", str(port)] + (["--rate", str(rate)] if rate else [])
    start = time.time()
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    m = re.search(r"seconds=([\d.]+)", out)
    return (float(m.group(1)) if m else time.time() - start), out.strip()


class PeakWatcher:
    """Polls VmHWM of a PID (the kernel keeps the peak; polling survives the process)."""

    def __init__(self, pid):
        self.pid, self.peak = pid, 0

    def poll(self):
        self.peak = max(self.peak, proc_status(self.pid, "VmHWM"))
        return self.peak


def feed_collectlite(binary, bench, path, values, rate=None, python=False, again=False, info=None):
    server = Collectlite(binary)
    cpu0 = cpu_seconds(server.proc.pid)
    seconds, _ = send(bench, path, server.udp, rate, python, info)
    wait_idle(server.proc.pid)
    first = server.stored()
    dup = None
    if again:
        start = time.time()
        seconds2, _ = send(bench, path, server.udp, rate, python, info)
        wait_idle(server.proc.pid)
        dup = {"stored": server.stored() - first, "seconds": seconds2, "settle": time.time() - start - seconds2,
               "dropped": server.dropped()}
    dropped = server.dropped()
    peak = proc_status(server.proc.pid, "VmHWM")
    idle = server.idle_rss
    total_cpu, text = server.stop()
    m = re.search(r"values_stored=(\d+)", text)
    stored_total = int(m.group(1)) if m else first
    return {"offered": values / seconds if seconds > 0 else 0, "stored": first, "stored_total": stored_total,
            "cpu": total_cpu - cpu0, "peak_kib": peak, "idle_kib": idle, "dropped": dropped, "dup": dup,
            "loss": 100.0 * (values - first) / values}


def feed_influx(bench, path, values, rate=None, python=False, info=None):
    server = Influx()
    cpu0 = cpu_seconds(server.proc.pid)
    seconds, _ = send(bench, path, server.udp, rate, python, info)
    stored = server.settle()
    cpu = cpu_seconds(server.proc.pid) - cpu0
    peak = proc_status(server.proc.pid, "VmHWM")
    idle = server.idle_rss
    server.stop()
    return {"offered": values / seconds if seconds > 0 else 0, "stored": stored, "cpu": cpu, "peak_kib": peak,
            "idle_kib": idle, "loss": 100.0 * (values - stored) / values}


def perf_server(binary, bench, path, rate, label, seconds_hint):
    """perf record of one server during a paced feed; the 10 hottest symbols (self time)."""
    if not shutil.which("perf"):
        return None
    server = Collectlite(binary)
    data = tempfile.mktemp(prefix="perf-", suffix=".data")
    rec = subprocess.Popen(["perf", "record", "-F", "999", "-g", "-p", str(server.proc.pid), "-o", data],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    send(bench, path, server.udp, rate)
    wait_idle(server.proc.pid)
    rec.send_signal(signal.SIGINT)
    rec.wait()
    server.stop()
    report = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso,symbol", "--stdio",
                             "--percent-limit", "0.5"], capture_output=True, text=True).stdout
    os.unlink(data)
    rows = []
    for line in report.splitlines():
        m = re.match(r"\s+([\d.]+)%\s+(\S+)\s+\[[.k]\]\s+(\S+)", line)
        if m:
            rows.append((float(m.group(1)), m.group(2), m.group(3)))
    if rows and shutil.which("swift"):
        names = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(r[2] for r in rows),
                               capture_output=True, text=True).stdout.splitlines()
        if len(names) == len(rows):
            rows = [(p, d, n if len(n) <= 100 else n[:97] + "...") for (p, d, _), n in zip(rows, names)]
    rows.sort(reverse=True)
    return {"label": label, "rows": rows[:10]}


def run(bench, collectlite, before=None, quick=False):
    """Runs every scenario; returns (markdown lines, raw log lines)."""
    work = tempfile.mkdtemp(prefix="ingest-load-")
    raw = []
    results = {}
    preload = os.path.join(work, "malloc-count.so")
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", preload, os.path.join(HERE, "malloc-count.c")], check=True)
    secs = 1 if quick else 3
    for rate in (150_000, 1_000_000):
        path = os.path.join(work, f"r{rate}.pkt")
        info = make_packets(bench, path, hosts=100, values=rate * secs)
        log(f"rate {rate}: {info}")
        cl = feed_collectlite(collectlite, bench, path, info["values"], rate=rate)
        if rate == 1_000_000:
            # Duplicates in a run of their own, so they do not count in the figures above.
            cl["dup"] = feed_collectlite(collectlite, bench, path, info["values"], rate=rate, again=True)["dup"]
        ix = feed_influx(bench, path, info["values"], rate=rate)
        results[("swift", rate)] = (info, cl, ix)
        raw.append(f"swift sender {rate}/s: packets {info} collectlite {cl} influxdb {ix}")
        log(raw[-1])
    path = os.path.join(work, f"r1000000.pkt")
    info = results[("swift", 1_000_000)][0]
    cl = feed_collectlite(collectlite, bench, path, info["values"], rate=1_000_000, python=True, info=info)
    cl["dup"] = feed_collectlite(collectlite, bench, path, info["values"], rate=1_000_000, python=True, again=True, info=info)["dup"]
    ix = feed_influx(bench, path, info["values"], rate=1_000_000, python=True, info=info)
    results[("python", 1_000_000)] = (info, cl, ix)
    raw.append(f"python sender paced to 1 M values/s: collectlite {cl} influxdb {ix}")
    log(raw[-1])
    cl = feed_collectlite(collectlite, bench, path, info["values"], python=True, info=info)
    ix = feed_influx(bench, path, info["values"], python=True, info=info)
    results[("python", 0)] = (info, cl, ix)
    raw.append(f"python sender unpaced: collectlite {cl} influxdb {ix}")
    log(raw[-1])

    # New series at fleet scale: first rounds of 10 000 hosts at ~30 000 datagrams/s.
    hosts, rounds = (2_000, 2) if quick else (10_000, 3)
    fpath = os.path.join(work, "fleet.pkt")
    # Datagrams of ~22 values (~850 bytes): 30 000 datagrams/s is then ~650 000 values/s.
    finfo = make_packets(bench, fpath, hosts=hosts, rounds=rounds, values_per_datagram=22)
    frate = int(30_000 * finfo["values"] / finfo["datagrams"])
    server = Collectlite(collectlite)
    start = time.time()
    send(bench, fpath, server.udp, frate)
    wait_idle(server.proc.pid)
    elapsed = time.time() - start
    fleet = {"series": server.series(), "stored": server.stored(), "rss_kib": proc_status(server.proc.pid, "VmRSS"),
             "idle_kib": server.idle_rss, "peak_kib": proc_status(server.proc.pid, "VmHWM"), "seconds": elapsed,
             "dropped": server.dropped()}
    server.stop()
    influx = Influx()
    send(bench, fpath, influx.udp, frate)
    fleet["influx_stored"] = influx.settle()
    fleet["influx_rss_kib"] = proc_status(influx.proc.pid, "VmRSS")
    fleet["influx_peak_kib"] = proc_status(influx.proc.pid, "VmHWM")
    influx.stop()
    fleet["info"], fleet["rate"] = finfo, frate
    raw.append(f"fleet: {fleet}")
    log(raw[-1])

    # Allocations per stored value in the steady state: a warm-up feed (every series' first
    # chunk sealed), then a second feed of new samples for the same series, long enough for
    # every series to seal twice; the count between the two SIGUSR2 dumps.
    apath1, apath2 = os.path.join(work, "a1.pkt"), os.path.join(work, "a2.pkt")
    a1 = make_packets(bench, apath1, hosts=100, rounds=130)
    a2 = make_packets(bench, apath2, hosts=100, rounds=240, start_round=130)
    server = Collectlite(collectlite, preload=preload)
    send(bench, apath1, server.udp, 300_000)
    wait_idle(server.proc.pid)
    time.sleep(1.2)  # a flush interval, so the first seal and log rows are behind us
    c1 = server.signal_mallocs()
    s1 = server.stored()
    send(bench, apath2, server.udp, 600_000)
    wait_idle(server.proc.pid)
    time.sleep(1.2)
    c2 = server.signal_mallocs()
    s2 = server.stored()
    server.stop()
    allocs = {"allocations": c2 - c1, "values": s2 - s1, "per_value": (c2 - c1) / max(1, s2 - s1), "offered": a2["values"]}
    raw.append(f"allocations: {allocs}")
    log(raw[-1])

    profiles = []
    ppath = os.path.join(work, "r1000000.pkt")
    for label, binary in (("before (c37fe92, per-value Points)", before), ("after (series refs)", collectlite)):
        if binary and os.path.exists(binary):
            p = perf_server(binary, bench, ppath, 1_000_000, label, secs)
            if p:
                profiles.append(p)
    shutil.rmtree(work, ignore_errors=True)
    return report(results, fleet, allocs, profiles), raw


def ratio(a, b):
    return f"{a / b:.2f}×" if b else "–"


def report(results, fleet, allocs, profiles):
    L = ["## Ingest by series reference (load phase)\n",
         "Fresh servers per scenario, the same packet file for both (100 hosts, collectd-like plugin mix, "
         "`collectlite-bench packets`), offered from a separate process. CPU-seconds: user+system of the server "
         "from the feed's start until it is idle again (collectlite: until it exited after SIGTERM, final flush "
         "included).\n",
         "| figure | InfluxDB 1.6.7 | collectlite | ratio | target |", "|---|---|---|---|---|"]
    for rate in (150_000, 1_000_000):
        info, cl, ix = results[("swift", rate)]
        vc = cl["stored"] / cl["cpu"] if cl["cpu"] else 0
        vi = ix["stored"] / ix["cpu"] if ix["cpu"] else 0
        ok = vc >= 10 * vi
        L.append(f"| values stored per server CPU-second, {rate:,} values/s offered (paced Swift sender) | {vi:,.0f} | "
                 f"{vc:,.0f} | {ratio(vc, vi)} | ≥ 10×: {'met' if ok else '**MISSED**'} |")
    for key, name in ((("swift", 1_000_000), "paced Swift sender, 1 M values/s"),
                      (("python", 1_000_000), "Python sendto loop paced to 1 M values/s")):
        info, cl, ix = results[key]
        L.append(f"| loss %, {name} (offered {cl['offered']:,.0f} / {ix['offered']:,.0f} values/s) | {ix['loss']:.2f} | "
                 f"{cl['loss']:.3f} | – | ≤ 0.1 %: {'met' if cl['loss'] <= 0.1 else '**MISSED**'} |")
    info, cl, ix = results[("python", 0)]
    L.append(f"| loss %, Python sendto loop as fast as it can (a burst of {cl['offered']:,.0f} / {ix['offered']:,.0f} values/s, "
             f"{info['bytes'] / 1e6:.0f} MB into an 8 MiB socket buffer) | {ix['loss']:.2f} | {cl['loss']:.3f} | – | (above 1 M values/s) |")
    for key, name in ((("swift", 1_000_000), "paced Swift sender"), (("python", 1_000_000), "paced Python loop")):
        info, cl, _ = results[key]
        d = cl["dup"]
        if d:
            lost = info["values"] - d["stored"]
            L.append(f"| the same packets offered again ({name}; every value a duplicate): values not stored, "
                     f"drops by reason, settle time after the feed | – | {lost:,} ({d['dropped'] or 'none'}), "
                     f"{d['settle']:.2f} s | – | 0 dropped: {'met' if lost <= 0 else '**MISSED**'} |")
    info, cl, ix = results[("swift", 1_000_000)]
    L.append(f"| peak RSS (VmHWM) during the 1 M values/s run, MiB | {ix['peak_kib'] / 1024:.1f} | {cl['peak_kib'] / 1024:.1f} | "
             f"{ratio(cl['peak_kib'], ix['peak_kib'])} | ≤ ¼: {'met' if cl['peak_kib'] * 4 <= ix['peak_kib'] else '**MISSED**'} |")
    L.append(f"| idle RSS after start-up, MiB | {ix['idle_kib'] / 1024:.1f} | {cl['idle_kib'] / 1024:.1f} | "
             f"{ratio(cl['idle_kib'], ix['idle_kib'])} | |")
    f = fleet
    series = max(f["series"], 1)
    L.append(f"| new series at fleet scale: {f['info']['values'] // max(1, f['info']['series'])} rounds of "
             f"{f['info']['series']:,} series ({f['info']['series'] // 51:,} hosts) offered at {f['rate']:,} values/s "
             f"(30 000 datagrams of ~22 values a second): values stored | "
             f"{f['influx_stored']:,} | {f['stored']:,} of {f['info']['values']:,} (drops: {f['dropped'] or 'none'}) | | no loss: "
             f"{'met' if f['stored'] >= f['info']['values'] else '**MISSED**'} |")
    L.append(f"| … series created per second (series / seconds from the first datagram to idle) | – | "
             f"{f['series'] / f['seconds']:,.0f} ({f['series']:,} in {f['seconds']:.1f} s) | | |")
    L.append(f"| … resident memory after the feed, MiB (collectlite: per series above idle) | {f['influx_rss_kib'] / 1024:.1f} | "
             f"{f['rss_kib'] / 1024:.1f} ({(f['rss_kib'] - f['idle_kib']) * 1024 / series:,.0f} B/series) | "
             f"{ratio(f['rss_kib'], f['influx_rss_kib'])} | |")
    L.append(f"| heap allocations per stored value, steady state ({allocs['values']:,} values, LD_PRELOAD counter) | – | "
             f"{allocs['per_value']:.4f} ({allocs['allocations']:,} allocations) | | < 0.01: "
             f"{'met' if allocs['per_value'] < 0.01 else '**MISSED**'} |")
    L.append("")
    for p in profiles:
        L.append(f"### perf top 10 (self time), collectlite {p['label']}, 1 M values/s paced feed\n")
        L.append("| % | object | symbol |")
        L.append("|---|---|---|")
        for pct, dso, sym in p["rows"]:
            L.append(f"| {pct:.2f} | {dso} | `{sym}` |")
        L.append("")
    return L



def perf_top(data, percent_limit, limit):
    """The top self-time symbols of a `perf record` file, demangled and sorted: [(percent, name)]."""
    report = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "symbol", "--stdio",
                             "--percent-limit", str(percent_limit)], capture_output=True, text=True).stdout
    rows = []
    for line in report.splitlines():
        m = re.match(r"\s+([\d.]+)%\s+\[[.k]\]\s+(.+)$", line)
        if m:
            rows.append((float(m.group(1)), m.group(2).strip()))
    if rows and shutil.which("swift"):
        names = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(r[1] for r in rows),
                               capture_output=True, text=True).stdout.splitlines()
        if len(names) == len(rows):
            rows = [(p, nm if len(nm) <= 110 else nm[:107] + "...") for (p, _), nm in zip(rows, names)]
    rows.sort(reverse=True)
    return rows[:limit]


if __name__ == "__main__":
    bench = sys.argv[1]
    binary = sys.argv[2]
    before = sys.argv[3] if len(sys.argv) > 3 else None
    lines, raw = run(bench, binary, before, quick=os.environ.get("QUICK") == "1")
    print("\n".join(lines))
    print("\n".join(raw))
