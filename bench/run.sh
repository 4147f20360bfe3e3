#!/usr/bin/env bash
# wraith's benchmark harness. ./run bench calls it from the repo root (after building build/).
#   bench/run.sh                 peers vs wraith on every workload -> bench/results/latest.md (+ .json)
#   bench/run.sh --runs N        rounds per cell (default 5; the median is reported)
#   bench/run.sh --out FILE      the table elsewhere (FILE.json beside it), e.g. for a quick --cells check
#   bench/run.sh --micro         Google Benchmark micro benchmarks -> bench/results/micro.txt
#   bench/run.sh --profile       callgrind on `wraith bench` W2 (h2, nginx) -> bench/results/profile.md
#   bench/run.sh --rss           only bench/rss_flat (100,000 requests on one h2 connection)
# Installs what it needs (Debian packages, npm peers) itself; every step is a no-op when already done.
set -euo pipefail
root=$(pwd)
[ -f "$root/bench/harness.py" ] || { echo "bench/run.sh: run it from the repo root" >&2; exit 2; }
build=${WRAITH_BUILD_DIR:-$root/build}
mode=table runs=5 out=$root/bench/results/latest.md extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --micro) mode=micro ;;
    --profile) mode=profile ;;
    --rss) mode=rss ;;
    --runs) runs=$2; shift ;;
    --out) out=$2; shift ;;
    --cells|--clients) extra+=("$1" "$2"); shift ;;
    *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "[bench] $*" >&2; }

install_debian() {
  local packages=(nginx-light nghttp2-server nghttp2-client libcurl4-openssl-dev libbenchmark-dev
                  openssl valgrind binutils cmake ninja-build)
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # Tools that may come from elsewhere than Debian (a newer Node bundles its own npm): only when absent.
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  command -v python3 >/dev/null || missing+=(python3)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq >&2
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  # Debian starts nginx as a system service on install; the harness runs its own instance.
  $sudo_cmd systemctl stop nginx >/dev/null 2>&1 || $sudo_cmd service nginx stop >/dev/null 2>&1 || true
}

# npm peers, at the versions of the committed package-lock.json (which carries no download addresses, so
# `npm install --no-save` resolves them through npm's configured registry and leaves the lock as it is).
# A peer that cannot be installed is recorded with the reason and shows up as such in the table.
node_peers='{}'
install_node_peers() {
  local dir=$root/bench/peers/node
  if [ ! -d "$dir/node_modules/wreq-js" ] || [ ! -d "$dir/node_modules/impit" ]; then
    log "npm install in bench/peers/node"
    (cd "$dir" && npm install --no-save --no-audit --no-fund >"$dir/.npm-install.log" 2>&1) ||
      log "npm install failed (see bench/peers/node/.npm-install.log)"
  fi
  node_peers=$(cd "$dir" && node -e '
    const r = {};
    for (const [name, mod] of [["wreq-js", "wreq-js"], ["impit", "impit"]]) {
      import(mod).then(() => { r[name] = true; }, (e) => { r[name] = false; r[name + "_why"] = "npm install/load failed: " + String(e.message).split("\n")[0].slice(0, 120); })
        .finally(() => { if (Object.keys(r).filter((k) => !k.endsWith("_why")).length === 2) console.log(JSON.stringify(r)); });
    }')
}

build_targets() {
  if [ ! -f "$build/build.ninja" ]; then
    log "no $build yet: ./run build"
    "$root/run" build >/dev/null
  fi
  ninja -C "$build" "$@" >&2
}

install_debian
case "$mode" in
  micro)
    targets=(hpack_bench h1_bench cookie_bench frame_bench data_path_bench client_hello_bench)
    build_targets "${targets[@]}"
    out=$root/bench/results/micro.txt
    mkdir -p "$(dirname "$out")"
    : >"$out"
    for t in "${targets[@]}"; do
      bin=$(find "$build/bench" "$build/bin" -maxdepth 1 -type f -name "$t" 2>/dev/null | head -1)
      [ -n "$bin" ] || { log "$t not built (Google Benchmark missing?)"; continue; }
      log "$t"
      "$bin" --benchmark_min_time=0.2 2>&1 | tee -a "$out"
    done
    ;;
  rss)
    build_targets rss_flat
    "$build/bin/rss_flat"
    ;;
  profile)
    install_node_peers
    build_targets wraith rusage_run
    python3 "$root/bench/profile.py" --root "$root" --build "$build" --out "$root/bench/results/profile.md"
    ;;
  table)
    install_node_peers
    build_targets wraith rusage_run curl_multi_bench rss_flat handshake_rate
    log "rss_flat"
    rss=$("$build/bin/rss_flat" 2>&1) || log "rss_flat failed"
    python3 "$root/bench/harness.py" --root "$root" --build "$build" --runs "$runs" \
      --out "$out" --node-peers "$node_peers" --rss-flat "$rss" "${extra[@]}"
    ;;
esac
