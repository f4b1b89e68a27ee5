#!/usr/bin/env bash
# Builds collectlite_<version>_<arch>.deb: /usr/bin/collectlite (a release build with the Swift
# runtime linked in), the systemd unit, /etc/collectlite/collectlite.toml (a conffile), and the
# Grafana dashboards with their provisioning files under /usr/share/collectlite/.
#
#   Packaging/build-deb.sh [--binary PATH] [--out DIR]
#
# Without --binary it runs `swift build -c release --static-swift-stdlib` first (minutes);
# with --binary it packages that executable as it is (the tests package a debug build).
# The version is what the binary's --version prints.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary=""
out="$root/.build/deb"
while [ $# -gt 0 ]; do
    case "$1" in
        --binary) binary="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build-deb.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
command -v dpkg-deb >/dev/null || { echo "build-deb.sh: dpkg-deb not found (apt-get install dpkg)" >&2; exit 1; }
if [ -z "$binary" ]; then
    (cd "$root" && swift build -c release --static-swift-stdlib --product collectlite)
    binary="$root/.build/release/collectlite"
fi
[ -x "$binary" ] || { echo "build-deb.sh: $binary is not an executable" >&2; exit 1; }

# "0.9.0 (commit 3f2a9c1d0e4b)" → version 0.9.0, the commit kept in the description.
version_line="$("$binary" --version)"
version="${version_line%% *}"
commit="$(sed -n 's/.*(commit \(.*\)).*/\1/p' <<<"$version_line")"
arch="$(dpkg --print-architecture)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"

install -D -m 755 "$binary" "$stage/usr/bin/collectlite"
install -D -m 644 "$root/Packaging/collectlite.service" "$stage/lib/systemd/system/collectlite.service"
install -D -m 644 "$root/Packaging/collectlite.toml" "$stage/etc/collectlite/collectlite.toml"
install -d "$stage/usr/share/collectlite/dashboards" "$stage/usr/share/collectlite/provisioning/dashboards" \
    "$stage/usr/share/collectlite/provisioning/datasources"
install -m 644 "$root"/dashboards/collectd-*.json "$stage/usr/share/collectlite/dashboards/"
install -m 644 "$root/dashboards/provisioning/datasources/collectlite.yaml" "$stage/usr/share/collectlite/provisioning/datasources/"
# Grafana reads the dashboards where the package puts them.
sed -e 's#path: /var/lib/grafana/dashboards/collectlite#path: /usr/share/collectlite/dashboards#' \
    -e 's#^\# Copy dashboards/.*#\# The collectlite package keeps the dashboards in /usr/share/collectlite/dashboards.#' \
    "$root/dashboards/provisioning/dashboards/collectlite.yaml" > "$stage/usr/share/collectlite/provisioning/dashboards/collectlite.yaml"
chmod 644 "$stage/usr/share/collectlite/provisioning/dashboards/collectlite.yaml"
install -D -m 644 "$root/README.md" "$stage/usr/share/doc/collectlite/README.md"

install -d "$stage/DEBIAN"
install -m 755 "$root/Packaging/debian/postinst" "$root/Packaging/debian/prerm" "$root/Packaging/debian/postrm" "$stage/DEBIAN/"
echo "/etc/collectlite/collectlite.toml" > "$stage/DEBIAN/conffiles"
size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: collectlite
Version: $version
Architecture: $arch
Maintainer: collectlite developers <collectlite@localhost>
Installed-Size: $size
Depends: libc6, libgcc-s1, libstdc++6, libsqlite3-0, zlib1g, passwd
Section: net
Priority: optional
Description: collectd receiver storing in SQLite with an InfluxDB 1.x API
 One binary in place of InfluxDB 1.x for collectd: it receives the collectd network
 protocol on UDP 25826, keeps samples in one SQLite file per database and answers
 InfluxQL over the InfluxDB 1.x HTTP API on 8086, so Grafana's InfluxDB datasource
 and collectd dashboards work unchanged. Built from commit $commit.
CONTROL

mkdir -p "$out"
deb="$out/collectlite_${version}_${arch}.deb"
# COLLECTLITE_DEB_COMPRESSION=gzip packs a debug build in seconds instead of xz's half minute.
dpkg-deb --root-owner-group -Z"${COLLECTLITE_DEB_COMPRESSION:-xz}" --build "$stage" "$deb" >/dev/null
echo "$deb"
