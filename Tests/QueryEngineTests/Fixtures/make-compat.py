#!/usr/bin/env python3
"""Writes the compat suite (InfluxQL beyond the collectd/Grafana subset, issue 17):
compat-data.txt (multi-field measurements, typed fields) and compat-queries.txt.
Then record with `SUITE=compat ./record.py record`."""
import calendar
import os
import random
import time

HERE = os.path.dirname(os.path.abspath(__file__))
START = 1700000000 * 10**9
S = 10**9
rnd = random.Random(17)
data = []


def block(measurement, tags, field, samples, database=None):
    tagtext = ",".join(f"{k}={v}" for k, v in tags) if tags else "-"
    data.append(f"S {measurement} {tagtext} {field}" + (f" {database}" if database else ""))
    data.extend(f"{t} {v}" for t, v in samples)


# cpu: one float field, two hosts in two regions, every 10 s for 3 minutes (host b starts late).
for host, region, first in [("a", "east", 0), ("b", "west", 3), ("c", "east", 0)]:
    times = [START + i * 10 * S for i in range(first, 18)]
    block("cpu", [("host", host), ("region", region)], "value",
          [(t, f"{round(rnd.uniform(0, 100), 1)}") for t in times])
# network: collectd join mode, rx and tx at the same timestamps (tx sometimes missing).
for host in ["a", "b"]:
    for instance in ["eth0", "lo"]:
        times = [START + i * 10 * S for i in range(12)]
        rx, tx = [], []
        for i, t in enumerate(times):
            rx.append((t, f"{rnd.randint(0, 1000)}"))
            if i % 5 != 3:
                tx.append((t, f"{rnd.randint(0, 1000)}"))
        block("network", [("host", host), ("instance", instance)], "rx", rx)
        block("network", [("host", host), ("instance", instance)], "tx", tx)
# typed: one field of each type per point, tag k.
for k in ["x", "y"]:
    times = [START + i * 20 * S for i in range(6)]
    block("typed", [("k", k)], "f", [(t, f"{rnd.choice([1.5, 2.0, 3.25, -1.0, 7.0])}") for t in times])
    block("typed", [("k", k)], "i", [(t, f"{rnd.randint(-5, 20)}i") for t in times])
    block("typed", [("k", k)], "s", [(t, f"\"{rnd.choice(['up', 'down'])}\"") for t in times])
    block("typed", [("k", k)], "b", [(t, rnd.choice(["true", "false"])) for t in times])
# memory: host and service tags, as in InfluxDB's top/bottom tests.
for host in ["h1", "h2", "h3"]:
    for service in ["mysql", "redis", "nginx"]:
        times = [START + i * 30 * S for i in range(4)]
        block("memory", [("host", host), ("service", service)], "value",
              [(t, f"{rnd.randint(1000, 9999)}i") for t in times])
# A second database, "other": a cpu series with the same key as one in collectd, one of its
# own, and a measurement collectd does not have.
block("cpu", [("host", "a"), ("region", "east")], "value", [(START, "1"), (START + 20 * S, "3")], "other")
block("cpu", [("host", "z"), ("region", "north")], "value", [(START + 10 * S, "2")], "other")
block("mem", [("host", "a")], "free", [(START, "5i")], "other")
# A database "zfuture" (loaded last, so the other shards keep their ids) with a point in 2100:
# SHOW lists series whatever their time.
block("fut", [("host", "x")], "value", [(4102444800 * S, "1")], "zfuture")
block("fut", [("host", "y")], "value", [(START, "2")], "zfuture")
block("later", [("host", "x")], "n", [(4102444800 * S, "3i")], "zfuture")
# tz() (issue 17): database "ztz", loaded last, with points across daylight-saving changes
# (America/Los_Angeles 2023-03-12 and 2023-11-05, Europe/Berlin 2023-03-26 and 2023-10-29,
# Australia/Lord_Howe's half hour on 2023-04-02) and a few with fractional seconds.
# Its own random source, so the data above stays as it was.
tzr = random.Random(1717)


def utc(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")) * S


def series(first, count, step, value):
    return [(utc(first) + i * step * S, value(i)) for i in range(count)]


block("dst", [("host", "a")], "value", series("2023-03-10T00:00:00Z", 288, 1800, lambda i: f"{i * 0.5}"), "ztz")
block("dst", [("host", "b")], "value", series("2023-03-10T00:00:00Z", 144, 3600, lambda i: f"{tzr.randint(0, 500) / 4}"), "ztz")
block("dst", [("host", "a")], "value", series("2023-03-25T00:00:00Z", 144, 1800, lambda i: f"{1000 + i}"), "ztz")
block("dst", [("host", "a")], "value", series("2023-03-31T00:00:00Z", 384, 900, lambda i: f"{2000 + i * 0.25}"), "ztz")
block("dst", [("host", "a")], "value", series("2023-10-28T00:00:00Z", 96, 1800, lambda i: f"{3000 + i}"), "ztz")
block("dst", [("host", "a")], "value", series("2023-11-03T00:00:00Z", 240, 1800, lambda i: f"{4000 + i * 0.5}"), "ztz")
block("dst", [("host", "b")], "value", series("2023-11-03T00:00:00Z", 120, 3600, lambda i: f"{tzr.randint(0, 500) / 4}"), "ztz")
block("ticks", [("host", "a")], "n", series("2023-03-10T00:00:00Z", 36, 7200, lambda i: f"{tzr.randint(0, 1000)}i")
      + series("2023-11-03T00:00:00Z", 36, 7200, lambda i: f"{tzr.randint(0, 1000)}i"), "ztz")
block("frac", [], "value", [(utc("2023-07-01T12:00:00Z") + ns, v) for ns, v in
                            [(0, "1"), (500_000_000, "2"), (123_456_789, "3"), (1_000, "4"), (100_000_000, "5"), (999_999_999, "6")]], "ztz")
block("frac", [], "value", [(utc("2023-01-15T23:59:59Z") + 10 * S, "7")], "ztz")
# Fleet (issue 17): collectd-shaped interface counters in database "ztz" (a new database
# would change the answers of SHOW DATABASES):
# every 10 s per host and instance at a host's own sub-second phase, with jitter; host c
# starts 5 minutes later, host b has a counter reset. Its own random source.
fr = random.Random(1766)
FLEET = 1700100000 * S
for host, first, phase in [("a", 0, 3_217_000_000), ("b", 0, 7_905_000_000), ("c", 30, 1_450_000_000)]:
    for instance, rate in [("eth0", 125_000), ("lo", 4_000)]:
        acc = fr.randint(10**6, 10**9)
        samples = []
        for i in range(first, 180):
            acc += fr.randint(rate // 2, rate * 2) * 10
            if host == "b" and instance == "eth0" and i == 90:
                acc = fr.randint(0, 10**5)
            samples.append((FLEET + i * 10 * S + phase + fr.randint(0, 20_000) * 1000, f"{acc}"))
        block("interface_rx", [("host", host), ("instance", instance), ("type", "if_octets")], "value", samples, "ztz")
with open(os.path.join(HERE, "compat-data.txt"), "w") as f:
    f.write("\n".join(data) + "\n")

# Queries: one per line, `[epoch=<e>] [db=<d>] <query>` (see record.py).
W = "time >= 1700000000000ms AND time < 1700000180000ms"   # all of cpu
N = "time >= 1700000000000ms AND time < 1700000120000ms"   # all of network
A = "host = 'a' AND time < 1700000030000ms"
B = "host = 'b' AND time >= 1700000000000ms AND time < 1700000090000ms"  # b starts at 22:13:50
T = "time >= 1700000000000ms AND time < 1700000120000ms"   # all of typed
q = []
add = q.append

add("# explicit time in the select list")
for s in [f"SELECT time, value FROM cpu WHERE {A}",
          f"SELECT time AS ts, value FROM cpu WHERE {A}",
          f"SELECT value, time FROM cpu WHERE {A}",
          f"SELECT \"time\", value FROM cpu WHERE {A}",
          f"SELECT time::field, value FROM cpu WHERE {A}",
          f"SELECT time, time, value FROM cpu WHERE {A}",
          f"SELECT time, time, time, value FROM cpu WHERE {A}",
          f"SELECT value, time, time FROM cpu WHERE {A}",
          f"SELECT time, value, time FROM cpu WHERE {A}",
          f"SELECT time AS a, time AS b, value FROM cpu WHERE {A}",
          f"SELECT time AS a, value, time AS b FROM cpu WHERE {A}",
          f"SELECT time + 1, value FROM cpu WHERE {A}",
          f"SELECT time, time + 1 FROM cpu WHERE {A}",
          "SELECT time FROM cpu", "SELECT time, time FROM cpu", "SELECT time, time, time FROM cpu",
          f"SELECT time, value, host FROM cpu WHERE {A}",
          f"SELECT time, * FROM cpu WHERE {A}",
          f"SELECT time, time, * FROM cpu WHERE {A}",
          f"SELECT time, value FROM cpu WHERE {A} ORDER BY time DESC LIMIT 2",
          f"SELECT time, value FROM cpu WHERE {W} GROUP BY host LIMIT 1",
          f"SELECT time, rx, tx FROM network WHERE {N} AND host = 'a' AND instance = 'lo' LIMIT 5 OFFSET 1",
          f"epoch=ms SELECT time, value FROM cpu WHERE {A}",
          f"epoch=s SELECT time AS t, value FROM cpu WHERE {A}",
          f"SELECT time, count(value) FROM cpu WHERE {W} GROUP BY time(1m)",
          f"SELECT time AS t, count(value) FROM cpu WHERE {A} GROUP BY time(10s)",
          f"SELECT time, mean(value) FROM cpu WHERE {W} GROUP BY host",
          f"SELECT time, max(value) FROM cpu WHERE {W}",
          f"SELECT max(value), time FROM cpu WHERE {W}",
          f"SELECT time, max(value) AS t, time AS b FROM cpu WHERE {A}",
          f"SELECT time, time, max(value) FROM cpu WHERE {A}",
          f"SELECT time, time, count(value) FROM cpu WHERE {A}",
          f"SELECT time, time, count(value) FROM cpu WHERE {A} GROUP BY time(10s)",
          f"SELECT time, sum(value), mean(value) FROM cpu WHERE {W} GROUP BY time(1m), region fill(0)",
          f"SELECT time, count(value) FROM cpu WHERE {B} GROUP BY time(20s) fill(none)",
          f"SELECT time, top(value, 2) FROM cpu WHERE {W}",
          f"SELECT time, derivative(value) FROM cpu WHERE {A}",
          f"SELECT time, i, s, b, f FROM typed WHERE k = 'x'",
          f"epoch=ms SELECT time, mean(value) FROM cpu WHERE {W} GROUP BY time(1m) ORDER BY time DESC",
          f"SELECT time, value FROM (SELECT time, value FROM cpu WHERE {A})",
          f"SELECT time, max FROM (SELECT max(value) FROM cpu WHERE {A} GROUP BY time(10s))",
          ]:
    add(s)

add("# selectors with other fields and tags")
for s in [f"SELECT tx, max(rx) FROM network WHERE {N} GROUP BY time(30s)",
          f"SELECT max(rx), tx FROM network WHERE {N}",
          f"SELECT max(rx), tx, host FROM network WHERE {N} AND instance = 'eth0' GROUP BY time(30s)",
          f"SELECT max(rx), tx FROM network WHERE {N} GROUP BY time(30s), host",
          f"SELECT max(rx), tx FROM network WHERE {N} GROUP BY host, instance",
          f"SELECT max(rx), tx FROM network WHERE {N} GROUP BY *",
          f"SELECT max(tx), rx FROM network WHERE {N} GROUP BY time(30s), host LIMIT 2",
          f"SELECT max(rx), tx FROM network WHERE {N} AND host = 'a' AND instance = 'lo' GROUP BY time(20s)",
          f"SELECT max(value), host FROM cpu WHERE {W}",
          f"SELECT max(value), host, region FROM cpu WHERE {W} GROUP BY region",
          f"SELECT min(value), host, region FROM cpu WHERE {W} GROUP BY time(1m)",
          f"SELECT first(rx), tx FROM network WHERE {N} GROUP BY host",
          f"SELECT last(rx), tx, instance FROM network WHERE {N} GROUP BY host",
          f"SELECT last(value), value, host FROM cpu WHERE {W} GROUP BY region ORDER BY time DESC",
          f"SELECT first(value), host FROM cpu WHERE {W} GROUP BY time(1m) ORDER BY time DESC",
          f"SELECT min(tx), rx FROM network WHERE {N} AND host = 'b'",
          f"SELECT min(tx), rx, instance FROM network WHERE {N} GROUP BY time(1m) fill(none)",
          f"SELECT percentile(rx, 50), tx FROM network WHERE {N}",
          f"SELECT percentile(rx, 90), tx, host FROM network WHERE {N} GROUP BY time(1m)",
          f"SELECT max(rx) * 2, tx FROM network WHERE {N}",
          f"SELECT max(rx), tx * 2 FROM network WHERE {N}",
          f"SELECT max(rx), tx - rx AS d FROM network WHERE {N} GROUP BY host",
          f"SELECT max(rx), * FROM network WHERE {N}",
          f"SELECT max(rx), rx FROM network WHERE {N}",
          f"SELECT max(rx), tx, 5 FROM network WHERE {N}",
          f"SELECT max(i), s, b, f FROM typed WHERE {T} GROUP BY k",
          f"SELECT min(i), s FROM typed WHERE {T}",
          f"SELECT first(s), i, f FROM typed WHERE {T} GROUP BY k",
          f"SELECT last(b), i, k FROM typed WHERE {T}",
          f"SELECT max(f), i, s FROM typed WHERE {T} GROUP BY time(1m)",
          f"SELECT sample(f, 3), i FROM typed WHERE k = 'x' AND time < 1700000060000ms",
          f"SELECT sample(i, 10), s FROM typed WHERE {T} GROUP BY k",
          f"SELECT max(value), region FROM cpu WHERE {B} GROUP BY time(20s)",
          f"SELECT max(value), region FROM cpu WHERE {B} GROUP BY time(20s) fill(0)",
          f"SELECT max(value), region FROM cpu WHERE {B} GROUP BY time(20s) fill(previous)",
          f"SELECT max(value), region FROM cpu WHERE {B} GROUP BY time(20s) fill(linear)",
          f"SELECT max(value), region FROM cpu WHERE {B} GROUP BY time(20s) fill(none)",
          f"SELECT max(value), region FROM cpu WHERE {B} GROUP BY time(20s) fill(-1)",
          f"SELECT max(value), host FROM cpu WHERE {W} GROUP BY time(1m) LIMIT 2 OFFSET 1",
          f"SELECT max(value), host FROM cpu WHERE {W} GROUP BY time(1m), region SLIMIT 1",
          f"SELECT max(value), host FROM cpu WHERE {W} AND value > 50 GROUP BY time(1m)",
          f"epoch=ms SELECT max(rx), tx FROM network WHERE {N} GROUP BY time(1m)",
          f"SELECT max(rx), min(rx), tx FROM network WHERE {N}",
          f"SELECT mean(rx), tx FROM network WHERE {N}",
          f"SELECT count(rx), host FROM network WHERE {N}",
          f"SELECT mean(rx), max(rx), tx FROM network WHERE {N}",
          f"SELECT distinct(rx), tx FROM network WHERE {N}",
          ]:
    add(s)

M = "time >= 1700000000000ms AND time < 1700000120000ms"   # all of memory
add("# top/bottom with tag arguments and tags in the select list")
# (top/bottom with a LIMIT at or above N is left out: InfluxDB 1.6 pushes the LIMIT into the
# selector's input and answers with points that are not the top N.)
for s in [f"SELECT TOP(value, host, 2) FROM memory WHERE {M}",
          f"SELECT TOP(value, 2), host, service FROM memory WHERE {M}",
          f"SELECT TOP(value, host, 2), service FROM memory WHERE {M}",
          f"SELECT BOTTOM(value, host, service, 3) FROM memory WHERE {M}",
          f"SELECT BOTTOM(value, service, 2), host FROM memory WHERE {M}",
          f"SELECT TOP(value, service, 2) FROM memory WHERE {M} GROUP BY host",
          f"SELECT top(value, 2), service FROM memory WHERE {M} GROUP BY host",
          f"SELECT bottom(value, 2), host FROM memory WHERE {M} GROUP BY service",
          f"SELECT TOP(value, host, 1) FROM memory WHERE {M} GROUP BY time(1m)",
          f"SELECT TOP(value, 2), host FROM memory WHERE {M} GROUP BY time(1m)",
          f"SELECT BOTTOM(value, 1), host, service FROM memory WHERE {M} GROUP BY time(30s)",
          f"SELECT TOP(value, host, 3) FROM memory WHERE {M} ORDER BY time DESC",
          f"SELECT TOP(value, 3), service FROM memory WHERE {M} ORDER BY time DESC",
          f"SELECT TOP(value, 2) FROM memory WHERE {M} ORDER BY time DESC",
          f"SELECT TOP(value, 2) FROM memory WHERE {M} GROUP BY time(1m) ORDER BY time DESC",
          f"SELECT BOTTOM(value, 2) FROM memory WHERE {M} GROUP BY time(1m), host ORDER BY time DESC",
          f"SELECT sample(value, 10) FROM memory WHERE {M} AND host = 'h1' AND service = 'mysql' ORDER BY time DESC",
          f"SELECT TOP(value, 2) * 2 FROM memory WHERE {M} GROUP BY service",
          f"SELECT TOP(value, 3) FROM memory WHERE {M} GROUP BY time(1m) fill(0)",
          f"SELECT TOP(value, host, 2) AS t FROM memory WHERE {M}",
          f"SELECT TOP(value, service, 2), host FROM memory WHERE {M} AND host != 'h1'",
          f"SELECT TOP(value, 4), * FROM memory WHERE {M}",
          f"epoch=s SELECT BOTTOM(value, host, 2) FROM memory WHERE {M} GROUP BY service",
          f"SELECT TOP(value, 2), host, service FROM memory WHERE {M} SLIMIT 1",
          f"SELECT TOP(value, host, 2) FROM memory WHERE {M} GROUP BY service SLIMIT 2 SOFFSET 1",
          f"SELECT TOP(rx, host, instance, 2), tx FROM network WHERE {N}",
          f"SELECT BOTTOM(tx, instance, 1), rx, host FROM network WHERE {N} GROUP BY time(1m)",
          f"SELECT TOP(i, k, 1), s FROM typed WHERE {T}",
          f"SELECT TOP(value, 3) FROM memory WHERE {M} LIMIT 2",
          f"SELECT TOP(value, host, 3) FROM memory WHERE {M} LIMIT 2",
          f"SELECT TOP(value, 3) FROM memory WHERE {M} LIMIT 2 OFFSET 1",
          f"SELECT top(value, host, 2) FROM memory WHERE {M} LIMIT 1",
          f"SELECT BOTTOM(value, 5), host FROM memory WHERE {M} GROUP BY time(1m) LIMIT 4",
          f"SELECT TOP(value, host, 2), BOTTOM(value, 1) FROM memory WHERE {M}",
          f"SELECT TOP(value, 2), max(value) FROM memory WHERE {M}",
          f"SELECT TOP(value, 2.5) FROM memory WHERE {M}",
          f"SELECT TOP(value, 0) FROM memory WHERE {M}",
          f"SELECT TOP(value, host) FROM memory WHERE {M}",
          f"SELECT TOP(value, 'host', 2) FROM memory WHERE {M}",
          f"SELECT TOP(host, 2) FROM memory WHERE {M}",
          ]:
    add(s)

add("# SHOW MEASUREMENTS WHERE: no time, measurement-level != and !~")
for s in ["SHOW MEASUREMENTS WHERE time > 0", "SHOW MEASUREMENTS WHERE time > 0 AND host = 'a'",
          "SHOW MEASUREMENTS WHERE host = 'a' OR time > now() - 1h", "SHOW MEASUREMENTS WHERE (time < now())",
          "SHOW MEASUREMENTS WHERE region !~ /ea.*/", "SHOW MEASUREMENTS WHERE region =~ /ea.*/",
          "SHOW MEASUREMENTS WHERE host != 'a'", "SHOW MEASUREMENTS WHERE host != 'h1'", "SHOW MEASUREMENTS WHERE host !~ /^h/",
          "SHOW MEASUREMENTS WHERE region != 'east' AND host = 'b'", "SHOW MEASUREMENTS WHERE host = 'a' OR service = 'redis'",
          "SHOW MEASUREMENTS WITH MEASUREMENT =~ /e/ WHERE host != 'a'", "SHOW MEASUREMENTS WHERE k !~ /x/",
          "SHOW MEASUREMENTS WHERE k != 'x' OR region != 'west'", "SHOW MEASUREMENTS WHERE nosuch != 'x'",
          "SHOW MEASUREMENTS WHERE host != 'a' LIMIT 1", "db=- SHOW MEASUREMENTS ON collectd WHERE instance !~ /^eth/"]:
    add(s)
add("# WHERE comparing two identifiers")
for s in [f"SELECT value FROM cpu WHERE host = host AND time < 1700000020000ms",
          f"SELECT value FROM cpu WHERE \"host\" = \"host\" AND time < 1700000020000ms",
          f"SELECT value FROM cpu WHERE host = region AND time < 1700000020000ms",
          f"SELECT value FROM cpu WHERE host != region AND time < 1700000020000ms",
          f"SELECT value FROM cpu WHERE host = value AND time < 1700000020000ms",
          f"SELECT rx FROM network WHERE rx = rx AND time < 1700000020000ms",
          f"SELECT rx, tx FROM network WHERE rx < tx AND time < 1700000030000ms",
          f"SELECT rx, tx FROM network WHERE rx > tx AND host = 'a' AND {N}",
          f"SELECT count(value) FROM cpu WHERE host = host",
          f"SELECT mean(rx) FROM network WHERE host != instance AND {N} GROUP BY host",
          f"SELECT count(rx) FROM network WHERE rx >= tx AND {N} GROUP BY time(1m), instance",
          f"SELECT value FROM cpu WHERE region = region AND host = 'c' AND time < 1700000030000ms",
          f"SELECT * FROM typed WHERE k = k AND {T}",
          f"SELECT max(value), host FROM cpu WHERE host = host AND {W}",
          f"SELECT value FROM cpu WHERE (host = host OR value > 1000) AND time < 1700000020000ms",
          f"SELECT value FROM cpu WHERE host = host AND host != host AND time < 1700000020000ms",
          ]:
    add(s)
add("# SHOW ... CARDINALITY")
for s in ["SHOW SERIES CARDINALITY", "SHOW SERIES EXACT CARDINALITY", "SHOW SERIES CARDINALITY FROM cpu",
          "SHOW SERIES EXACT CARDINALITY FROM cpu WHERE host = 'a'", "db=- SHOW SERIES CARDINALITY ON collectd",
          "SHOW SERIES EXACT CARDINALITY FROM cpu GROUP BY region", "SHOW SERIES EXACT CARDINALITY GROUP BY host",
          "SHOW SERIES EXACT CARDINALITY WHERE service =~ /r/", "SHOW SERIES EXACT CARDINALITY FROM nosuch",
          "SHOW SERIES EXACT CARDINALITY FROM /e/ WHERE host != 'a'",
          "SHOW SERIES EXACT CARDINALITY LIMIT 1", "SHOW SERIES EXACT CARDINALITY LIMIT 1 OFFSET 1",
          "SHOW SERIES CARDINALITY WHERE time > 0", "SHOW SERIES EXACT CARDINALITY WHERE time > 0",
          "SHOW SERIES EXACT CARDINALITY SLIMIT 2", "SHOW SERIES CARDINALITY ON nope", "SHOW SERIES EXACT CARDINALITY ON nope",
          "db=- SHOW SERIES CARDINALITY", "db=- SHOW SERIES EXACT CARDINALITY", "show series exact cardinality from \"memory\"",
          "SHOW MEASUREMENT CARDINALITY", "SHOW MEASUREMENT EXACT CARDINALITY", "SHOW MEASUREMENT CARDINALITY FROM /e/",
          "SHOW MEASUREMENT EXACT CARDINALITY FROM /e/", "SHOW MEASUREMENT CARDINALITY WHERE host = 'a'",
          "SHOW MEASUREMENT EXACT CARDINALITY WHERE host = 'a'", "SHOW MEASUREMENT EXACT CARDINALITY GROUP BY host",
          "SHOW MEASUREMENT EXACT CARDINALITY WHERE time > 0", "SHOW MEASUREMENT CARDINALITY ON nope",
          "SHOW MEASUREMENT EXACT CARDINALITY ON nope", "db=- SHOW MEASUREMENT CARDINALITY",
          "SHOW MEASUREMENT EXACT CARDINALITY WHERE host = 'zzz'",
          "SHOW TAG KEY CARDINALITY", "SHOW TAG KEY EXACT CARDINALITY", "SHOW TAG KEY EXACT CARDINALITY FROM cpu",
          "SHOW TAG KEY CARDINALITY WHERE host = 'a'", "SHOW TAG KEY EXACT CARDINALITY WHERE time > 0",
          "SHOW TAG KEY CARDINALITY GROUP BY host", "SHOW TAG KEY EXACT CARDINALITY LIMIT 1",
          "SHOW TAG VALUES CARDINALITY WITH KEY = host", "SHOW TAG VALUES EXACT CARDINALITY WITH KEY = host",
          "SHOW TAG VALUES EXACT CARDINALITY FROM cpu WITH KEY =~ /./",
          "SHOW TAG VALUES EXACT CARDINALITY WITH KEY = host WHERE region = 'east'",
          "SHOW TAG VALUES CARDINALITY FROM memory WITH KEY IN (host, service)",
          "SHOW TAG VALUES CARDINALITY WITH KEY != host", "SHOW TAG VALUES CARDINALITY WITH KEY !~ /o/",
          "SHOW TAG VALUES EXACT CARDINALITY WITH KEY = host GROUP BY region",
          "SHOW TAG VALUES EXACT CARDINALITY WITH KEY = host WHERE time > 0",
          "SHOW TAG VALUES CARDINALITY", "SHOW TAG VALUES EXACT CARDINALITY FROM cpu",
          "SHOW FIELD KEY CARDINALITY", "SHOW FIELD KEY EXACT CARDINALITY", "SHOW FIELD KEY EXACT CARDINALITY FROM network",
          "SHOW FIELD KEY CARDINALITY WHERE host = 'a'", "SHOW FIELD KEY EXACT CARDINALITY GROUP BY host",
          "SHOW FIELD KEY EXACT CARDINALITY WHERE time > 0", "SHOW FIELD KEY CARDINALITY ON nope",
          "SHOW MEASUREMENT EXACT x", "SHOW SERIES CARDINALITY x", "SHOW TAG KEY x"]:
    add(s)

add("# subqueries: outer aggregates over transformations, arithmetic and tags of inner groups")
for s in [f"SELECT sum(bps) FROM (SELECT non_negative_derivative(mean(rx), 1s) * 8 AS bps FROM network WHERE {N} GROUP BY time(30s), host, instance) WHERE {N} GROUP BY time(30s) fill(null)",
          f"SELECT sum(bps) FROM (SELECT non_negative_derivative(mean(rx), 1s) * 8 AS bps FROM network WHERE {N} GROUP BY time(30s), host, instance) WHERE {N} GROUP BY time(30s), host fill(null)",
          f"SELECT sum(bps) FROM (SELECT non_negative_derivative(mean(rx), 1s) * 8 AS bps FROM network WHERE {N} GROUP BY time(30s), host, instance) WHERE {N} GROUP BY time(30s) fill(0)",
          f"SELECT sum(bps) FROM (SELECT non_negative_derivative(mean(rx), 1s) * 8 AS bps FROM network WHERE {N} GROUP BY time(30s), host, instance) WHERE {N} GROUP BY time(30s) fill(none)",
          f"SELECT mean(d) FROM (SELECT derivative(max(tx)) AS d FROM network WHERE {N} GROUP BY time(20s), host, instance) WHERE {N} GROUP BY time(1m)",
          f"SELECT mean(usage) FROM (SELECT 100 - value AS usage FROM cpu WHERE {W})",
          f"SELECT mean(usage) FROM (SELECT 100 - value AS usage FROM cpu WHERE {W}) GROUP BY host",
          f"SELECT max(usage), min(usage) FROM (SELECT value * 2 AS usage FROM cpu WHERE {W}) WHERE {W} GROUP BY time(1m)",
          f"SELECT host, region FROM (SELECT value FROM cpu WHERE {W}) LIMIT 3",
          f"SELECT * FROM (SELECT * FROM cpu WHERE {W}) LIMIT 4",
          f"SELECT * FROM (SELECT value FROM cpu WHERE {W}) WHERE host = 'b' LIMIT 2",
          f"SELECT count(value) FROM (SELECT value FROM cpu WHERE {W}) GROUP BY region",
          f"SELECT * FROM (SELECT value FROM cpu WHERE {W}) LIMIT 2",
          f"SELECT value FROM (SELECT value FROM cpu WHERE {W}) WHERE host = 'b' LIMIT 2",
          f"SELECT count(value) FROM (SELECT value, host FROM cpu WHERE {W}) WHERE host = 'b'",
          f"SELECT * FROM (SELECT value FROM cpu WHERE {W}) GROUP BY host LIMIT 1",
          f"SELECT * FROM (SELECT value FROM cpu WHERE {W} GROUP BY host) LIMIT 2",
          f"SELECT count(value) FROM (SELECT value FROM cpu WHERE {W} GROUP BY host) WHERE host = 'b'",
          f"SELECT mean(value) FROM (SELECT value FROM cpu WHERE {W}) GROUP BY *",
          f"SELECT sum(t) FROM (SELECT rx + tx AS t FROM network WHERE {N}) GROUP BY instance",
          f"SELECT host FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY host)",
          f"SELECT mean, host FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY host)",
          f"SELECT mean, host, region FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY host, region)",
          f"SELECT * FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY host)",
          f"SELECT max(mean), host FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY host)",
          f"SELECT max(usage) FROM (SELECT max(value), value - 10 AS usage FROM cpu WHERE {W} GROUP BY host)",
          f"SELECT count(max) FROM (SELECT max(rx), tx FROM network WHERE {N} GROUP BY time(30s), host)",
          f"SELECT max, tx FROM (SELECT max(rx), tx FROM network WHERE {N} GROUP BY host)",
          f"SELECT * FROM (SELECT top(value, 2) FROM memory WHERE {M} GROUP BY time(1m), host)",
          f"SELECT count(top) FROM (SELECT top(value, 3) FROM memory WHERE {M} GROUP BY host)",
          f"SELECT sum(sample) FROM (SELECT sample(value, 40) FROM memory WHERE {M})",
          f"SELECT mean FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY time(1m), host)",
          f"SELECT * FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m), host) LIMIT 6",
          f"SELECT last FROM (SELECT last(value) FROM cpu WHERE {W} GROUP BY time(1m, 30s), region)",
          ]:
    add(s)

add("# functions over * and /regex/ fields of every type")
for s in [f"SELECT sample(*, 10) FROM typed WHERE k = 'x' AND {T}", f"SELECT max(*) FROM typed WHERE {T}",
          f"SELECT min(*) FROM typed WHERE {T} GROUP BY k", f"SELECT percentile(*, 50) FROM typed WHERE {T}",
          f"SELECT spread(*) FROM typed WHERE {T}", f"SELECT sum(*) FROM typed WHERE {T}", f"SELECT median(*) FROM typed WHERE {T}",
          f"SELECT first(*) FROM typed WHERE {T}", f"SELECT last(*) FROM typed WHERE {T} GROUP BY k", f"SELECT count(*) FROM typed WHERE {T}",
          f"SELECT mode(*) FROM typed WHERE {T}", f"SELECT distinct(*) FROM typed WHERE {T}", f"SELECT top(*, 2) FROM typed WHERE {T}",
          f"SELECT stddev(*) FROM typed WHERE {T}", f"SELECT derivative(*) FROM typed WHERE k = 'x' AND {T}",
          f"SELECT max(/[if]/) FROM typed WHERE {T}", f"SELECT sample(/[sb]/, 10) FROM typed WHERE k = 'y' AND {T}",
          f"SELECT count(/x/) FROM network WHERE {N} GROUP BY host", f"SELECT mean(*) FROM typed WHERE {T} GROUP BY time(1m)",
          f"SELECT first(*) FROM network WHERE {N} GROUP BY time(1m), instance",
          ]:
    add(s)

add("# several databases in FROM")
O = "time >= 1700000000000ms AND time < 1700000030000ms"
for s in [f"SELECT value FROM collectd.autogen.cpu, other.autogen.cpu WHERE {O}",
          f"SELECT value FROM cpu, other.autogen.cpu WHERE {O}",
          f"SELECT value FROM cpu, other..cpu WHERE {O} GROUP BY host",
          f"SELECT count(value) FROM collectd.autogen.cpu, other.autogen.cpu WHERE {O} GROUP BY host",
          f"SELECT sum(value) FROM collectd.autogen.cpu, other.autogen.cpu WHERE {O} GROUP BY time(10s)",
          f"SELECT * FROM other..cpu, mem WHERE {O}",
          f"SELECT * FROM other..cpu, other..mem WHERE {O}",
          f"SELECT value FROM other.autogen.cpu, other.autogen.mem WHERE {O}",
          f"SELECT max(value), host FROM collectd.autogen.cpu, other.autogen.cpu WHERE {O}",
          f"SELECT mean(value) FROM other.autogen./c/, network WHERE {O}",
          f"SELECT value FROM other..cpu, nope..cpu WHERE {O}",
          f"db=- SELECT value FROM other..cpu, cpu WHERE {O}",
          f"db=other SELECT value FROM cpu, collectd..cpu WHERE {O} AND host = 'a'",
          f"SELECT count(value) FROM /cpu/, other../cpu/ WHERE {O}",
          ]:
    add(s)

add("# points written in the future")
for s in ["SHOW MEASUREMENTS", "SHOW SERIES", "SHOW TAG VALUES WITH KEY = host", "SHOW TAG KEYS", "SHOW FIELD KEYS",
          "SHOW SERIES EXACT CARDINALITY", "SHOW MEASUREMENT EXACT CARDINALITY", "SHOW MEASUREMENTS WHERE host = 'x'",
          "SHOW TAG VALUES WITH KEY = host WHERE host = 'x'", "SHOW SERIES FROM later", "SHOW TAG VALUES FROM later WITH KEY = host",
          "SELECT * FROM fut", "SELECT count(value) FROM fut", "SELECT * FROM later"]:
    add("db=zfuture " + s)

add("# tz(): buckets in a zone's wall-clock time across daylight-saving changes, RFC 3339 times with the offset")
LA, BER, KOL, LH = "tz('America/Los_Angeles')", "tz('Europe/Berlin')", "tz('Asia/Kolkata')", "tz('Australia/Lord_Howe')"
SPR = "time >= '2023-03-10T00:00:00Z' AND time < '2023-03-16T00:00:00Z'"
FALL = "time >= '2023-11-03T00:00:00Z' AND time < '2023-11-08T00:00:00Z'"
EU = "time >= '2023-03-25T00:00:00Z' AND time < '2023-03-28T00:00:00Z'"
EUF = "time >= '2023-10-28T00:00:00Z' AND time < '2023-10-30T00:00:00Z'"
LHW = "time >= '2023-03-31T00:00:00Z' AND time < '2023-04-04T00:00:00Z'"
LHN = "time >= '2023-04-01T12:00:00Z' AND time < '2023-04-01T19:00:00Z'"
NEAR = "time >= '2023-03-12T06:00:00Z' AND time < '2023-03-12T14:00:00Z'"
LOCAL = "time >= '2023-03-10 00:00:00' AND time < '2023-03-15 00:00:00'"
FRAC = "time >= '2023-01-01T00:00:00Z' AND time < '2023-08-01T00:00:00Z'"
for s in [f"SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(1d) {LA}",
          f"SELECT count(value), mean(value), max(value) FROM dst WHERE {SPR} GROUP BY time(1d), host {LA}",
          f"epoch=ms SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(1d) {LA}",
          f"epoch=s SELECT sum(value) FROM dst WHERE {FALL} GROUP BY time(1d) {LA}",
          f"SELECT count(value) FROM dst WHERE {FALL} GROUP BY time(1d) {LA}",
          f"SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(1d, 6h) {LA}",
          f"SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(1d, 6h) ORDER BY time DESC {LA}",
          f"SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(1d, 6h) fill(none) {LA}",
          f"SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(1d, -6h) {LA}",
          f"SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(1d, 2h) {LA}",
          f"SELECT count(value) FROM dst WHERE {FALL} GROUP BY time(1d, 1h) {LA}",
          f"SELECT count(value) FROM dst WHERE {FALL} GROUP BY time(1d, 90m) ORDER BY time DESC {LA}",
          f"SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(12h) {LA}",
          f"SELECT count(value) FROM dst WHERE {FALL} GROUP BY time(12h), host {LA}",
          f"SELECT count(value) FROM dst WHERE {NEAR} GROUP BY time(1h) {LA}",
          f"SELECT count(value) FROM dst WHERE {NEAR} GROUP BY time(1h) ORDER BY time DESC {LA}",
          f"SELECT count(value) FROM dst WHERE {NEAR} GROUP BY time(90m) {LA}",
          f"SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(2d) {LA}",
          f"SELECT count(value) FROM dst WHERE time >= '2023-02-20T00:00:00Z' AND time < '2023-03-30T00:00:00Z' GROUP BY time(7d) {LA}",
          f"SELECT count(value) FROM dst WHERE {EU} GROUP BY time(1d) {BER}",
          f"SELECT count(value) FROM dst WHERE {EU} GROUP BY time(6h) {BER}",
          f"SELECT first(value), last(value) FROM dst WHERE {EUF} GROUP BY time(1d) {BER}",
          f"SELECT count(value) FROM dst WHERE {EUF} GROUP BY time(1d, 3h) {BER}",
          f"SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(1d) {KOL}",
          f"SELECT count(value) FROM dst WHERE {NEAR} GROUP BY time(1h) {KOL}",
          f"epoch=ms SELECT mean(value) FROM dst WHERE {NEAR} GROUP BY time(2h) {KOL}",
          f"SELECT count(value) FROM dst WHERE {LHW} GROUP BY time(1d) {LH}",
          f"SELECT count(value) FROM dst WHERE {LHN} GROUP BY time(1h) {LH}",
          f"SELECT count(value) FROM dst WHERE {LHN} GROUP BY time(1h) ORDER BY time DESC {LH}",
          f"SELECT count(value) FROM dst WHERE {LHN} GROUP BY time(30m) {LH}",
          f"SELECT count(value) FROM dst WHERE {LHN} GROUP BY time(45m) {LH}",
          f"SELECT count(value) FROM dst WHERE {LHW} GROUP BY time(1d, 90m) {LH}",
          ]:
    add("db=ztz " + s)
add("# tz(): fill modes, transformations and selectors over zone buckets")
GAP = "(value < 32 OR value >= 79)"
for s in [f"SELECT mean(value) FROM dst WHERE {SPR} AND host = 'a' AND {GAP} GROUP BY time(1d) fill(linear) {LA}",
          f"SELECT mean(value) FROM dst WHERE {SPR} AND host = 'a' AND {GAP} GROUP BY time(1d) fill(linear) ORDER BY time DESC {LA}",
          f"SELECT max(value) FROM dst WHERE {SPR} AND host = 'a' AND {GAP} GROUP BY time(1d) fill(previous) {LA}",
          f"SELECT max(value) FROM dst WHERE {SPR} AND host = 'a' AND {GAP} GROUP BY time(1d) fill(previous) ORDER BY time DESC {LA}",
          f"SELECT max(value) FROM dst WHERE {SPR} AND host = 'a' AND {GAP} GROUP BY time(1d) fill(-1) {LA}",
          f"SELECT max(value) FROM dst WHERE {SPR} AND host = 'a' AND {GAP} GROUP BY time(1d) fill(none) {LA}",
          f"SELECT max(value) FROM dst WHERE {SPR} AND host = 'a' AND {GAP} GROUP BY time(12h) fill(null) LIMIT 4 OFFSET 2 {LA}",
          f"SELECT max(value) FROM dst WHERE {SPR} AND host = 'a' AND {GAP} GROUP BY time(12h) fill(previous) ORDER BY time DESC LIMIT 5 {LA}",
          f"SELECT mean(n) FROM ticks WHERE {SPR} AND (n < 300 OR n > 700) GROUP BY time(1d) fill(linear) {LA}",
          f"SELECT max(n) FROM ticks WHERE {FALL} AND (n < 300 OR n > 700) GROUP BY time(1d) fill(linear) {LA}",
          f"SELECT max(n) FROM ticks WHERE {FALL} AND (n < 300 OR n > 700) GROUP BY time(1d) fill(linear) ORDER BY time DESC {LA}",
          f"SELECT sum(n) FROM ticks WHERE {SPR} GROUP BY time(1d) fill(0) {LA}",
          f"SELECT derivative(mean(value), 1h) FROM dst WHERE {SPR} GROUP BY time(1d) {LA}",
          f"SELECT derivative(mean(value)) FROM dst WHERE {FALL} GROUP BY time(1d), host {LA}",
          f"SELECT non_negative_derivative(max(value)) FROM dst WHERE {SPR} AND host = 'a' GROUP BY time(1d) {LA}",
          f"SELECT difference(count(value)) FROM dst WHERE {FALL} GROUP BY time(1d) {LA}",
          f"SELECT cumulative_sum(count(value)) FROM dst WHERE {SPR} GROUP BY time(1d) ORDER BY time DESC {LA}",
          f"SELECT moving_average(count(value), 2) FROM dst WHERE {SPR} GROUP BY time(1d) {LA}",
          f"SELECT elapsed(count(value), 1h) FROM dst WHERE {SPR} GROUP BY time(1d) {LA}",
          f"SELECT integral(value, 1h) FROM dst WHERE {SPR} AND host = 'a' GROUP BY time(1d) {LA}",
          f"SELECT spread(value), median(value), stddev(value) FROM dst WHERE {FALL} GROUP BY time(1d) {LA}",
          f"SELECT percentile(value, 90), mode(value) FROM dst WHERE {EU} GROUP BY time(1d) {BER}",
          f"SELECT max(value), host FROM dst WHERE {SPR} GROUP BY time(1d) {LA}",
          f"SELECT min(value) FROM dst WHERE {SPR} AND host = 'b' GROUP BY time(1d) {LA}",
          f"SELECT top(value, 2) FROM dst WHERE {SPR} GROUP BY time(1d) {LA}",
          f"SELECT bottom(value, host, 1) FROM dst WHERE {FALL} GROUP BY time(2d) {LA}",
          f"SELECT first(value) FROM dst WHERE {SPR} GROUP BY time(1d) fill(previous) {LA}",
          f"SELECT count(value) FROM dst WHERE {SPR} {LA}",
          f"SELECT max(value) FROM dst WHERE {SPR} {LA}",
          f"SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(1d) SLIMIT 1 {LA}",
          f"SELECT count(value) FROM dst WHERE {SPR} GROUP BY time(1d), host ORDER BY time DESC SLIMIT 1 SOFFSET 1 {LA}",
          f"SELECT count(value) * 2 + 1 FROM dst WHERE {SPR} GROUP BY time(1d) {LA}",
          ]:
    add("db=ztz " + s)
add("# tz(): raw points, time strings in WHERE, zones that do not exist, subqueries")
for s in [f"SELECT value FROM dst WHERE time >= '2023-03-12T08:00:00Z' AND time < '2023-03-12T12:00:00Z' {LA}",
          f"SELECT value FROM dst WHERE time >= '2023-03-12T08:00:00Z' AND time < '2023-03-12T12:00:00Z' ORDER BY time DESC LIMIT 5 {LA}",
          f"epoch=ms SELECT value FROM dst WHERE time >= '2023-03-12T08:00:00Z' AND time < '2023-03-12T12:00:00Z' {LA}",
          f"SELECT value FROM dst WHERE time >= '2023-11-05T07:00:00Z' AND time < '2023-11-05T11:00:00Z' AND host = 'a' {LA}",
          f"SELECT value FROM dst WHERE time >= '2023-03-26T00:00:00Z' AND time < '2023-03-26T03:00:00Z' {BER}",
          f"SELECT value FROM dst WHERE time >= '2023-04-01T14:00:00Z' AND time < '2023-04-01T16:00:00Z' {LH}",
          f"SELECT * FROM frac WHERE {FRAC} {LA}",
          f"SELECT * FROM frac WHERE {FRAC} {KOL}",
          f"SELECT * FROM frac WHERE {FRAC} {BER}",
          f"SELECT * FROM frac WHERE {FRAC} tz('Europe/London')",
          f"SELECT * FROM frac WHERE {FRAC} tz('Pacific/Chatham')",
          f"SELECT * FROM frac WHERE {FRAC} tz('')",
          f"SELECT * FROM frac WHERE {FRAC} tz('UTC')",
          f"SELECT * FROM frac WHERE {FRAC} tz('Etc/GMT+5')",
          f"epoch=ns SELECT * FROM frac WHERE {FRAC} {KOL}",
          f"SELECT * FROM frac WHERE {FRAC} tz('Nowhere/City')",
          f"SELECT * FROM frac WHERE {FRAC} tz('america/los_angeles')",
          f"SELECT * FROM frac WHERE {FRAC} tz('America')",
          f"SELECT * FROM frac WHERE {FRAC} tz('../zoneinfo/UTC')",
          f"SELECT * FROM frac WHERE {FRAC}; SELECT * FROM frac tz('Nowhere/City')",
          f"SELECT * FROM frac tz('Nowhere/City'); SELECT * FROM",
          f"SELECT * FROM (SELECT * FROM frac tz('Nowhere/City'))",
          f"SELECT value FROM dst WHERE time >= '2023-03-12 00:00:00' AND time < '2023-03-12 04:00:00' AND host = 'b' {LA}",
          f"SELECT value FROM dst WHERE time >= '2023-03-12' AND time < '2023-03-12 01:00:00' AND host = 'a' {LA}",
          f"SELECT value FROM dst WHERE time >= '2023-03-12 02:30:00' AND time <= '2023-03-12 03:30:00' AND host = 'a' {LA}",
          f"SELECT value FROM dst WHERE time >= '2023-11-05 01:30:00' AND time <= '2023-11-05 02:00:00' AND host = 'a' {LA}",
          f"SELECT count(value) FROM dst WHERE time >= '2023-03-11' AND time < '2023-03-14' GROUP BY time(1d) {LA}",
          f"SELECT value FROM dst WHERE time >= '2023-03-12 00:00:00' AND time < '2023-03-12 01:00:00' AND host = 'a' {KOL}",
          f"SELECT max(c) FROM (SELECT count(value) AS c FROM dst WHERE {SPR} GROUP BY time(1d), host {LA})",
          f"SELECT c FROM (SELECT count(value) AS c FROM dst WHERE {SPR} GROUP BY time(1d) {LA})",
          f"SELECT c FROM (SELECT count(value) AS c FROM dst WHERE {SPR} GROUP BY time(1d)) {LA}",
          # (outer ranges starting inside an inner bucket: see the section on inner buckets
          # before the outer range)
          f"SELECT sum(c) FROM (SELECT count(value) AS c FROM dst WHERE {LOCAL} GROUP BY time(12h) {LA}) WHERE {LOCAL} GROUP BY time(1d) {LA}",
          f"SELECT mean(value) FROM (SELECT value FROM dst WHERE {SPR} AND host = 'b') WHERE {SPR} GROUP BY time(1d) {LA}",
          f"SELECT value FROM (SELECT value FROM dst WHERE {NEAR} AND host = 'b' {LA})",
          ]:
    add("db=ztz " + s)

add("# subqueries: inner buckets that start before the outer range (InfluxDB keeps them at their own time)")
E = "time >= 1700000040000ms AND time < 1700000180000ms"   # starts inside cpu's 1m and 7h buckets
E2 = "time >= 1700000090000ms AND time < 1700000180000ms"
E3 = "time >= 1700000030000ms AND time < 1700000120000ms"
for s in [f"SELECT m FROM (SELECT max(value) AS m FROM cpu WHERE {W} GROUP BY time(7h)) WHERE {E}",
          f"SELECT sum(m) FROM (SELECT max(value) AS m FROM cpu GROUP BY time(7h), host) WHERE {E} GROUP BY time(1h)",
          f"SELECT sum(m) FROM (SELECT max(value) AS m FROM cpu GROUP BY time(7h), host) WHERE {E} GROUP BY time(1h), host",
          f"SELECT sum(m) FROM (SELECT max(value) AS m FROM cpu GROUP BY time(7h), host) WHERE {E} GROUP BY host",
          f"SELECT max FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m)) WHERE time >= 1700000090000ms",
          f"SELECT sum(max) FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m)) WHERE {E2} GROUP BY time(30s)",
          f"SELECT sum(max) FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m)) WHERE {E2} GROUP BY time(1m)",
          f"SELECT sum(max) FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m)) WHERE {E2}",
          f"SELECT sum(max) FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m)) WHERE {E2} GROUP BY time(30s) fill(none)",
          f"SELECT sum(max) FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m)) WHERE {E2} GROUP BY time(30s) fill(0) ORDER BY time DESC",
          f"SELECT sum(max) FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m)) WHERE {E2} GROUP BY time(30s) fill(previous)",
          f"SELECT sum(max) FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m)) WHERE {E2} GROUP BY time(30s) fill(linear)",
          f"SELECT mean(m) FROM (SELECT max(value) AS m FROM cpu WHERE {W} GROUP BY time(1m), host) WHERE {E2} GROUP BY time(30s) ORDER BY time DESC",
          f"SELECT max(max), host FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m), host) WHERE {E2} GROUP BY time(30s)",
          f"SELECT max(m), host FROM (SELECT max(value) AS m FROM cpu WHERE {W} GROUP BY time(1m), host) WHERE {E2} GROUP BY time(30s) fill(previous)",
          f"SELECT max(m), host FROM (SELECT max(value) AS m FROM cpu WHERE {W} GROUP BY time(1m), host) WHERE {E2} GROUP BY time(30s) fill(0)",
          f"SELECT max(m), host FROM (SELECT max(value) AS m FROM cpu WHERE {W} GROUP BY time(1m), host) WHERE {E2} GROUP BY time(30s) fill(linear)",
          f"SELECT max(max), host FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m), host) WHERE {E2}",
          f"SELECT derivative(max(max)) FROM (SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m), host) WHERE {E2} GROUP BY time(30s)",
          f"SELECT sum(m) FROM (SELECT max(value) AS m FROM cpu WHERE time >= 1700000000000ms GROUP BY time(7h)) WHERE {E2} GROUP BY time(30s)",
          f"SELECT count(value) FROM (SELECT value FROM cpu WHERE time >= 1700000000000ms) WHERE {E2} GROUP BY time(30s)",
          f"SELECT mean(m) FROM (SELECT max(value) AS m FROM cpu WHERE time >= 1700000000000ms GROUP BY time(20s) fill(0)) WHERE {E2} GROUP BY time(1m)",
          f"SELECT sum(m) FROM (SELECT max(value) AS m FROM cpu WHERE host = 'a' GROUP BY time(1m), host), (SELECT max(rx) AS m FROM network GROUP BY time(1m)) WHERE {E3}",
          f"SELECT sum(m) FROM (SELECT max(value) AS m FROM cpu WHERE time >= 1700000060000ms GROUP BY time(1m), host), (SELECT max(rx) AS m FROM network GROUP BY time(1m)) WHERE {E3}",
          f"SELECT count(m) FROM (SELECT max(rx) AS m FROM network GROUP BY time(1m), host) WHERE {E3} GROUP BY host",
          f"SELECT max(m), min(m) FROM (SELECT max(rx) AS m FROM network WHERE {E3} GROUP BY time(1m), host) WHERE {E3} GROUP BY time(20s)",
          f"SELECT m FROM (SELECT last(rx) AS m FROM network GROUP BY time(1m), host) WHERE {E3}",
          f"SELECT derivative(m) FROM (SELECT mean(rx) AS m FROM network GROUP BY time(1m), host) WHERE {E3}",
          f"SELECT spread(m) FROM (SELECT mean(rx) AS m FROM network GROUP BY time(30s)) WHERE {E3} GROUP BY time(1m) fill(0)",
          f"SELECT top(m, 2) FROM (SELECT mean(rx) AS m FROM network GROUP BY time(1m), host) WHERE {E3} GROUP BY time(1m)",
          f"SELECT top(m, 2) FROM (SELECT mean(rx) AS m FROM network GROUP BY time(1m), host) WHERE {E3}",
          ]:
    add(s)
for s in [f"SELECT sum(c) FROM (SELECT count(value) AS c FROM dst WHERE {LOCAL} GROUP BY time(12h) {LA}) WHERE time >= '2023-03-10 06:00:00' AND time < '2023-03-15 00:00:00' GROUP BY time(1d) {LA}",
          f"SELECT c FROM (SELECT count(value) AS c FROM dst GROUP BY time(1d) {BER}) WHERE time >= '2023-03-25T12:00:00Z' AND time < '2023-03-28T00:00:00Z'",
          ]:
    add("db=ztz " + s)

add("# a selector beside a transformation: each call is its own iterator, cut by LIMIT/OFFSET on its own, joined on time")
for s in [f"SELECT max(value), derivative(mean(value)) FROM cpu WHERE {W} GROUP BY time(1m)",
          f"SELECT max(value), derivative(mean(value)) FROM cpu WHERE {W} GROUP BY time(1m), host",
          f"SELECT max(value), derivative(mean(value)) FROM cpu WHERE {W} GROUP BY time(1m) fill(0)",
          f"SELECT first(value), difference(last(value)) FROM cpu WHERE {W} GROUP BY time(1m)",
          f"SELECT first(value), difference(last(value)) FROM cpu WHERE {W} GROUP BY time(1m), host",
          f"SELECT first(value), difference(last(value)) FROM cpu WHERE {W} GROUP BY time(1m) fill(none)",
          f"SELECT first(value), difference(last(value)) FROM cpu WHERE {W}",
          f"SELECT max(value), derivative(value) FROM cpu WHERE {W} GROUP BY time(1m)",
          f"SELECT max(value), derivative(value) FROM cpu WHERE {W} GROUP BY host",
          f"SELECT first(value), difference(value) FROM cpu WHERE {W} AND host = 'a'",
          f"SELECT last(value), derivative(value, 1s) FROM cpu WHERE {W} GROUP BY host",
          f"SELECT min(value), non_negative_derivative(max(value), 1s) FROM cpu WHERE {W} GROUP BY time(1m), host",
          f"SELECT last(value), moving_average(mean(value), 2) FROM cpu WHERE {W} GROUP BY time(30s), host",
          f"SELECT max(value), cumulative_sum(max(value)) FROM cpu WHERE {W} GROUP BY time(30s), host",
          f"SELECT first(value), elapsed(last(value), 1s) FROM cpu WHERE {W} GROUP BY time(1m), host",
          f"SELECT max(value), min(value), derivative(mean(value)) FROM cpu WHERE {W} GROUP BY time(1m), host",
          f"SELECT max(value), derivative(mean(value)) FROM cpu WHERE {W} GROUP BY time(1m), host ORDER BY time DESC",
          f"SELECT top(value, 2), derivative(mean(value)) FROM cpu WHERE {W} GROUP BY time(1m)",
          f"SELECT max(value), derivative(mean(value)), host FROM cpu WHERE {W} GROUP BY time(1m)",
          f"SELECT max(value), derivative(mean(value)) FROM cpu WHERE {W} GROUP BY time(1m), host LIMIT 2",
          f"SELECT max(value), derivative(mean(value)) FROM cpu WHERE {W} GROUP BY time(1m), host LIMIT 2 OFFSET 1",
          f"SELECT max(value), derivative(mean(value)) FROM cpu WHERE {W} GROUP BY time(1m), host ORDER BY time DESC LIMIT 2",
          f"SELECT max(value), derivative(mean(value)) FROM cpu WHERE {W} GROUP BY time(1m) ORDER BY time DESC LIMIT 2 OFFSET 1",
          f"SELECT max(value), difference(value) FROM cpu WHERE {W} AND host = 'a' LIMIT 3",
          f"SELECT max(value), difference(value) FROM cpu WHERE {W} AND host = 'a' LIMIT 3 OFFSET 2",
          f"SELECT first(value), difference(last(value)) FROM cpu WHERE {W} GROUP BY time(1m) LIMIT 1",
          f"SELECT max(rx), max(tx) FROM network WHERE {N} AND host = 'a' AND instance = 'lo' GROUP BY time(10s) fill(none) LIMIT 5",
          f"SELECT max(rx), max(tx) FROM network WHERE {N} AND host = 'a' AND instance = 'lo' GROUP BY time(10s) fill(none) LIMIT 3 OFFSET 2",
          f"SELECT max(rx) - max(tx) FROM network WHERE {N} AND host = 'a' AND instance = 'lo' GROUP BY time(10s) fill(none) LIMIT 5",
          f"SELECT count(rx), derivative(max(tx)) FROM network WHERE {N} GROUP BY time(30s), host LIMIT 2 SLIMIT 1",
          ]:
    add(s)
add("# first()/last() ties: points of several series at one time, in subqueries and beside fields")
for s in [f"SELECT first(value), last(value) FROM (SELECT value FROM cpu WHERE {W}) WHERE {W} GROUP BY time(1m)",
          f"SELECT first(value) FROM (SELECT value FROM cpu WHERE {W}) WHERE {W} GROUP BY time(30s)",
          f"SELECT last(value) FROM (SELECT value FROM cpu WHERE {W}) WHERE {W} GROUP BY time(30s)",
          f"SELECT first(m), last(m) FROM (SELECT max(value) AS m FROM cpu WHERE {W} GROUP BY time(1m), host) WHERE {W} GROUP BY time(1m)",
          f"SELECT first(m), host FROM (SELECT max(value) AS m FROM cpu WHERE {W} GROUP BY time(1m), host) WHERE {W} GROUP BY time(1m)",
          f"SELECT last(m), host FROM (SELECT max(value) AS m FROM cpu WHERE {W} GROUP BY time(1m), host) WHERE {W} GROUP BY time(1m)",
          f"SELECT first(rx), last(tx) FROM (SELECT rx, tx FROM network WHERE {N}) WHERE {N} GROUP BY time(30s)",
          f"SELECT first(value), last(value) FROM (SELECT value FROM memory WHERE {M}) WHERE {M} GROUP BY time(30s)",
          f"SELECT first(value), last(value), service FROM (SELECT value FROM memory WHERE {M}) WHERE {M} GROUP BY time(30s)",
          f"SELECT first(m), last(m) FROM (SELECT min(value) AS m FROM memory WHERE {M} GROUP BY time(30s), host) WHERE {M} GROUP BY time(30s)",
          f"SELECT first(m), last(m) FROM (SELECT last(value) AS m FROM memory WHERE {M} GROUP BY time(30s), host, service) WHERE {M} GROUP BY time(1m), service",
          f"SELECT first(s), last(s), first(b), last(b) FROM (SELECT s, b FROM typed WHERE {T}) WHERE {T} GROUP BY time(20s)",
          f"SELECT first(s), last(s), first(b), last(b) FROM typed WHERE {T} GROUP BY time(20s)",
          f"SELECT first(b), last(b) FROM typed WHERE {T} GROUP BY time(1m)",
          f"SELECT first(b), k FROM typed WHERE {T} GROUP BY time(20s)",
          f"SELECT last(b), k FROM typed WHERE {T} GROUP BY time(20s)",
          f"SELECT first(s), k FROM typed WHERE {T} GROUP BY time(20s)",
          f"SELECT last(s), k FROM typed WHERE {T} GROUP BY time(20s)",
          f"SELECT first(fb), last(fb) FROM (SELECT first(b) AS fb FROM typed WHERE {T} GROUP BY time(20s), k) WHERE {T} GROUP BY time(20s)",
          f"SELECT first(fb), last(fb) FROM (SELECT last(b) AS fb FROM typed WHERE {T} GROUP BY time(20s), k) WHERE {T} GROUP BY time(1m)",
          f"SELECT first(x), last(x) FROM (SELECT last(s) AS x FROM typed WHERE {T} GROUP BY time(20s), k) WHERE {T} GROUP BY time(1m)",
          f"SELECT first(x), last(x) FROM (SELECT max(i) AS x FROM typed WHERE {T} GROUP BY time(20s), k) WHERE {T} GROUP BY time(20s)",
          f"SELECT first(f), last(f) FROM (SELECT f FROM typed WHERE {T}) WHERE {T} GROUP BY time(20s)",
          ]:
    add(s)

add("# the fleet dashboard's total interface traffic over collectd-shaped counters: the inner statement reads the outer range without an extra interval")
F = 1700100000000


def fleet(start, end, iv, fill="null"):
    tf = f"time >= {F + start}ms and time <= {F + end}ms"
    return (f'SELECT sum("bps") FROM (SELECT non_negative_derivative(mean("value"), 1s) * 8 AS "bps" FROM "interface_rx" WHERE {tf} '
            f'GROUP BY time({iv}), "host", "instance") WHERE {tf} GROUP BY time({iv}) fill({fill})')


for args in [(95500, 1295500, "10s"), (95500, 1295500, "20s"), (95500, 1795500, "1m"), (-600000, 600000, "10s"),
             (-600000, 600000, "1m"), (295000, 895000, "10s"), (301000, 901000, "20s"), (1, 1200001, "10s"),
             (95500, 1295500, "10s", "none"), (95500, 1295500, "10s", "0"), (5000, 605000, "30s")]:
    add("epoch=ms db=ztz " + fleet(*args))
FT = f"time >= {F + 95500}ms and time <= {F + 1295500}ms"
for s in [f'SELECT non_negative_derivative(mean("value"), 1s) * 8 FROM "interface_rx" WHERE {FT} GROUP BY time(10s), "host", "instance" fill(null)',
          f'SELECT non_negative_derivative(mean("value"), 1s) * 8 AS "bps" FROM "interface_rx" WHERE {FT} AND host = \'c\' GROUP BY time(20s), "host", "instance"',
          f'SELECT max(d) FROM (SELECT derivative(mean("value")) AS d FROM "interface_rx" WHERE {FT} GROUP BY time(1m), "host") WHERE {FT} GROUP BY time(1m)',
          f'SELECT mean(d) FROM (SELECT difference(max("value")) AS d FROM "interface_rx" WHERE {FT} GROUP BY time(1m) fill(0)) WHERE {FT} GROUP BY time(1m)',
          f'SELECT d FROM (SELECT moving_average(mean("value"), 3) AS d FROM "interface_rx" WHERE {FT} AND host = \'a\' AND instance = \'lo\' GROUP BY time(1m))',
          ]:
    add("db=ztz " + s)

add("# time comparisons under OR: InfluxDB intersects every time comparison into the range and reads the rest without them")
for s in ["SELECT value FROM cpu WHERE time >= 1700000030000ms AND value > 50 OR value < 10 AND time < 1700000100000ms",
          "SELECT value FROM cpu WHERE host = 'a' OR time >= 1700000150000ms",
          "SELECT value FROM cpu WHERE (host = 'b' AND time < 1700000090000ms) OR (host = 'c' AND time >= 1700000060000ms)",
          "SELECT count(value) FROM cpu WHERE value < 30 OR time > 1700000100000ms GROUP BY host",
          "SELECT max(value) FROM cpu WHERE time < 1700000120000ms AND value >= 0 OR value < 0 AND time > 1700000040000ms GROUP BY time(30s), host",
          "SELECT mean(value) FROM cpu WHERE (time >= 1700000000000ms OR host = 'b') AND time < 1700000060000ms GROUP BY time(20s)",
          "SELECT value FROM cpu WHERE time = 1700000050000ms OR host = 'a'",
          "SELECT value FROM cpu WHERE time >= 1700000100000ms OR time < 1700000020000ms",
          ]:
    add(s)
add("# SOFFSET without SLIMIT: InfluxDB 1.6 keeps the tag sets soffset..<soffset+slimit, so none (influxdb#7578)")
for s in [f"SELECT value FROM cpu WHERE {W} GROUP BY host SOFFSET 1", f"SELECT last(value) FROM cpu WHERE {W} GROUP BY * SOFFSET 1",
          f"SELECT last(value) FROM cpu WHERE {W} GROUP BY host SLIMIT 5 SOFFSET 1", f"SELECT last(value) FROM cpu WHERE {W} GROUP BY host SOFFSET 3",
          f"SELECT mean(value) FROM cpu WHERE {W} GROUP BY time(1m), host SOFFSET 2", f"SELECT value FROM cpu WHERE {W} SOFFSET 1",
          f"SELECT max(value) FROM cpu WHERE {W} GROUP BY host SLIMIT 1 SOFFSET 2"]:
    add(s)

add("# one selector written twice keeps its points' times; moving_average's running sum; a raw query's fill")
for s in [f"SELECT max(value) * 2, max(value) FROM cpu WHERE {W} GROUP BY host", f"SELECT first(value) + first(value) FROM cpu WHERE {W}",
          f"SELECT max(value) AS a, max(value) AS b FROM cpu WHERE {W} GROUP BY time(1m)", f"SELECT max(value), min(value) FROM cpu WHERE {W}",
          f"SELECT last(value) * 2, last(value) FROM cpu WHERE {W} GROUP BY time(1m), host",
          f"SELECT moving_average(value, 3) FROM cpu WHERE host = 'a' AND {W}", f"SELECT moving_average(mean(value), 4) FROM cpu WHERE {W} GROUP BY time(20s)",
          f"SELECT moving_average(value, 2) FROM cpu WHERE {W} GROUP BY host",
          f"SELECT value FROM cpu WHERE {W} fill(none)", f"SELECT value FROM cpu WHERE {W} GROUP BY time(10s) fill(linear)",
          f"SELECT value FROM cpu WHERE {W} fill(previous)", f"SELECT value FROM cpu WHERE {W} GROUP BY time(10s) fill(0)",
          f"SELECT value * 2 FROM cpu WHERE {W} fill(linear)"]:
    add(s)

add("# ORDER BY time DESC sums newest first")
for s in [f"SELECT mean(value) FROM cpu WHERE host = 'a' AND {W} ORDER BY time DESC", f"SELECT sum(value) FROM cpu WHERE host = 'a' AND {W} ORDER BY time DESC",
          f"SELECT mean(value), sum(value) FROM cpu WHERE host = 'c' AND {W} GROUP BY time(1m) ORDER BY time DESC",
          f"SELECT stddev(value) FROM cpu WHERE host = 'a' AND {W} ORDER BY time DESC", f"SELECT mean(value) FROM cpu WHERE {W} GROUP BY host ORDER BY time DESC",
          f"SELECT mean(value) FROM cpu WHERE host = 'b' AND {W} GROUP BY time(30s) fill(none) ORDER BY time DESC"]:
    add(s)

add("# math functions (InfluxDB 1.6): the exactly rounded ones, row by row over fields, aggregates and selectors")
TA = "time >= 1700000000000ms AND time < 1700000120000ms"
for s in [f"SELECT abs(value), floor(value), ceil(value), round(value), sqrt(value) FROM cpu WHERE {A}",
          f"SELECT round(mean(value)), floor(max(value)) FROM cpu WHERE {W} GROUP BY time(1m)", f"SELECT abs(max(value)), host FROM cpu WHERE {W}",
          f"SELECT ceil(value) * 2 + 1 FROM cpu WHERE {A}", f"SELECT sqrt(-1 * value) FROM cpu WHERE {A}", f"SELECT pow(value, 2) FROM cpu WHERE {A}",
          f"SELECT abs(i), floor(i), round(i), abs(f), ceil(f) FROM typed WHERE {TA}", f"SELECT abs(s), round(b) FROM typed WHERE {TA}",
          f"SELECT round(count(value)) FROM cpu WHERE {W} GROUP BY time(1m), host", f"SELECT abs(last(value)) FROM cpu WHERE {W} GROUP BY host",
          f"SELECT abs(derivative(mean(value), 10s)) FROM cpu WHERE {W} GROUP BY time(30s)", f"SELECT round(value), host FROM cpu WHERE {W} GROUP BY region",
          "SELECT abs() FROM cpu", "SELECT abs(value, 2) FROM cpu", "SELECT pow(value) FROM cpu", "SELECT abs(1) FROM cpu",
          f"SELECT derivative(abs(value)) FROM cpu WHERE {W}", f"SELECT derivative(abs(value)) FROM cpu WHERE {W} GROUP BY time(1m)",
          f"SELECT abs(value) FROM cpu WHERE {W} GROUP BY time(1m)", f"SELECT abs(host) FROM cpu WHERE {W}"]:
    add(s)

add("# SLIMIT and SOFFSET count each measurement's series; math functions inside subqueries")
for s in [f"SELECT max(value) FROM cpu, memory WHERE {W} GROUP BY host SLIMIT 1", f"SELECT last(value) FROM /^(cpu|memory)$/ WHERE {W} GROUP BY host SLIMIT 1 SOFFSET 1",
          f"SELECT value FROM cpu, memory WHERE {W} GROUP BY host SLIMIT 2 SOFFSET 1", f"SELECT count(value) FROM /^(cpu|memory)$/ WHERE {W} GROUP BY * SLIMIT 2",
          f"SELECT mean(x) FROM (SELECT abs(value) AS x FROM cpu WHERE {W}) WHERE {W}",
          f"SELECT max(r) FROM (SELECT round(mean(value)) AS r FROM cpu WHERE {W} GROUP BY time(30s)) WHERE {W} GROUP BY time(1m)",
          f"SELECT floor(mean) FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY time(1m), host) WHERE {W} GROUP BY host"]:
    add(s)

add("# a raw SELECT with OFFSET and no LIMIT answers one row per series at the offset (influxdb#7577)")
for s in [f"SELECT value FROM cpu WHERE host = 'a' AND {W} OFFSET 3", f"SELECT value FROM cpu WHERE {W} OFFSET 3",
          f"SELECT value FROM cpu WHERE {W} GROUP BY host OFFSET 2", f"SELECT value FROM cpu WHERE {W} GROUP BY host ORDER BY time DESC OFFSET 2",
          f"SELECT value, host FROM cpu WHERE {W} OFFSET 1", f"SELECT * FROM network WHERE {N} OFFSET 5", f"SELECT value FROM cpu, memory WHERE {W} OFFSET 2",
          f"SELECT value * 2 FROM cpu WHERE host = 'b' AND {W} OFFSET 2", f"SELECT value FROM cpu WHERE host = 'a' AND {W} OFFSET 5000",
          f"SELECT max(value) FROM cpu WHERE {W} GROUP BY time(1m), host OFFSET 1", f"SELECT count(value) FROM cpu WHERE {W} GROUP BY time(30s) OFFSET 2"]:
    add(s)

add("# points of several series at one time come in the order of InfluxDB's heap merge: transformations, percentile, mode, stddev, integral and sample read them so; distinct lists values by their first point's time, then value; elapsed between them is 0; integral fills nothing")
for s in [f"SELECT cumulative_sum(value) FROM cpu WHERE {W}", f"SELECT cumulative_sum(value) FROM cpu WHERE {W} ORDER BY time DESC",
          f"SELECT difference(rx), derivative(tx, 1s) FROM network WHERE {N}", f"SELECT non_negative_difference(value) FROM memory WHERE {M} GROUP BY service",
          f"SELECT moving_average(value, 4) FROM cpu WHERE {W} ORDER BY time DESC", f"SELECT cumulative_sum(rx) FROM network WHERE {N} GROUP BY instance ORDER BY time DESC",
          f"SELECT elapsed(value, 1s) FROM cpu WHERE {W}", f"SELECT elapsed(rx, 1s) FROM network WHERE {N} ORDER BY time DESC",
          f"SELECT percentile(value, 40) FROM memory WHERE {M}", f"SELECT percentile(value, 40) FROM memory WHERE {M} ORDER BY time DESC",
          f"SELECT percentile(rx, 50), mode(tx) FROM network WHERE {N} GROUP BY time(1m)", f"SELECT mode(value) FROM memory WHERE {M} ORDER BY time DESC",
          f"SELECT stddev(value) FROM cpu WHERE {W} GROUP BY time(1m)", f"SELECT integral(value) FROM cpu WHERE {W}",
          f"SELECT integral(value) FROM cpu WHERE {W} ORDER BY time DESC", f"SELECT integral(rx, 1m) FROM network WHERE {N} GROUP BY time(30s)",
          f"SELECT integral(value) FROM cpu WHERE time >= 1700000000000ms AND time < 1700000240000ms GROUP BY time(40s) fill(0)",
          f"SELECT integral(value) FROM cpu WHERE time >= 1700000000000ms AND time < 1700000240000ms GROUP BY time(40s) fill(previous)",
          f"SELECT distinct(value) FROM memory WHERE {M}", f"SELECT distinct(value) FROM memory WHERE {M} ORDER BY time DESC",
          f"SELECT distinct(rx) FROM network WHERE {N} GROUP BY time(1m) ORDER BY time DESC LIMIT 3", f"SELECT distinct(value) FROM cpu WHERE {W} GROUP BY time(1m) fill(previous)",
          f"SELECT sample(value, 100) FROM memory WHERE {M}", f"SELECT sample(rx, 50) FROM network WHERE {N} GROUP BY time(1m) ORDER BY time DESC"]:
    add(s)

add("# an aggregating subquery with fill(null) makes no null rows (InfluxDB turns it into fill(none)): one without an upper time bound does not fill up to now")
for s in ["SELECT max(mean) FROM (SELECT mean(value) FROM cpu WHERE time >= 1700000000000ms GROUP BY time(1m), host)",
          "SELECT count(mean) FROM (SELECT mean(value) FROM cpu WHERE time >= 1700000000000ms GROUP BY time(1m), host fill(null)) GROUP BY host",
          f"SELECT mean FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY time(5s)) WHERE {W}",
          f"SELECT derivative(mean) FROM (SELECT mean(value) FROM cpu WHERE {W} AND host = 'a' GROUP BY time(5s))",
          f"SELECT mean FROM (SELECT mean(value) FROM cpu WHERE {W} AND host = 'a' GROUP BY time(5s) fill(0)) WHERE {W} LIMIT 5",
          f"SELECT x FROM (SELECT abs(value) AS x FROM cpu WHERE {W} AND host = 'b') WHERE {W} LIMIT 3"]:
    add(s)

add("# the outer GROUP BY tags group an aggregating subquery too (InfluxDB propagates them; not * or regexes); SOFFSET without SLIMIT reads nothing")
for s in [f"SELECT max(mean) FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY time(1m)) GROUP BY host",
          f"SELECT mean FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY time(1m)) WHERE {W} GROUP BY region",
          f"SELECT max(mean) FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY time(1m)) WHERE {W} GROUP BY time(2m), host",
          f"SELECT sum(m) FROM (SELECT max(value) AS m FROM cpu WHERE {W} GROUP BY time(30s), region) GROUP BY host",
          f"SELECT max(d) FROM (SELECT derivative(mean(value)) AS d FROM cpu WHERE {W} GROUP BY time(30s)) GROUP BY host",
          f"SELECT max(mean) FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY time(1m)) GROUP BY *",
          f"SELECT max(mean) FROM (SELECT mean(value) FROM cpu WHERE {W} GROUP BY time(1m)) GROUP BY /host/",
          f"SELECT top(mean, 2) FROM (SELECT mean(rx) FROM network WHERE {N} GROUP BY time(30s)) GROUP BY instance",
          "SELECT first(value) FROM cpu WHERE time >= 1700000000000ms GROUP BY time(10s), host fill(previous) SOFFSET 1"]:
    add(s)

# All the data sits in one InfluxDB shard, so its deletion errors name shard 1; with points in
# several shards InfluxDB names whichever shard's goroutine fails first.
add("# deletion with fields, time or identifier comparisons in WHERE (mutations, in order)")
for s in ["DROP SERIES FROM cpu WHERE value > 50", "DROP SERIES WHERE rx > 50", "DELETE FROM cpu WHERE value > 50",
          "DROP SERIES FROM cpu WHERE host = 'a' AND value > 50", "DELETE WHERE i = 1",
          "DROP SERIES FROM cpu WHERE time > 0", "SHOW SERIES FROM cpu",
          "DROP SERIES FROM cpu WHERE nosuch = 'x'", "SHOW SERIES FROM cpu",
          "DROP SERIES FROM network WHERE host = instance", "SHOW SERIES FROM network",
          "DROP SERIES FROM typed WHERE k = k", "SHOW SERIES", "DELETE FROM cpu WHERE host != host",
          f"SELECT count(value) FROM cpu WHERE {W}", "DELETE FROM cpu WHERE region = region AND host = 'b'",
          f"SELECT count(value) FROM cpu WHERE {W} GROUP BY host", "SHOW SERIES FROM cpu", "SHOW TAG VALUES FROM cpu WITH KEY = host",
          "DELETE FROM network WHERE time < 1700000060000ms", "SHOW SERIES FROM network",
          "SELECT * FROM typed", "SELECT i FROM typed", "SELECT count(*) FROM typed",
          'CREATE DATABASE x WITH NAME "."', 'CREATE DATABASE "."', 'CREATE DATABASE "a/b"', "SHOW DATABASES"]:
    add(s)
# CREATE DATABASE … WITH on an existing database: its default policy (autogen, infinite, one
# replica, 168h shards) must match, or InfluxDB reports a conflict.
for s in ["CREATE DATABASE collectd WITH DURATION 1h", "CREATE DATABASE collectd WITH DURATION INF",
          "CREATE DATABASE collectd WITH DURATION 0s", "CREATE DATABASE collectd WITH REPLICATION 2",
          "CREATE DATABASE collectd WITH REPLICATION 1", "CREATE DATABASE collectd WITH NAME autogen",
          "CREATE DATABASE collectd WITH NAME other", "CREATE DATABASE collectd WITH SHARD DURATION 1h",
          "CREATE DATABASE collectd WITH SHARD DURATION 168h", "CREATE DATABASE collectd WITH DURATION INF REPLICATION 1 SHARD DURATION 7d NAME autogen",
          "CREATE DATABASE collectd WITH DURATION 2d NAME autogen", "CREATE DATABASE collectd", "SHOW RETENTION POLICIES ON collectd",
          "SHOW DATABASES"]:
    add(s)

with open(os.path.join(HERE, "compat-queries.txt"), "w") as f:
    f.write("\n".join(q) + "\n")
print(sum(1 for x in q if not x.startswith("#")), "queries")
