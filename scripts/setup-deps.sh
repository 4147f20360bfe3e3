#!/usr/bin/env bash
# Installs the Debian packages wraith builds and tests with. Cheap when everything is present.
set -euo pipefail
# Build + libraries + test peers (nghttpd, nginx, h2load, proxies) from Debian.
packages=(
  build-essential cmake ninja-build ccache pkg-config patch curl xz-utils ca-certificates
  libgtest-dev libgmock-dev libbenchmark-dev libasio-dev nlohmann-json3-dev
  zlib1g-dev libbrotli-dev libzstd-dev libpsl-dev libc-ares-dev libcurl4-openssl-dev
  nghttp2-server nghttp2-client nginx-light tinyproxy dante-server nodejs openssl
  chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "[setup] installing: ${missing[*]}" >&2
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq >&2
$sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# Debian starts nginx/danted/tinyproxy as system services on install; tests run their own instances.
for svc in nginx danted tinyproxy; do
  $sudo_cmd systemctl stop "$svc" >/dev/null 2>&1 || $sudo_cmd service "$svc" stop >/dev/null 2>&1 || true
done
