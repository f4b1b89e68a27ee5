#!/usr/bin/env python3
"""Records InfluxDB 1.x's answers to an HTTP scenario.

Usage: [SCENARIO=auth|row-limit|chunks|rp|writes] record-auth.py [influxd]
Starts a throw-away influxd with the scenario's `[http]` settings (auth: `auth-enabled = true`;
row-limit: `max-row-limit = 5`; chunks: defaults), replays <scenario>-steps.txt in order
(see its header for the step syntax) and writes auth-cases.txt: blocks of
`step:` (the step line), `status:`, `www-authenticate:` (only on 401) and `expect:` (the body;
over 64 KiB or over several lines: `expect-sha256:` and `expect-head:`, its first 400 characters)
to <scenario>-cases.txt.
SHOW GRANTS rows come from a Go map in InfluxDB (random order): they are stored sorted by
database, and the replay sorts them the same way before comparing.
"""
import base64
import hashlib
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ inside the Swift target
sys.path.insert(0, os.path.join(HERE, "..", "..", "TestSupport"))
import throwaway_influxd  # noqa: E402
SCENARIO = os.environ.get("SCENARIO", "auth")
HTTP_SETTINGS = {"auth": "auth-enabled = true", "row-limit": "max-row-limit = 5", "chunks": "", "rp": "", "writes": ""}[SCENARIO]




def parse_steps():
    steps = []
    with open(os.path.join(HERE, f"{SCENARIO}-steps.txt")) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            verb, auth, db, text = line.split(" ", 3)
            steps.append((line, verb, auth, db, text))
    return steps


def request(url, verb, auth, db, text):
    headers = {}
    params = {}
    if auth != "-":
        kind, name, password = auth.split(":", 2)
        name, password = urllib.parse.unquote(name), urllib.parse.unquote(password)
        if kind == "u":
            params = {"u": name, "p": password}
        else:
            headers["Authorization"] = "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()
    # `db0&rp=rp0`: more parameters after the database name.
    db, *extra = db.split("&")
    extra = [tuple(pair.split("=", 1)) for pair in extra]
    if verb == "write":
        params["db"] = db
        params.update(extra)
        req = urllib.request.Request(f"{url}/write?{urllib.parse.urlencode(params)}",
                                     data=text.replace("\\n", "\n").replace("\\r", "\r").encode(), method="POST", headers=headers)
    else:
        form = {"q": text}
        if db != "-":
            form["db"] = db
        form.update(extra)
        if verb == "get":
            params.update(form)
            req = urllib.request.Request(f"{url}/query?{urllib.parse.urlencode(params)}", method="GET", headers=headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            query = "?" + urllib.parse.urlencode(params) if params else ""
            req = urllib.request.Request(f"{url}/query{query}", data=urllib.parse.urlencode(form).encode(),
                                         method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers.get("WWW-Authenticate"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("WWW-Authenticate"), e.read().decode()


def sort_grants(text, body):
    """SHOW GRANTS rows in database order (InfluxDB iterates a Go map)."""
    if "SHOW GRANTS" not in text.upper() or not body.startswith("{"):
        return body
    doc = json.loads(body)
    for result in doc.get("results", []):
        for series in result.get("series", []):
            if series.get("columns") == ["database", "privilege"] and "values" in series:
                series["values"].sort(key=lambda row: row[0])
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def main(binary):
    with throwaway_influxd.running(binary, HTTP_SETTINGS) as url:
        out = []
        for line, verb, auth, db, text in parse_steps():
            status, challenge, body = request(url, verb, auth, db, text)
            block = [f"step: {line}", f"status: {status}"]
            if challenge:
                block.append(f"www-authenticate: {challenge}")
            body = sort_grants(text, body.strip())
            # Long answers, and chunked ones (one JSON object per line), are kept as a hash.
            if len(body) > 65536 or "\n" in body:
                block.append(f"expect-sha256: {hashlib.sha256(body.encode()).hexdigest()}")
                block.append(f"expect-head: {body[:400]}")
            else:
                block.append(f"expect: {body}")
            out.append("\n".join(block))
        with open(os.path.join(HERE, f"{SCENARIO}-cases.txt"), "w") as f:
            f.write("\n\n".join(out) + "\n")
        print(f"recorded {len(out)} steps")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/bin/influxd")
