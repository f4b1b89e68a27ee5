#!/usr/bin/env python3
"""Records InfluxDB 1.x's answers to retention-policy and continuous-query statements.

Usage: Tests/InfluxQLTests/Fixtures/record-cq.py [path/to/influxd]
Starts a throw-away influxd (own temporary directories, free loopback ports, reporting and the
CQ service disabled), creates databases db0 (policies autogen and rp1) and "my db", then sends
every line of cq-inputs.txt in order as a form-encoded POST /query (no db parameter; "⏎" stands
for a newline; blank lines and lines starting with "# " are skipped). Each answer becomes one
JSON line of cq-answers.jsonl: {"q", "status", "body"} and, when a CREATE CONTINUOUS QUERY
succeeded, "stored": the `query` column SHOW CONTINUOUS QUERIES then prints for it (the CQ is
dropped again afterwards, so names can be reused). Statements run in file order, so policy
changes (ALTER ... DEFAULT) affect the lines after them.
"""
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ inside the Swift target
sys.path.insert(0, os.path.join(HERE, "..", "..", "TestSupport"))
import throwaway_influxd  # noqa: E402
INFLUXD = sys.argv[1] if len(sys.argv) > 1 else "/usr/bin/influxd"
SETUP = [
    "CREATE DATABASE db0",
    "CREATE RETENTION POLICY rp1 ON db0 DURATION 1d REPLICATION 1",
    'CREATE DATABASE "my db"',
]




def post(base, q):
    req = urllib.request.Request(base + "/query", data=urllib.parse.urlencode({"q": q}).encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def stored_cq(base, db, name):
    _, body = post(base, "SHOW CONTINUOUS QUERIES")
    for series in json.loads(body)["results"][0].get("series", []):
        if series["name"] == db:
            for row in series.get("values", []):
                if row[0] == name:
                    return row[1]
    return None


def main():
    with throwaway_influxd.running(INFLUXD) as base:
        version = urllib.request.urlopen(base + "/ping").headers.get("X-Influxdb-Version")
        for q in SETUP:
            post(base, q)
        out = []
        with open(os.path.join(HERE, "cq-inputs.txt"), encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("# "):
                    continue
                q = line.replace("\u23ce", "\n")
                status, body = post(base, q)
                rec = {"q": q, "status": status, "body": body.rstrip("\n")}
                m = re.match(r'(?is)\s*create\s+continuous\s+query\s+("(?:[^"\\]|\\.)*"|\S+)\s+on\s+("(?:[^"\\]|\\.)*"|\S+)', q)
                if m and status == 200 and '"error"' not in body:
                    name, db = (json.loads(g) if g.startswith('"') else g for g in m.groups())
                    rec["stored"] = stored_cq(base, db, name)
                    post(base, "DROP CONTINUOUS QUERY " + m.group(1) + " ON " + m.group(2))
                out.append(rec)
        with open(os.path.join(HERE, "cq-answers.jsonl"), "w", encoding="utf-8") as f:
            for rec in out:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"recorded {len(out)} answers from InfluxDB {version}")


main()
