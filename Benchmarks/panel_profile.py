#!/usr/bin/env python3
"""One collectlite server loaded with compare-influxdb's HTTP-phase day (100 hosts × 2 h at 10 s over
/write), then panels run N times each on one keep-alive connection: p50, min and server CPU per
request; with `perf`, `perf record -g` follows the server during the loop (written to
/tmp/panel-profile.data). Prints figures; asserts nothing. No InfluxDB (see panel_queries.py).

Usage: panel_profile.py BINARY PANELS N [perf]   (PANELS: indices into compare-influxdb's panels, e.g. 0,4,6)
"""
import importlib.util, importlib.machinery, os, sys, subprocess, socket, time, urllib.parse, http.client, tempfile, shutil
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
loader = importlib.machinery.SourceFileLoader("C", f"{ROOT}/Benchmarks/compare-influxdb")
spec = importlib.util.spec_from_loader("C", loader); C = importlib.util.module_from_spec(spec); loader.exec_module(C)
binary, idx, n = sys.argv[1], [int(x) for x in sys.argv[2].split(",")], int(sys.argv[3])
perf = len(sys.argv) > 4 and sys.argv[4] == "perf"
tmp = tempfile.mkdtemp(prefix="pp-")
cp = C.free_port()
ours = subprocess.Popen([binary, "serve", "--data-dir", f"{tmp}/d", "--collectd-bind", f"127.0.0.1:{C.free_port(socket.SOCK_DGRAM)}", "--http-bind", f"127.0.0.1:{cp}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    C.wait_ping(cp, ours)
    C.request(cp, "POST", "/query?q=" + urllib.parse.quote("CREATE DATABASE collectd"))
    start = 1_700_000_000_000_000_000; hours=2; hosts=100
    for body, k in C.day_batches(hosts, hours, start):
        C.request(cp, "POST", "/write?db=collectd", body)
    ps = C.panels(f"host{hosts // 2:03d}", start, start + hours * 3_600_000_000_000)
    conn = http.client.HTTPConnection("127.0.0.1", cp)
    def get(q):
        conn.request("GET", "/query?db=collectd&epoch=ms&q=" + urllib.parse.quote(q)); r = conn.getresponse(); return r.read()
    for i in idx: get(ps[i][1])
    pr = None
    if perf:
        pr = subprocess.Popen(["perf", "record", "-F", "2000", "-g", "-o", "/tmp/panel-profile.data", "-p", str(ours.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
    for i in idx:
        ts = []
        c0 = C.cpu_seconds(ours.pid)
        for _ in range(n):
            t = time.perf_counter(); get(ps[i][1]); ts.append((time.perf_counter() - t) * 1000)
        c1 = C.cpu_seconds(ours.pid)
        print(f"{ps[i][0]:28s} p50 {C.pct(ts,0.5):.3f} ms  min {min(ts):.3f}  cpu/req {(c1-c0)/n*1000:.3f} ms", flush=True)
    if pr: pr.send_signal(2); pr.wait()
finally:
    ours.terminate(); ours.wait(); shutil.rmtree(tmp, ignore_errors=True)
