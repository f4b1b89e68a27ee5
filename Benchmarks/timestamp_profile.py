#!/usr/bin/env python3
"""What timestamps cost in real collectd data, and what sharing them would save (issue 15).

Usage: timestamp_profile.py [RECORDING.rec.gz]  (default: the committed 2-hour recording)

Reads a recording made by record-collectd.sh and estimates, with a plain adaptive
delta-of-delta code (1 bit for an unchanged interval, else about 4 + log2|dod| bits), the
timestamp bits per stored value when every series keeps its own timestamps (what collectlite's
chunks do), when the data sources of one value list share them, and when every value list of
one plugin read shares them. Compare with the chunk blobs' bytes per value from
disk_footprint.py.
"""
import collections
import math
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from disk_footprint import read_recording  # noqa: E402

default = os.path.join(HERE, "recordings", "collectd-5.12-default-plugins-interval10-2h.rec.gz")
dgs = read_recording(sys.argv[1] if len(sys.argv) > 1 else default)
series = collections.defaultdict(list)      # (identity, ds) -> [ms]
vl_times = collections.defaultdict(list)    # identity -> [ms] (one per value list)
plugin_reads = collections.defaultdict(set) # plugin -> set of ms
values = 0
for d in dgs:
    i = 0; st = {}
    while i + 4 <= len(d):
        kind, length = struct.unpack(">HH", d[i:i+4])
        if length < 4: break
        body = d[i+4:i+length]
        if kind in (0, 2, 3, 4, 5): st[kind] = body.rstrip(b"\0").decode(errors="replace")
        elif kind == 1: st["t"] = struct.unpack(">Q", body)[0] * 1000
        elif kind == 8: st["t"] = (struct.unpack(">Q", body)[0] * 1000) >> 30
        elif kind == 6:
            n = struct.unpack(">H", body[:2])[0]
            ident = (st.get(2,""), st.get(3,""), st.get(4,""), st.get(5,""))
            t = st["t"]
            for k in range(n): series[(ident, k)].append(t)
            vl_times[ident].append(t)
            plugin_reads[st.get(2,"")].add(t)
            values += n
        i += length
def dod_bits(ts):
    # bits of a simple adaptive dod code: 1 bit for 0, else 2 + ~(2 + log2|dod|) (window/zigzag)
    bits = 0; prev = None; pd = 0
    for t in ts:
        if prev is None: bits += 64; prev = t; continue
        d = t - prev; dod = d - pd; pd = d; prev = t
        bits += 1 if dod == 0 else 2 + 2 + max(1, math.ceil(math.log2(abs(dod) + 1)))
    return bits
per_series = sum(dod_bits(sorted(ts)) for ts in series.values())
per_vl = sum(dod_bits(sorted(ts)) for ts in vl_times.values())
per_plugin = sum(dod_bits(sorted(ts)) for ts in plugin_reads.values())
print(f"values {values}, series {len(series)}, value-list identities {len(vl_times)}, plugins {len(plugin_reads)}")
print(f"timestamp bits per value: per series {per_series/values:.2f}, shared per value list {per_vl/values:.2f}, shared per plugin read {per_plugin/values:.2f}")
gaps = collections.Counter()
for ts in series.values():
    s = sorted(ts)
    for a, b in zip(s, s[1:]): gaps[round((b-a)/1000)] += 1
tot = sum(gaps.values())
print("gap histogram (s: share):", ", ".join(f"{k}: {v/tot:.3f}" for k, v in sorted(gaps.items())[:12]))
