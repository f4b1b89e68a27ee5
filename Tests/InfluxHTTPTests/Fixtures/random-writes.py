#!/usr/bin/env python3
"""Random line-protocol bodies POSTed to /write on collectlite and on InfluxDB 1.6.7, each into a
database of its own; prints every body whose answer (status and text) or whose stored points
(`SELECT * FROM /.*/`, `SHOW SERIES`, `SHOW FIELD KEYS`) differ, then a count. Every pair of
answers goes to /tmp/random-writes-SEED.jsonl.
Asserts nothing: a tool for finding cases worth recording in writes-steps.txt (record-auth.py).

Usage: random-writes.py BINARY [N [SEED]]   (influxd from Debian's influxdb)
"""
import json, os, random, sys, time, urllib.parse, http.client
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Benchmarks"))
import ingest_load as L  # noqa: E402

MEAS = ["cpu", "cpu", "m\\ x", "m\\,y", "m=eq", "\"q\"", "_m", "m#", "\u00fc", "m\\\\", "m\\", "m\\=z", "#c", "m\tt"]
TAGK = ["host", "host", "k\\ a", "k\\,b", "k\\=c", "\"t\"", "time", "_k", "h"]
TAGV = ["a", "b", "v\\ 1", "v\\,2", "v\\=3", "\"v\"", "", "v=w", "v\\", "1", "true", "\u00e9"]
FIELDK = ["value", "value", "v2", "f\\ x", "f\\,y", "f\\=z", "\"f\"", "time", "_f", "f\\\\", "host"]
FIELDV = ["1", "1.5", "-1", "1e3", "1E-3", ".5", "5.", "+1", "-0", "1i", "-1i", "+3i", "9223372036854775807i",
          "9223372036854775808i", "-9223372036854775808i", "1u", "t", "T", "true", "True", "TRUE", "f", "F", "false",
          "False", "FALSE", "fALSE", "tru", "\"str\"", "\"a\\\"b\"", "\"a\\\\b\"", "\"a\\nb\"", "\"unterminated", "NaN",
          "inf", "-Inf", "1..2", "0x10", "1_000", "", "\"\"", "1e400", "01", "1.0i", "--1", "1e", "i", "\"a b,c=d\"",
          "\"x\ny\"", "1.7976931348623157e308", "4.9e-324", "00.5", "1.5e+2", "0.000000000000000000000001"]
TIMES = ["", "", "1000000000", "0", "-1", "1700000000000000000", "1700000000", "1.5", "+5", "9223372036854775807",
         "9223372036854775806", "-9223372036854775806", "-9223372036854775807", "-9223372036854775808",
         "1e9", "abc", "123 456", "1000000001 ", "01000000000", "1000000000i"]
PRECISIONS = [None, None, "n", "ns", "u", "ms", "s", "m", "h", "bogus", "rfc3339"]


def line(r):
    if r.random() < 0.05:
        return r.choice(["", "#comment", "   ", "cpu", "cpu,", "cpu value", "cpu value=", ",host=a value=1",
                         " cpu value=1", "cpu  value=1", "cpu,host=a,host=b value=1", "cpu value=1,value=2",
                         "cpu,host value=1", "cpu,=a value=1", "cpu =1", "cpu value=1 1 2", "cpu, value=1",
                         "cpu value=1,", "cpu value=1,,v2=2", "cpu,host=a, value=1"])
    out = r.choice(MEAS)
    for _ in range(r.choice([0, 0, 1, 1, 2, 3])):
        out += "," + r.choice(TAGK) + "=" + r.choice(TAGV)
    out += r.choice([" ", " ", " ", "\t", "  "])
    fields = []
    for _ in range(r.choice([1, 1, 1, 2, 3])):
        fields.append(r.choice(FIELDK) + "=" + r.choice(FIELDV))
    out += ",".join(fields)
    t = r.choice(TIMES)
    if t:
        out += r.choice([" ", " ", " ", "  ", "\t"]) + t
    out += r.choice(["", "", "", " ", "\r", "\t"])
    return out


def body(r):
    lines = [line(r) for _ in range(r.choice([1, 1, 1, 2, 2, 3, 4]))]
    return r.choice(["\n", "\n", "\n", "\r\n", "\n\n"]).join(lines) + r.choice(["", "", "\n"])


def request(port, method, path, data=None):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(method, path, body=data)
        resp = conn.getresponse()
        text = resp.read().decode(errors="replace").strip()
        conn.close()
        return resp.status, text
    except Exception as e:  # noqa: BLE001 — a tool: any failure is a finding
        return 0, f"EXCEPTION {type(e).__name__} {e}"


def query(port, db, text):
    status, text_ = request(port, "GET", "/query?" + urllib.parse.urlencode({"db": db, "q": text, "epoch": "ns"}))
    try:
        doc = json.loads(text_)
    except ValueError:
        return status, text_
    # Points without a timestamp get the server's clock: compare them as "now".
    now = time.time_ns()
    for result in doc.get("results", []):
        for s in result.get("series", []):
            for row in s.get("values", []):
                if s["columns"][0] == "time" and isinstance(row[0], int) and abs(row[0] - now) < 3600 * 10**9:
                    row[0] = "now"
    return status, doc


def main():
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    cl = L.Collectlite(binary)
    ix = L.Influx()
    bad = 0
    try:
        r = random.Random(seed)
        dump = open(f"/tmp/random-writes-{seed}.jsonl", "w")
        for i in range(n):
            db = f"w{i}"
            text = body(r)
            precision = r.choice(PRECISIONS)
            params = {"db": db} | ({"precision": precision} if precision else {})
            answers = []
            for port in (cl.http, ix.http):
                request(port, "POST", "/query?" + urllib.parse.urlencode({"q": f"CREATE DATABASE {db}"}))
                w = request(port, "POST", "/write?" + urllib.parse.urlencode(params), text.encode())
                answers.append((w, query(port, db, "SELECT * FROM /.*/"), query(port, db, "SHOW SERIES"),
                                query(port, db, "SHOW FIELD KEYS")))
            dump.write(json.dumps({"precision": precision, "body": text, "a": answers[0], "b": answers[1]}) + "\n")
            if answers[0] != answers[1]:
                bad += 1
                print("=" * 80)
                print(f"precision={precision} body={text!r}")
                for name, a in zip(("collectlite", "influxdb   "), answers):
                    print(f" {name}: {json.dumps(a)[:900]}")
                sys.stdout.flush()
        print(f"{bad} of {n} differ")
    finally:
        cl.stop()
        ix.stop()


if __name__ == "__main__":
    main()
