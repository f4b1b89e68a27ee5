#!/usr/bin/env bash
# Records real collectd network traffic for the disk-footprint benchmark (Docs/benchmarks.md).
#
# Runs /usr/sbin/collectd (Debian collectd-core) in the foreground with Debian's default
# collectd.conf plugin set (cpu, interface, load, memory, df, disk, processes, entropy, swap,
# users) at Interval 10, sending with the network plugin to a UDP listener on 127.0.0.1.
# Every datagram is appended to OUT as: 8-byte big-endian receive time (ns since the epoch),
# 4-byte big-endian length, the datagram. OUT is gzip-compressed when it ends in .gz.
#
# Usage: record-collectd.sh OUT [minutes]    (default 35 minutes)
set -euo pipefail
out=${1:?usage: record-collectd.sh OUT [minutes]}
minutes=${2:-35}
collectd=${COLLECTD:-/usr/sbin/collectd}
[ -x "$collectd" ] || { echo "record-collectd.sh: $collectd not found (apt-get install collectd-core)" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((26900 + RANDOM % 1000))
cat > "$work/collectd.conf" <<CONF
Hostname "recorded"
FQDNLookup false
Interval 10
BaseDir "$work"
PIDFile "$work/collectd.pid"
TypesDB "/usr/share/collectd/types.db"
LoadPlugin logfile
<Plugin logfile>
  LogLevel info
  File STDOUT
</Plugin>
LoadPlugin cpu
LoadPlugin interface
LoadPlugin load
LoadPlugin memory
LoadPlugin df
LoadPlugin disk
LoadPlugin processes
LoadPlugin entropy
LoadPlugin swap
LoadPlugin users
LoadPlugin network
<Plugin network>
  Server "127.0.0.1" "$port"
</Plugin>
CONF
python3 - "$port" "$out" "$minutes" <<'PY' &
import gzip, socket, struct, sys, time
port, out, minutes = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
f = gzip.open(out, "wb") if out.endswith(".gz") else open(out, "wb")
deadline = time.time() + minutes * 60
n = 0
while True:
    left = deadline - time.time()
    if left <= 0:
        break
    s.settimeout(left)
    try:
        data = s.recv(65535)
    except socket.timeout:
        break
    f.write(struct.pack(">qI", time.time_ns(), len(data)) + data)
    n += 1
    if n % 100 == 0:
        f.flush()
f.close()
print("recorded %d datagrams into %s" % (n, out))
PY
listener=$!
sleep 0.3
"$collectd" -f -C "$work/collectd.conf" > "$work/collectd.log" 2>&1 &
daemon=$!
wait "$listener"
kill "$daemon" 2>/dev/null || true
wait "$daemon" 2>/dev/null || true
grep -iE 'error|fail' "$work/collectd.log" | head -20 || true
