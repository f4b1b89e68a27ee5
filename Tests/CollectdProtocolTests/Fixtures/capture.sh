#!/usr/bin/env bash
# Captures real collectd network packets as test fixtures.
#
# Runs /usr/sbin/collectd (Debian collectd-core) in the foreground with Interval 1, the
# plugins cpu, interface, load, memory, df, disk, swap, processes, uptime, users and the
# network plugin sending to a small UDP listener on 127.0.0.1, once per security level:
#   plain/    no security
#   sign/     SecurityLevel Sign    (user "fixture", password in auth_file)
#   encrypt/  SecurityLevel Encrypt (same user)
# Each datagram is written to its own file (0001.bin, …). Plugins that cannot run in a
# container only log an error; the capture goes on.
#
# Usage: capture.sh [seconds-per-mode] [max-datagrams-per-mode]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-6}
keep=${2:-30}
collectd=${COLLECTD:-/usr/sbin/collectd}
[ -x "$collectd" ] || { echo "capture.sh: $collectd not found (apt-get install collectd-core)" >&2; exit 1; }

user=fixture
password=fixture-secret
printf '%s: %s\n' "$user" "$password" > auth_file

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

capture() {
    local mode=$1 security=$2
    local port=$((25900 + RANDOM % 1000))
    rm -rf "$mode"; mkdir -p "$mode"
    local server_options=""
    if [ "$security" != "None" ]; then
        server_options="SecurityLevel $security
    Username \"$user\"
    Password \"$password\""
    fi
    cat > "$work/$mode.conf" <<CONF
Hostname "fixturehost"
FQDNLookup false
Interval 1
BaseDir "$work"
PIDFile "$work/$mode.pid"
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
LoadPlugin swap
LoadPlugin processes
LoadPlugin uptime
LoadPlugin users
LoadPlugin network
<Plugin network>
  <Server "127.0.0.1" "$port">
    $server_options
  </Server>
</Plugin>
CONF
    # The listener writes each datagram to its own file and exits after $seconds.
    python3 - "$port" "$mode" "$seconds" "$keep" <<'PY' &
import os, socket, sys, time
port, out, seconds, keep = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
deadline = time.time() + seconds
n = 0
while n < keep:
    left = deadline - time.time()
    if left <= 0:
        break
    s.settimeout(left)
    try:
        data = s.recv(65535)
    except socket.timeout:
        break
    n += 1
    with open(os.path.join(out, "%04d.bin" % n), "wb") as f:
        f.write(data)
print("%s: %d datagrams" % (out, n))
PY
    local listener=$!
    sleep 0.3
    "$collectd" -f -C "$work/$mode.conf" > "$work/$mode.log" 2>&1 &
    local daemon=$!
    wait "$listener" || true
    kill "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
    grep -iE 'error|fail' "$work/$mode.log" | sed "s/^/  [$mode] /" | head -20 || true
}

capture plain None
capture sign Sign
capture encrypt Encrypt
du -sh plain sign encrypt
