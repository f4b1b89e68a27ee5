#!/bin/sh
# Records InfluxDB 1.x's answer to every input in queries.txt into errors.jsonl:
# one JSON object per line, {"q": <input>, "error": <parse error text> | null}.
# Starts a throw-away influxd (default /usr/bin/influxd) on free loopback ports with its
# own temporary directories, and removes them afterwards.
#   usage: Tests/InfluxQLTests/Fixtures/record.sh [path/to/influxd]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec python3 - "$here" "${1:-/usr/bin/influxd}" <<'PY'
import json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request

here, influxd = sys.argv[1], sys.argv[2]

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

tmp = tempfile.mkdtemp(prefix="influxql-record-")
http_port, rpc_port = free_port(), free_port()
with open(os.path.join(tmp, "influxd.conf"), "w") as f:
    f.write(f"""reporting-disabled = true
bind-address = "127.0.0.1:{rpc_port}"
[meta]
  dir = "{tmp}/meta"
[data]
  dir = "{tmp}/data"
  wal-dir = "{tmp}/wal"
[http]
  bind-address = "127.0.0.1:{http_port}"
  log-enabled = false
[monitor]
  store-enabled = false
""")
proc = subprocess.Popen([influxd, "-config", os.path.join(tmp, "influxd.conf")],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{http_port}"
try:
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/ping", timeout=1)
            break
        except Exception:
            time.sleep(0.05)
    else:
        sys.exit("influxd did not start")
    version = urllib.request.urlopen(base + "/ping").headers.get("X-Influxdb-Version")
    out = []
    with open(os.path.join(here, "queries.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("# "):
                continue
            q = line.replace("\u23ce", "\n")
            body = urllib.parse.urlencode({"q": q}).encode()
            try:
                answer = json.load(urllib.request.urlopen(base + "/query", data=body))
            except urllib.error.HTTPError as e:
                answer = json.load(e)
            err = answer.get("error")
            prefix = "error parsing query: "
            out.append({"q": q, "error": err[len(prefix):] if err and err.startswith(prefix) else None})
    with open(os.path.join(here, "errors.jsonl"), "w", encoding="utf-8") as f:
        for rec in out:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"recorded {len(out)} answers from InfluxDB {version}")
finally:
    proc.terminate()
    proc.wait()
    shutil.rmtree(tmp, ignore_errors=True)
PY
