"""A throw-away InfluxDB 1.x for the recorder scripts (the Swift tests use ThrowawayInfluxDB).

    with throwaway_influxd.running("/usr/bin/influxd", http_settings="auth-enabled = true") as url:
        ...

Own temporary directories (removed afterwards), free loopback ports, reporting, the monitor
store and the continuous-query service off; `http_settings` are extra lines of `[http]`.
"""
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(binary="/usr/bin/influxd", http_settings=""):
    directory = tempfile.mkdtemp(prefix="influxd-record-")
    port = free_port()
    conf = os.path.join(directory, "influxdb.conf")
    with open(conf, "w") as f:
        f.write(f"""reporting-disabled = true
bind-address = "127.0.0.1:{free_port()}"
[meta]
  dir = "{directory}/meta"
[data]
  dir = "{directory}/data"
  wal-dir = "{directory}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[http]
  bind-address = "127.0.0.1:{port}"
  log-enabled = false
  {http_settings}
""")
    proc = subprocess.Popen([binary, "-config", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(url + "/ping", timeout=1)
                break
            except Exception:
                time.sleep(0.05)
        else:
            raise RuntimeError("influxd did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(directory, ignore_errors=True)
