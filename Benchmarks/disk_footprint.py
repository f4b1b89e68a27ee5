#!/usr/bin/env python3
"""Disk footprint, side by side: bytes on disk per stored value, collectlite against InfluxDB 1.6.7.

Two workloads, each offered as the same collectd datagrams to a fresh `collectlite serve`
(release build) and a fresh influxd 1.6.7 with `[[collectd]]`, from a separate sender process:

  synthetic  100 hosts × 2 h at 10 s, 65 values per host per round: cpu 4 × 8 states DERIVE
             (random 10-bit increments), interface eth0/eth1/lo × if_octets (random 20-bit
             increments) / if_packets / if_errors / if_dropped (random 10-bit) rx+tx, load
             shortterm/midterm/longterm GAUGE (uniformly random doubles in [0, 4)), memory 6
             states GAUGE (uniformly random 33-bit integers). Each plugin's value lists of one
             round share a time with 0–10 ms of jitter. Deliberately hard: about 2.2 B/value of
             entropy.
  real       a recording of real collectd (Benchmarks/record-collectd.sh: Debian's default plugin
             set at Interval 10; by default the committed 2-hour one in Benchmarks/recordings),
             replayed as N hosts (the host part rewritten, nothing else).

Per run: send, wait until stored, issue one query (so a reader connection exists, as in
production), SIGTERM, then `du -sb` of the whole data directory. InfluxDB: wait for its full
compaction (cold after 4 s) and measure data + wal. Also a breakdown of collectlite's file
(sqlite3's dbstat: blobs, row overhead, indexes, free pages).

Usage: disk_footprint.py --collectlite BIN [--recording FILE.rec.gz] [--hosts 100] [--hours 2]
                         [--real-hosts 20] [--skip-influxdb] [--markdown OUT]
Prints figures; asserts nothing.
"""
import argparse
import gzip
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ingest_load  # noqa: E402

log = ingest_load.log

# --- collectd network protocol (encoder side) -------------------------------------------------

GAUGE, DERIVE = 1, 2


def part_string(kind, text):
    b = text.encode() + b"\0"
    return struct.pack(">HH", kind, 4 + len(b)) + b


def part_u64(kind, value):
    return struct.pack(">HHQ", kind, 12, value)


def part_values(values):
    body = bytes(kind for kind, _ in values)
    for kind, v in values:
        body += struct.pack("<d", v) if kind == GAUGE else struct.pack(">q", v)
    return struct.pack(">HHH", 6, 6 + len(body), len(values)) + body


class Packer:
    """Packs value lists into datagrams of at most 1452 bytes, repeating only changed parts."""

    def __init__(self, out):
        self.out, self.buf, self.state, self.count = out, b"", {}, 0

    def flush(self):
        if self.buf:
            self.out.write(struct.pack(">H", len(self.buf)) + self.buf)
            self.count += 1
        self.buf, self.state = b"", {}

    def add(self, host, time_ns, plugin, pinst, typ, tinst, values):
        for attempt in (0, 1):
            parts = b""
            fields = ((0, host, part_string), (8, (time_ns << 30) // 1_000_000_000, part_u64),
                      (9, 10 << 30, part_u64), (2, plugin, part_string), (3, pinst, part_string),
                      (4, typ, part_string), (5, tinst, part_string))
            new_state = dict(self.state)
            for kind, value, make in fields:
                if new_state.get(kind) != value:
                    parts += make(kind, value)
                    new_state[kind] = value
            parts += part_values(values)
            if len(self.buf) + len(parts) <= 1452:
                self.buf += parts
                self.state = new_state
                return
            self.flush()


def synthetic_packets(path, hosts, hours, seed=1):
    rnd = random.Random(seed)
    rounds = hours * 360
    start = (int(time.time()) - hours * 3600) // 10 * 10 * 1_000_000_000
    states = ["user", "system", "wait", "nice", "interrupt", "softirq", "steal", "idle"]
    counters = {}
    values = 0
    with open(path, "wb") as f:
        p = Packer(f)
        for r in range(rounds):
            base = start + r * 10_000_000_000
            for h in range(hosts):
                host = f"host{h:04d}"
                t = base + rnd.randrange(0, 10_000_000)
                for cpu in range(4):
                    for s in states:
                        k = (host, "cpu", cpu, s)
                        counters[k] = counters.get(k, rnd.randrange(0, 1 << 30)) + rnd.randrange(0, 1024)
                        p.add(host, t, "cpu", str(cpu), "cpu", s, [(DERIVE, counters[k])])
                        values += 1
                t = base + rnd.randrange(0, 10_000_000)
                for iface in ("eth0", "eth1", "lo"):
                    for typ, bits in (("if_octets", 20), ("if_packets", 10), ("if_errors", 10), ("if_dropped", 10)):
                        pair = []
                        for d in ("rx", "tx"):
                            k = (host, iface, typ, d)
                            counters[k] = counters.get(k, rnd.randrange(0, 1 << 40)) + rnd.randrange(0, 1 << bits)
                            pair.append((DERIVE, counters[k]))
                        p.add(host, t, "interface", iface, typ, "", pair)
                        values += 2
                t = base + rnd.randrange(0, 10_000_000)
                p.add(host, t, "load", "", "load", "", [(GAUGE, rnd.uniform(0, 4)) for _ in range(3)])
                values += 3
                t = base + rnd.randrange(0, 10_000_000)
                for s in ("used", "buffered", "cached", "free", "slab_recl", "slab_unrecl"):
                    p.add(host, t, "memory", "", "memory", s, [(GAUGE, float(rnd.randrange(0, 1 << 33)))])
                    values += 1
                p.flush()
        p.flush()
    return {"datagrams": p.count, "values": values}


def read_recording(path):
    opener = gzip.open if path.endswith(".gz") else open
    data = b""
    with opener(path, "rb") as f:
        try:
            while True:
                chunk = f.read(4096)
                if not chunk:
                    break
                data += chunk
        except (EOFError, OSError):
            pass  # a recording still being written ends mid-stream
    out, i = [], 0
    while i + 12 <= len(data):
        _, n = struct.unpack(">qI", data[i:i + 12])
        if i + 12 + n > len(data):
            break
        out.append(data[i + 12:i + 12 + n])
        i += 12 + n
    return out


def datagram_values(datagram):
    i, n = 0, 0
    while i + 4 <= len(datagram):
        kind, length = struct.unpack(">HH", datagram[i:i + 4])
        if length < 4:
            break
        if kind == 6:
            n += struct.unpack(">H", datagram[i + 4:i + 6])[0]
        i += length
    return n


def rehost(datagram, host, shift_ns=0):
    """The datagram as sent by `host`, its times moved by `shift_ns` (each replayed host gets
    its own clock phase, as hosts of a real fleet do: no two hosts share timestamps)."""
    out, i = b"", 0
    while i + 4 <= len(datagram):
        kind, length = struct.unpack(">HH", datagram[i:i + 4])
        if length < 4:
            break
        if kind == 0:
            out += part_string(0, host)
        elif kind == 8 and shift_ns and length == 12:
            cd = struct.unpack(">Q", datagram[i + 4:i + 12])[0]
            out += part_u64(8, cd + (shift_ns << 30) // 1_000_000_000)
        elif kind == 1 and shift_ns and length == 12:
            sec = struct.unpack(">Q", datagram[i + 4:i + 12])[0]
            out += part_u64(1, sec + shift_ns // 1_000_000_000)
        else:
            out += datagram[i:i + length]
        i += length
    return out


def recording_span_ns(datagrams):
    """First and last time (ns) of the value lists in a recording."""
    lo, hi = None, None
    for d in datagrams:
        i = 0
        while i + 4 <= len(d):
            kind, length = struct.unpack(">HH", d[i:i + 4])
            if length < 4:
                break
            if kind == 8 and length == 12:
                t = (struct.unpack(">Q", d[i + 4:i + 12])[0] * 1_000_000_000) >> 30
                lo = t if lo is None else min(lo, t)
                hi = t if hi is None else max(hi, t)
            i += length
    return lo or 0, hi or 0


def real_packets(path, recording, hosts, repeat=1, seed=7):
    """The recording replayed by `hosts` hosts, each shifted by its own random phase (0–10 s,
    any nanosecond), `repeat` times back to back (each copy moved past the previous one)."""
    datagrams = read_recording(recording)
    lo, hi = recording_span_ns(datagrams)
    period = (hi - lo) // 10_000_000_000 * 10_000_000_000 + 10_000_000_000
    rnd = random.Random(seed)
    phases = [rnd.randrange(10_000_000_000) for _ in range(hosts)]
    values = 0
    with open(path, "wb") as f:
        for r in range(repeat):
            # Oldest copy first, ending where the recording ends.
            base = -(repeat - 1 - r) * period
            for d in datagrams:
                for h in range(hosts):
                    b = rehost(d, f"real{h:03d}", base + phases[h])
                    f.write(struct.pack(">H", len(b)) + b)
                    values += datagram_values(b)
    return {"datagrams": len(datagrams) * hosts * repeat, "values": values, "recorded": len(datagrams)}


# --- measuring ----------------------------------------------------------------------------------

def du(paths):
    return sum(os.path.getsize(os.path.join(d, f)) for p in paths for d, _, fs in os.walk(p) for f in fs)


def chunk_count(data):
    """Samples in a chunk: the count varint after version, kind, flags (and version 2's codec
    byte; version 3 adds the clock id before the count, version 4 the clock id, the time
    byte and the value byte)."""
    def varint(i):
        n, shift = 0, 0
        while True:
            b = data[i]
            n |= (b & 0x7F) << shift
            i += 1
            shift += 7
            if b < 0x80:
                return n, i
    i = 4 if data[0] >= 2 else 3
    if data[0] >= 3:
        _, i = varint(i)
    if data[0] == 4:
        i += 2
    return varint(i)[0]


def breakdown(directory):
    """dbstat of every .sqlite file: bytes by table/index, payload vs. overhead, free pages."""
    out = {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".sqlite"):
            continue
        con = sqlite3.connect(f"file:{directory}/{name}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT name, sum(pgsize), sum(payload), sum(unused), count(*) FROM dbstat GROUP BY name").fetchall()
            free = con.execute("PRAGMA freelist_count").fetchone()[0] * con.execute("PRAGMA page_size").fetchone()[0]
            blob = con.execute("SELECT sum(length(data)), count(*) FROM chunks").fetchone()
            per = {}
            for measurement, data in con.execute(
                    "SELECT f.measurement, c.data FROM chunks c JOIN fields f ON f.id = c.field_id"):
                m = per.setdefault(measurement, [0, 0])
                m[0] += len(data)
                m[1] += chunk_count(data)
        except sqlite3.Error as e:
            out[name] = {"error": str(e)}
            continue
        finally:
            con.close()
        out[name] = {"objects": {r[0]: {"bytes": r[1], "payload": r[2], "unused": r[3], "pages": r[4]} for r in rows},
                     "free": free, "blob_bytes": blob[0] or 0, "chunk_rows": blob[1], "per_measurement": per}
    return out


def analyzer(path):
    """Page slack of the chunk table as `sqlite3_analyzer` (Debian package sqlite3-tools) reports it."""
    if not shutil.which("sqlite3_analyzer"):
        return None
    out = subprocess.run(["sqlite3_analyzer", path], capture_output=True, text=True).stdout
    m = re.search(r"\*\*\* Table CHUNKS and all its indices \*+\n(.*?)\n\*\*\*", out, re.S)
    if not m:
        return None
    figures = {}
    for key in ("Percentage of total database", "Bytes of storage consumed", "Bytes of payload", "Bytes of metadata", "Unused bytes on all pages"):
        f = re.search(re.escape(key) + r"\.*\s+([\d.]+)", m.group(1))
        if f:
            figures[key] = f.group(1)
    return figures


def run_collectlite(binary, packets, info, rate, keep=None):
    server = ingest_load.Collectlite(binary)
    ingest_load.send(None, packets, server.udp, rate, python=True, info=info)
    ingest_load.wait_idle(server.proc.pid, quiet=1.0)
    stored = server.stored()
    queried = ingest_load.count_values(server.http)
    time.sleep(1.5)
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(timeout=300)
    data = server.dir + "/data"
    files = {f: os.path.getsize(os.path.join(data, f)) for f in sorted(os.listdir(data))}
    result = {"stored": stored, "queried": queried, "bytes": du([data]), "files": files, "breakdown": breakdown(data),
              "analyzer": analyzer(data + "/collectd.sqlite")}
    if keep:
        shutil.copytree(data, keep, dirs_exist_ok=True)
    shutil.rmtree(server.dir, ignore_errors=True)
    return result


def run_influx(packets, info, rate):
    server = ingest_load.Influx(extra_data='  cache-snapshot-write-cold-duration = "2s"\n'
                                           '  compact-full-write-cold-duration = "4s"\n')
    ingest_load.send(None, packets, server.udp, rate, python=True, info=info)
    stored = server.settle()
    ingest_load.count_values(server.http)
    deadline, last, steady = time.time() + 300, -1, time.time()
    while time.time() < deadline:
        time.sleep(0.5)
        size = du([server.dir + "/data", server.dir + "/wal"])
        wal = subprocess.run(["find", server.dir + "/wal", "-name", "*.wal", "-size", "+0"],
                             capture_output=True, text=True).stdout.strip()
        if size != last or wal:
            steady = time.time()
        last = size
        if time.time() - steady >= 8:
            break
    tsm = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(server.dir + "/data") for f in fs if f.endswith(".tsm"))
    server.stop()
    return {"stored": stored, "bytes": last, "tsm": tsm}


def describe(name, info, cl, ix):
    lines = [f"### {name}: {info['values']:,} values offered in {info['datagrams']:,} datagrams", ""]
    lines.append("| | InfluxDB 1.6.7 | collectlite | ratio |")
    lines.append("|---|---|---|---|")
    lines.append(f"| values stored | {ix['stored']:,} | {cl['stored']:,} | |" if ix else f"| values stored | – | {cl['stored']:,} | |")
    bpv_c = cl["bytes"] / max(1, cl["stored"])
    if ix:
        bpv_i = ix["bytes"] / max(1, ix["stored"])
        lines.append(f"| bytes on disk (whole directory) | {ix['bytes']:,} | {cl['bytes']:,} | |")
        lines.append(f"| **bytes per value** | {bpv_i:.2f} | **{bpv_c:.2f}** | {bpv_c / bpv_i:.3f} |")
    else:
        lines.append(f"| **bytes per value** | – | **{bpv_c:.2f}** | |")
    lines.append("")
    lines.append(f"collectlite files after SIGTERM: {', '.join(f'`{k}` {v:,} B' for k, v in cl['files'].items())}")
    for db, b in cl["breakdown"].items():
        if "error" in b:
            continue
        stored = max(1, cl["stored"])
        parts = ", ".join(f"{k} {v['bytes'] / stored:.3f}" for k, v in sorted(b["objects"].items(), key=lambda kv: -kv[1]["bytes"]))
        lines.append(f"- `{db}` per value: chunk blobs {b['blob_bytes'] / stored:.3f} in {b['chunk_rows']:,} chunk rows "
                     f"({cl['stored'] / max(1, b['chunk_rows']):.0f} values per row); pages by object: {parts}; free pages {b['free'] / stored:.3f}")
        chunk_pages = b["objects"].get("chunks", {})
        if chunk_pages:
            lines.append(f"- chunk table pages: {chunk_pages['bytes']:,} B of which unused {chunk_pages['unused']:,} B "
                         f"({100.0 * chunk_pages['unused'] / max(1, chunk_pages['bytes']):.1f} % slack), payload {chunk_pages['payload']:,} B")
        if cl.get("analyzer"):
            a = cl["analyzer"]
            lines.append("- `sqlite3_analyzer`, table CHUNKS and its index: " + ", ".join(f"{k.lower()} {v}" for k, v in a.items()))
        per = b.get("per_measurement", {})
        if per:
            lines.append("- chunk blob bytes per value by measurement: " + ", ".join(
                f"{m} {v[0] / max(1, v[1]):.2f}" for m, v in sorted(per.items())))
    lines.append("")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--collectlite", required=True)
    ap.add_argument("--recording", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "recordings",
                                                        "collectd-5.12-default-plugins-interval10-2h.rec.gz"))
    ap.add_argument("--hosts", type=int, default=100)
    ap.add_argument("--hours", type=int, default=2)
    ap.add_argument("--real-hosts", type=int, default=20)
    ap.add_argument("--real-repeat", type=int, default=1,
                    help="replay the recording this many times back to back (longer history per series)")
    ap.add_argument("--rate", type=int, default=150_000, help="values/s offered (both servers)")
    ap.add_argument("--skip-influxdb", action="store_true")
    ap.add_argument("--only", choices=["synthetic", "real"])
    ap.add_argument("--markdown")
    ap.add_argument("--keep", help="copy collectlite's data directory of each workload under this directory")
    a = ap.parse_args()
    if not a.skip_influxdb and not os.path.exists("/usr/bin/influxd"):
        sys.exit("disk_footprint.py: /usr/bin/influxd not found: install Debian's influxdb package "
                 "(apt-get install influxdb) or pass --skip-influxdb")
    work = tempfile.mkdtemp(prefix="footprint-")
    md = []
    try:
        runs = []
        if a.only in (None, "synthetic"):
            path = os.path.join(work, "synthetic.pkt")
            runs.append((f"synthetic day, {a.hosts} hosts × {a.hours} h", path, synthetic_packets(path, a.hosts, a.hours)))
        if a.only in (None, "real") and a.recording:
            path = os.path.join(work, "real.pkt")
            info = real_packets(path, a.recording, a.real_hosts, a.real_repeat)
            label = f"real collectd recording ({info['recorded']:,} datagrams) replayed as {a.real_hosts} hosts"
            if a.real_repeat > 1:
                label += f", {a.real_repeat} times back to back"
            runs.append((label, path, info))
        for name, path, info in runs:
            log(f"{name}: {info}")
            keep = os.path.join(a.keep, name.split(" ")[0]) if a.keep else None
            cl = run_collectlite(a.collectlite, path, info, a.rate, keep)
            log(f"collectlite: {cl['stored']} stored, {cl['bytes']} B, {cl['bytes'] / max(1, cl['stored']):.3f} B/value, files {cl['files']}")
            ix = None
            if not a.skip_influxdb:
                ix = run_influx(path, info, a.rate)
                log(f"influxdb: {ix['stored']} stored, {ix['bytes']} B, {ix['bytes'] / max(1, ix['stored']):.3f} B/value")
            md += describe(name, info, cl, ix)
        text = "\n".join(md)
        print(text)
        if a.markdown:
            with open(a.markdown, "w") as f:
                f.write(text + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
