#!/usr/bin/env python3
"""Random InfluxQL against collectlite and InfluxDB 1.6.7 loaded with the same collectd-like hour
(6 hosts, ms jitter, over /write); prints each statement whose answers differ (floats compared to 9 decimal places), then a count.
Asserts nothing: a tool for finding cases worth recording in the compat suite (make-compat.py).
Every pair of answers goes to /tmp/random-compare-SEED.jsonl.

Usage: random-compare.py BINARY [N [SEED]]   (release build; influxd from Debian's influxdb)
"""
import json, os, random, sys, urllib.parse, http.client, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Benchmarks"))
import ingest_load as L
C = L.compare_influxdb()

def q(port, text):
    """(status, parsed JSON or text) of one GET /query; (0, "EXCEPTION …") when it fails or times out."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/query?db=collectd&q=" + urllib.parse.quote(text))
        r = conn.getresponse()
        body = r.read()
        conn.close()
    except Exception as e:
        return 0, f"EXCEPTION {type(e).__name__} {e}"
    try:
        return r.status, json.loads(body)
    except ValueError:
        return r.status, body.decode(errors="replace")

S = C.DAY_START
E = S + 3600 * 10**9
def rng_time(r):
    return S + r.randrange(0, 3600) * 10**9 + r.choice([0, 0, 5 * 10**8, 123])

AGG = ["mean", "sum", "count", "min", "max", "first", "last", "median", "mode", "spread", "stddev", "distinct", "integral"]
SEL2 = ["percentile(\"value\", {p})", "top(\"value\", {n})", "bottom(\"value\", {n})", "sample(\"value\", 1000)"]
TRANS = ["derivative({a}, {u})", "non_negative_derivative({a}, {u})", "difference({a})", "non_negative_difference({a})",
         "moving_average({a}, {n})", "cumulative_sum({a})", "elapsed({a}, {u})"]
MEAS = ["cpu_value", "interface_rx", "load_shortterm", "memory_value", "interface_tx"]
TAGK = {"cpu_value": ["host", "instance", "type_instance"], "interface_rx": ["host", "instance"], "interface_tx": ["host", "instance"],
        "load_shortterm": ["host"], "memory_value": ["host", "type_instance"]}
TAGV = {"host": ["host000", "host001", "host003", "nohost"], "instance": ["0", "1", "eth0", "eth1"], "type_instance": ["user", "idle", "used", "free"]}

def where(r, m):
    parts = []
    if r.random() < 0.6:
        a = rng_time(r)
        b = a + r.choice([60, 600, 1800, 7200]) * 10**9
        parts.append(r.choice([f"time >= {a}", f"time > {a//10**6}ms", f"time >= '{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(a//10**9))}'"]))
        if r.random() < 0.7:
            parts.append(r.choice([f"time <= {b}", f"time < {b//10**6}ms"]))
    else:
        parts.append(f"time >= {S} AND time <= {E}")
    if r.random() < 0.6:
        k = r.choice(TAGK[m])
        v = r.choice(TAGV[k])
        parts.append(r.choice([f"\"{k}\" = '{v}'", f"\"{k}\" != '{v}'", f"\"{k}\" =~ /^{v}$/", f"\"{k}\" !~ /{v[:3]}/", f"{k} =~ /{v[-1]}/"]))
    if r.random() < 0.2:
        parts.append(r.choice(["\"value\" > 1000", "value < 50", "value >= 0 OR value < 0", "value = 0"]))
    r.shuffle(parts)
    return " AND ".join(parts)

def groupby(r, m, need_time):
    g = []
    if need_time or r.random() < 0.5:
        iv = r.choice(["10s", "1m", "5m", "30s", "1h", "7m"])
        off = r.choice(["", "", ", 15s", ", -1m", ", 3m"])
        g.append(f"time({iv}{off})")
    if r.random() < 0.5:
        g.append(r.choice(TAGK[m] + ["*"]))
    s = " GROUP BY " + ", ".join(g) if g else ""
    if g and g[0].startswith("time") and r.random() < 0.5:
        s += " fill(" + r.choice(["null", "none", "0", "previous", "linear", "-1"]) + ")"
    return s

def tail(r):
    s = ""
    if r.random() < 0.2: s += " ORDER BY time DESC"
    if r.random() < 0.2: s += f" LIMIT {r.randint(1, 5)}"
    if r.random() < 0.1: s += f" OFFSET {r.randint(1, 3)}"
    if r.random() < 0.1: s += f" SLIMIT {r.randint(1, 3)}"
    if r.random() < 0.05: s += f" SOFFSET {r.randint(1, 2)}"
    return s

def select(r):
    m = r.choice(MEAS)
    if r.random() < 0.1:
        src = r.choice(["/load_.*/", "load_shortterm, load_midterm", "/^interface_/", '"collectd"."autogen"."cpu_value"', "/nomatch/"])
        e = r.choice(["mean(value)", "max(value)", "value", "count(value)", "last(value)", "*"])
        g = groupby(r, "load_shortterm", False)
        return f"SELECT {e} FROM {src} WHERE {where(r, 'load_shortterm')}{g}{tail(r)}"
    if r.random() < 0.08:
        f = r.choice(["abs", "floor", "ceil", "round", "sqrt", "ln", "log2", "log10", "exp", "sin"])
        inner = r.choice(['"value"', 'mean("value")', 'last(value)'])
        g = groupby(r, m, inner != '"value"')
        return f"SELECT {f}({inner}) FROM {m} WHERE {where(r, m)}{g}{tail(r)}"
    kind = r.random()
    if kind < 0.12:
        fld = r.choice(['*', 'value', 'value, host', '"value" * 2 + 1', 'host, value'])
        return f"SELECT {fld} FROM {m} WHERE {where(r, m)}{groupby(r, m, False) if r.random()<0.3 else ''}{tail(r)}"
    if kind < 0.55:
        a = r.choice(AGG)
        e = a + '("value")' if a != "integral" else r.choice(["integral(value)", "integral(value, 1m)"])
        if r.random() < 0.3: e = r.choice([f"{e} * 8", f"{e} / 1000", f"{e} + {e}", f"-{e}"]) if a != "distinct" else e
        if r.random() < 0.2 and a not in ("distinct",): e += ", " + r.choice(["max(value)", "count(value)", "first(value)"])
        g = groupby(r, m, False)
        return f"SELECT {e} FROM {m} WHERE {where(r, m)}{g}{tail(r)}"
    if kind < 0.68:
        s = r.choice(SEL2).format(p=r.choice([5, 50, 90, 99.5, 100]), n=r.randint(1, 4))
        g = groupby(r, m, False)
        return f"SELECT {s} FROM {m} WHERE {where(r, m)}{g}{tail(r)}"
    if kind < 0.9:
        t = r.choice(TRANS)
        agg = r.random() < 0.7
        a = r.choice(['mean', 'max', 'last', 'sum']) + '("value")' if agg else '"value"'
        e = t.format(a=a, u=r.choice(["1s", "1m", "10s"]), n=r.randint(2, 4))
        if r.random() < 0.3: e += " * 8"
        g = groupby(r, m, agg)
        return f"SELECT {e} FROM {m} WHERE {where(r, m)}{g}{tail(r)}"
    inner_g = groupby(r, m, True)
    f = r.choice(['max("mean")', 'mean("mean")', 'sum("mean")', 'count("mean")', 'top("mean", 3)', 'last("mean")'])
    return f"SELECT {f} FROM (SELECT mean(value) FROM {m} WHERE {where(r, m)}{inner_g}) {groupby(r, m, False) if r.random() < 0.4 else ''}"

def show(r):
    m = r.choice(MEAS)
    k = r.choice(TAGK[m])
    opts = [
        "SHOW MEASUREMENTS", f"SHOW MEASUREMENTS WITH MEASUREMENT =~ /{m[:3]}/", "SHOW MEASUREMENTS LIMIT 2 OFFSET 1",
        f"SHOW MEASUREMENTS WHERE host = 'host001'", f"SHOW TAG KEYS FROM {m}", "SHOW TAG KEYS", f"SHOW TAG KEYS FROM /{m[:4]}/ LIMIT 1",
        f"SHOW TAG VALUES FROM {m} WITH KEY = \"{k}\"", f"SHOW TAG VALUES WITH KEY = \"{k}\"", f"SHOW TAG VALUES FROM {m} WITH KEY IN (\"host\", \"{k}\")",
        f"SHOW TAG VALUES FROM {m} WITH KEY =~ /{k[:2]}/ WHERE host =~ /00[12]/", f"SHOW TAG VALUES FROM {m} WITH KEY = \"{k}\" LIMIT 2 OFFSET 1",
        f"SHOW TAG VALUES FROM {m} WITH KEY != \"host\"",
        f"SHOW FIELD KEYS FROM {m}", "SHOW FIELD KEYS", f"SHOW SERIES FROM {m} WHERE host = 'host002'", f"SHOW SERIES FROM {m} LIMIT 3",
        "SHOW SERIES WHERE instance = 'eth1' LIMIT 4", "SHOW RETENTION POLICIES", "SHOW DATABASES",
        f"SHOW TAG VALUES EXACT CARDINALITY FROM {m} WITH KEY = \"{k}\"", f"SHOW SERIES EXACT CARDINALITY FROM {m}",
        f"SHOW MEASUREMENT EXACT CARDINALITY", f"SHOW FIELD KEY EXACT CARDINALITY FROM {m}", f"SHOW TAG KEY EXACT CARDINALITY FROM {m}",
        f"SHOW TAG VALUES CARDINALITY FROM {m} WITH KEY = \"{k}\"", "SHOW SERIES CARDINALITY",
    ]
    return r.choice(opts)

def norm(x):
    if isinstance(x, float):
        return round(x, 9) if abs(x) < 1e15 else x
    if isinstance(x, list): return [norm(v) for v in x]
    if isinstance(x, dict): return {k: norm(v) for k, v in x.items()}
    return x

def main():
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    cl = L.Collectlite(binary)
    ix = L.Influx()
    try:
        for port in (cl.http, ix.http):
            C.load_day(port, hosts=6, hours=1)
        time.sleep(2)
        r = random.Random(seed)
        dump = open(f"/tmp/random-compare-{seed}.jsonl", "w")
        bad = 0
        for i in range(n):
            text = show(r) if r.random() < 0.2 else select(r)
            a = q(cl.http, text)
            b = q(ix.http, text)
            dump.write(json.dumps({"q": text, "a": a, "b": b}) + "\n"); dump.flush()
            if norm(a) != norm(b):
                bad += 1
                print("=" * 80); print(text)
                print(" collectlite:", json.dumps(a)[:700]); print(" influxdb:   ", json.dumps(b)[:700]); sys.stdout.flush()
        print(f"{bad} of {n} differ")
    finally:
        cl.stop(); ix.stop()

if __name__ == "__main__":
    main()
