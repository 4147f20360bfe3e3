#!/usr/bin/env bash
# Builds BoringSSL from the third_party/boringssl of Debian's chromium source package and caches it.
# Prints the install prefix (with include/ and lib/) on stdout; progress goes to stderr.
#
# Why Chromium's copy: only a current BoringSSL emits Chrome's ClientHello (X25519MLKEM768, ALPS 17613,
# trust anchors, ML-DSA sigalgs). Debian ships it only inside the chromium source package.
#
# Environment:
#   WRAITH_CHROMIUM_VERSION  pin a source version (e.g. 150.0.7871.100-1~deb12u1 or its upstream part)
#   WRAITH_CACHE             cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/wraith)
set -euo pipefail

# Bump when the recipe (patches, flags) changes so old caches are not reused.
RECIPE_REVISION=1

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${WRAITH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wraith}
mkdir -p "$cache"
log() { echo "[boringssl] $*" >&2; }

# A finished build is marked by a stamp file; reuse it without touching the network.
find_cached() {
  local pin=${WRAITH_CHROMIUM_VERSION:-}
  pin=${pin%%-*}
  local d
  for d in $(ls -d "$cache"/boringssl-*-r$RECIPE_REVISION 2>/dev/null | sort -V -r); do
    [ -f "$d/.complete" ] || continue
    if [ -n "$pin" ] && [ "$(basename "$d")" != "boringssl-$pin-r$RECIPE_REVISION" ]; then continue; fi
    echo "$d"; return 0
  done
  return 1
}

if prefix=$(find_cached); then
  log "cached: $prefix"
  echo "$prefix"; exit 0
fi

# Private apt configuration: the system's sources rewritten to deb-src, lists kept in our cache.
apt_dir="$cache/apt-src"
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
src_file=/etc/apt/sources.list.d/debian.sources
[ -f "$src_file" ] || { log "missing $src_file"; exit 1; }
sed 's/^Types:.*$/Types: deb-src/' "$src_file" > "$apt_dir/sources.list.d/debian.sources"
apt_opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
          -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache")
log "updating source index"
apt-get "${apt_opts[@]}" update -qq >&2

versions=$(apt-cache "${apt_opts[@]}" showsrc chromium | sed -n 's/^Version: //p' | sort -V -r | uniq)
if [ -n "${WRAITH_CHROMIUM_VERSION:-}" ]; then
  versions=$(echo "$versions" | grep -F -- "$WRAITH_CHROMIUM_VERSION" || true)
fi
[ -n "$versions" ] || { log "no chromium source version found"; exit 1; }

work="$cache/work"
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

chosen=""
for v in $versions; do
  line=$(apt-get "${apt_opts[@]}" source --print-uris "chromium=$v" 2>/dev/null | grep "\.orig\.tar\.xz'" | head -1 || true)
  [ -n "$line" ] || continue
  uri=$(echo "$line" | cut -d"'" -f2)
  sha=$(echo "$line" | awk '{print $4}' | sed 's/^SHA256://')
  log "trying chromium $v"
  if curl -sSf --retry 2 -o "$work/chromium.tar.xz" "$uri"; then
    if [ -n "$sha" ] && [ "$(sha256sum "$work/chromium.tar.xz" | cut -d' ' -f1)" != "$sha" ]; then
      log "checksum mismatch for $v"; rm -f "$work/chromium.tar.xz"; continue
    fi
    chosen=$v; break
  fi
  log "chromium $v did not download, trying the next"
done
[ -n "$chosen" ] || { log "no listed chromium source downloads"; exit 1; }

upstream=${chosen%%-*}
top="chromium-$upstream"
log "extracting $top/third_party/boringssl"
tar -I 'xz -T2' -xf "$work/chromium.tar.xz" -C "$work" --wildcards "$top/third_party/boringssl/*"
rm -f "$work/chromium.tar.xz"
src="$work/$top/third_party/boringssl/src"

# Chrome 152+ sends a GREASE signature algorithm first; older trees lack the API, so add it.
if grep -q SSL_CTX_set_grease_sigalgs_enabled "$src/include/openssl/ssl.h"; then
  log "grease sigalgs API present; no patch"
else
  log "applying grease-sigalgs patch"
  patch -d "$src" -p1 --quiet < "$here/patches/boringssl-grease-sigalgs.patch"
fi

log "building (ninja ssl crypto)"
cmake -S "$src" -B "$work/build" -GNinja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON >&2
ninja -C "$work/build" ssl crypto >&2

prefix="$cache/boringssl-$upstream-r$RECIPE_REVISION"
rm -rf "$prefix"; mkdir -p "$prefix/lib"
cp -r "$src/include" "$prefix/include"
cp "$work/build/libssl.a" "$work/build/libcrypto.a" "$prefix/lib/"
strip --strip-debug "$prefix/lib/"*.a
echo "$chosen" > "$prefix/.complete"
log "installed $prefix"
echo "$prefix"
