#!/usr/bin/env bash
# Runs collectlite's test suite. Installs what the end-to-end and differential tests need
# (real collectd and InfluxDB 1.6.7 from Debian, Go for the InfluxDB exporter) when it is missing, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v collectd >/dev/null 2>&1 || [ -x /usr/sbin/collectd ] || missing+=(collectd-core)
command -v influxd >/dev/null 2>&1 || missing+=(influxdb)
command -v influx >/dev/null 2>&1 || missing+=(influxdb-client)
# The import tests build an influx_inspect-style exporter over InfluxDB's Go sources (Debian's
# influxdb package ships no influx_inspect).
command -v go >/dev/null 2>&1 || missing+=(golang-go)
[ -d /usr/share/gocode/src/github.com/influxdata/influxdb/tsdb/engine/tsm1 ] || missing+=(golang-github-influxdb-influxdb-dev)
# The real-client tests drive Python's `influxdb` package (Debian's build) against the HTTP API.
/usr/bin/python3 -c 'import influxdb' >/dev/null 2>&1 || missing+=(python3-influxdb)
# Two more clients from Debian, compared against influxd: Ruby's influxdb gem and aioinflux.
[ -x /usr/bin/ruby ] && /usr/bin/ruby -e "require 'influxdb'" >/dev/null 2>&1 || missing+=(ruby ruby-influxdb)
/usr/bin/python3 -c 'import aioinflux' >/dev/null 2>&1 || missing+=(python3-aioinflux)
# The console tests drive headless Chromium with Selenium (from PyPI, through pip).
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
/usr/bin/python3 -c 'import selenium' >/dev/null 2>&1 || /usr/bin/python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing test dependencies: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! /usr/bin/python3 -c 'import selenium' >/dev/null 2>&1; then
    echo "installing test dependency: selenium (pip)"
    $SUDO /usr/bin/python3 -m pip install -q --break-system-packages selenium
fi

# Serial: several suites start real processes (influxd, collectd, collectlite) and Foundation's
# Process on Linux is not robust when many are spawned and reaped at once; serial costs ~no time.
exec swift test --no-parallel "$@"
