#!/usr/bin/env python3
"""wraith's benchmark harness (called by bench/run.sh, which installs and builds what it needs).

Starts nginx (1 worker, ssl http2, buffered access log) and nghttpd on 127.0.0.1 with their own certificate,
runs every peer on every workload in one run, interleaved (round r runs each cell's clients once), and writes
a markdown table with the median of the rounds. Each client runs under rusage_run, so CPU is user+sys of its
whole process tree and RSS is its peak. A request counts only with status 200 and the exact body length; for
nginx the access log must show the same number of such requests.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SMALL, ONE_MIB, HUNDRED_MIB = 100, 1 << 20, 100 << 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"port {port} never opened")


def sh(cmd):
    try:
        out = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30)
        return (out.stdout + out.stderr).strip()
    except Exception as e:  # a missing tool shows in the environment line instead of stopping the run
        return f"? ({e})"


class Servers:
    def __init__(self, work):
        self.work = work
        www = os.path.join(work, "www")
        os.makedirs(www, exist_ok=True)
        for name, size in (("small", SMALL), ("1m", ONE_MIB), ("100m", HUNDRED_MIB)):
            with open(os.path.join(www, name), "wb") as f:
                f.write(os.urandom(size) if size <= ONE_MIB else os.urandom(ONE_MIB) * (size // ONE_MIB))
        self.key, self.cert = os.path.join(work, "key.pem"), os.path.join(work, "cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", self.key, "-out", self.cert, "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
        self.nginx_port, self.nghttpd_port = free_port(), free_port()
        self.access_log = os.path.join(work, "access.log")
        conf = os.path.join(work, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  log_format bench '$status $body_bytes_sent $server_protocol';
  client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
  uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
  default_type application/octet-stream;
  sendfile on; tcp_nopush on;
  open_file_cache max=16 inactive=60s;
  keepalive_requests 10000000; keepalive_timeout 300s;
  http2_max_concurrent_streams 1024;
  server {{
    listen 127.0.0.1:{self.nginx_port} ssl http2;
    ssl_certificate {self.cert}; ssl_certificate_key {self.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    access_log {self.access_log} bench buffer=256k flush=1s;
    root {www};
  }}
}}
""")
        os.makedirs(os.path.join(work, "tmp"), exist_ok=True)
        self.nginx = subprocess.Popen(["nginx", "-c", conf, "-p", work], stdout=subprocess.DEVNULL,
                                      stderr=open(os.path.join(work, "nginx.stderr"), "w"))
        # nghttpd at its default limit of 100 concurrent streams (enough for W2's 100 in flight). A higher -m
        # makes nghttp2 keep up to that many closed streams in its RFC 7540 priority tree, under which
        # Chrome's chained dependencies sit: at -m 1024 each request then cost the server 17-20 us instead of 4.
        self.nghttpd = subprocess.Popen(["nghttpd", "-d", www, "-a", "127.0.0.1",
                                         str(self.nghttpd_port), self.key, self.cert],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_port(self.nginx_port, self.nginx)
            wait_port(self.nghttpd_port, self.nghttpd)
        except RuntimeError:
            for name in ("nginx.stderr", "error.log"):
                path = os.path.join(work, name)
                if os.path.exists(path):
                    sys.stderr.write(open(path).read())
            self.stop()
            raise
        self.log_offset = 0

    def url(self, server, path):
        port = self.nginx_port if server == "nginx" else self.nghttpd_port
        return f"https://127.0.0.1:{port}/{path}"

    def nginx_log_count(self, expect_bytes):
        """Flushes nginx's buffered log (USR1 = reopen) and counts 200s with the full body since last call."""
        self.nginx.send_signal(signal.SIGUSR1)
        time.sleep(0.3)
        with open(self.access_log, "rb") as f:
            f.seek(self.log_offset)
            data = f.read()
        cut = data.rfind(b"\n") + 1
        self.log_offset += cut
        want = f"200 {expect_bytes} ".encode()
        return sum(1 for line in data[:cut].splitlines() if line.startswith(want))

    def stop(self):
        for p in (self.nginx, self.nghttpd):
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


# Cells: (id, label, server, proto, path, n, concurrency, expected body bytes, unit)
CELLS = [
    ("W1-h2-nginx", "W1 1,000 sequential GETs /small, h2, nginx", "nginx", "h2", "small", 1000, 1, SMALL, "req/s"),
    ("W2-h2-nginx", "W2 10,000 GETs /small x100 in flight, h2, nginx", "nginx", "h2", "small", 10000, 100, SMALL, "req/s"),
    ("W3-h2-nginx", "W3 one 100 MiB download, h2, nginx", "nginx", "h2", "100m", 1, 1, HUNDRED_MIB, "MiB/s"),
    ("W4-h2-nginx", "W4 50 concurrent 1 MiB downloads, h2, nginx", "nginx", "h2", "1m", 50, 50, ONE_MIB, "MiB/s"),
    ("W1-h1-nginx", "W1 1,000 sequential GETs /small, HTTP/1.1, nginx", "nginx", "h1", "small", 1000, 1, SMALL, "req/s"),
    ("W2-h1-nginx", "W2 10,000 GETs /small x100 in flight (100 conns), HTTP/1.1, nginx", "nginx", "h1", "small", 10000, 100, SMALL, "req/s"),
    ("W2-h2-nghttpd", "W2 10,000 GETs /small x100 in flight, h2, nghttpd", "nghttpd", "h2", "small", 10000, 100, SMALL, "req/s"),
    ("W3-h2-nghttpd", "W3 one 100 MiB download, h2, nghttpd", "nghttpd", "h2", "100m", 1, 1, HUNDRED_MIB, "MiB/s"),
    # New connections: TCP + TLS (wraith: the full Chrome hello with the MLKEM key share) + one HTTP/1.1 GET
    # each, sequential; the ratio is to libcurl (h2load has no connection-per-request mode).
    ("H-new-conns", "H 300 new connections (TLS + 1 GET each), nginx", "nginx", "h1", "small", 300, 1, SMALL, "conn/s"),
]
HANDSHAKE_CLIENTS = ["libcurl-multi", "wraith", "wraith-no-resumption"]

CLIENTS = ["h2load", "h2load-chrome-headers", "wraith", "wraith-fixed-priority", "libcurl-multi", "node-http2",
           "wreq-js", "impit"]
# A reference, not a peer: h2load sending the header fields wraith sends (Chrome's navigation set), on the small
# h2 cells. A server spends more per request on those than on h2load's own five, so this row is the rate any
# client sending Chrome's headers could reach, and "wraith / same headers" compares like with like.
SAME_HEADERS = "h2load-chrome-headers"


# A diagnostic, not a peer: wraith with HEADERS priority fixed at depends_on=0 instead of Chrome's chain of open
# streams (profile h2.priority_dependencies "fixed"), on the small h2 cells with streams in flight together: what
# the faithful priority tree costs the server.
FIXED_PRIORITY = "wraith-fixed-priority"


# The download cells (one 100 MiB body, or 50 x 1 MiB) take a fraction of a second per client and swing the most
# between rounds on a 2-core machine (client and server share the cores): they get more rounds, so their
# medians settle. Every cell still gets at least --runs.
DOWNLOAD_ROUNDS = 9


def rounds_for(cell, runs):
    return max(runs, DOWNLOAD_ROUNDS) if cell[8] == "MiB/s" else runs


def applies(cell, client):
    if client == SAME_HEADERS:
        return cell[3] == "h2" and cell[4] == "small"
    if client == FIXED_PRIORITY:
        return cell[3] == "h2" and cell[4] == "small" and cell[6] > 1
    return True


def fixed_priority_profile(args, work):
    """The default profile's JSON with h2.priority_dependencies = "fixed", written into the work directory."""
    profile = json.load(open(os.path.join(args.root, "profiles/chrome156-linux.json")))
    profile["name"] = "chrome156-linux-fixed-priority"
    profile["h2"]["priority_dependencies"] = "fixed"
    path = os.path.join(work, "fixed-priority-profile.json")
    with open(path, "w") as f:
        json.dump(profile, f)
    return path


def wraith_header_fields(args, url):
    """The regular (non-pseudo) fields wraith's first request carries, read from `wraith get -v` itself."""
    out = subprocess.run([os.path.join(args.build, "bin/wraith"), "get", "-v", "-k", "-s", "-o", "/dev/null", url],
                         capture_output=True, text=True, timeout=30).stderr
    fields = []
    for line in out.splitlines():
        if line.startswith("> ") and not line.startswith("> :") and not line.startswith("> [") and ": " in line:
            fields.append(line[2:])
    if not fields:
        raise RuntimeError("wraith get -v showed no request fields: " + out[-300:])
    return fields


def client_command(client, args, url, proto, n, c, expect, cell_id=""):
    if cell_id == "H-new-conns":
        if client == "libcurl-multi":
            return [os.path.join(args.build, "bench/curl_multi_bench"), "--url", url, "--n", str(n), "--concurrency",
                    "1", "--expect-bytes", str(expect), "--fresh", "-k"]
        port = url.split(":")[2].split("/")[0]
        return [os.path.join(args.build, "bin/handshake_rate"), "--port", port, "--n", str(n), "--path", "/small"] + \
            (["--full"] if client == "wraith-no-resumption" else [])
    node = ["node", os.path.join(args.root, "bench/peers/node/client.mjs")]
    h1 = proto == "h1"
    if client == SAME_HEADERS:
        headers = [a for f in args.chrome_fields for a in ("-H", f)]
        return ["h2load", "-n", str(n), "-c", "1", "-m", str(c)] + headers + [url]
    if client == "h2load":
        if h1:
            return ["h2load", "--h1", "-n", str(n), "-c", str(c), "-m", "1", url]
        return ["h2load", "-n", str(n), "-c", "1", "-m", str(c), url]
    if client in ("wraith", FIXED_PRIORITY):
        return [os.path.join(args.build, "bin/wraith"), "bench", "--url", url, "--n", str(n), "--concurrency", str(c),
                "--proto", proto, "-k"] + (["--profile-file", args.fixed_profile] if client == FIXED_PRIORITY else [])
    if client == "libcurl-multi":
        return [os.path.join(args.build, "bench/curl_multi_bench"), "--url", url, "--n", str(n), "--concurrency",
                str(c), "--expect-bytes", str(expect), "-k"] + (["--h1"] if h1 else [])
    lib = {"node-http2": "node", "wreq-js": "wreq", "impit": "impit"}[client]
    return node + ["--lib", lib, "--url", url, "--n", str(n), "--concurrency", str(c),
                   "--expect-bytes", str(expect)] + (["--h1"] if h1 else [])


def parse_h2load(out, n, expect):
    m = re.search(r"finished in ([\d.]+)(us|ms|s),", out)
    if not m:
        raise ValueError("no 'finished in' line")
    loop_s = float(m.group(1)) / {"us": 1e6, "ms": 1e3, "s": 1}[m.group(2)]
    ok2xx = int(re.search(r"status codes: (\d+) 2xx", out).group(1))
    done = int(re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded", out).group(2))
    data = int(re.search(r"traffic: .* \((\d+)\) data", out).group(1))
    ok = min(ok2xx, done)
    # h2load counts bytes but does not check each body; all bodies together must add up exactly.
    if data != ok * expect:
        return {"ok": 0, "errors": n, "bytes": data, "loop_s": loop_s,
                "note": f"h2load data {data} != {ok} x {expect}"}
    return {"ok": ok, "errors": n - ok, "bytes": data, "loop_s": loop_s}


def last_json(out):
    for line in reversed(out.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line")


def run_one(args, servers, cell, client):
    cid, _, server, proto, path, n, c, expect, _ = cell
    if client == "impit" and proto == "h1":
        return {"skip": "impit cannot be forced to HTTP/1.1"}
    if client in ("wreq-js", "impit") and not args.node_peers.get(client, False):
        return {"skip": args.node_peers.get(client + "_why", "not installed")}
    url = servers.url(server, path)
    cmd = client_command(client, args, url, proto, n, c, expect, cid)
    ru_file = os.path.join(servers.work, "rusage.json")
    if os.path.exists(ru_file):
        os.unlink(ru_file)
    if server == "nginx":
        servers.nginx_log_count(expect)  # drop whatever an earlier run left
    try:
        p = subprocess.run([args.rusage_run, ru_file] + cmd, capture_output=True, text=True, timeout=args.timeout,
                           cwd=os.path.join(args.root, "bench/peers/node"))
        out = p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return {"ok": 0, "errors": n, "note": f"timeout after {args.timeout}s"}
    try:
        r = parse_h2load(out, n, expect) if client.startswith("h2load") else last_json(out)
    except Exception as e:
        return {"ok": 0, "errors": n, "note": f"unparsable output ({e}): {out[-300:]!r}"}
    ru = json.load(open(ru_file)) if os.path.exists(ru_file) else {}
    r["cpu_us"] = ru.get("user_us", 0) + ru.get("sys_us", 0)
    r["maxrss_kb"] = ru.get("maxrss_kb", 0)
    # wraith bench checks Content-Length per response; the total must also be exactly ok x expected.
    if r.get("ok", 0) and r.get("bytes", 0) != r["ok"] * expect:
        r["note"] = f"bytes {r.get('bytes')} != {r['ok']} x {expect}"
        r["errors"] = n
        r["ok"] = 0
    if r.get("setup_error"):
        r["note"] = r["setup_error"]
    if server == "nginx":
        logged = servers.nginx_log_count(expect)
        r["server_log"] = logged
        if logged < r.get("ok", 0):
            r["note"] = f"nginx logged {logged} full 200s, client claims {r['ok']}"
            r["ok"] = logged
    r["valid"] = r.get("ok", 0) == n
    r["rate"] = (r["ok"] / r["loop_s"] if cell[8] != "MiB/s" else r["ok"] * expect / (1 << 20) / r["loop_s"]) \
        if r.get("loop_s") and r["valid"] else 0.0
    if not r["valid"] and "note" not in r:
        r["note"] = f"{r.get('ok', 0)}/{n} ok; " + " ".join(out.strip().splitlines()[-3:])[:200]
    return r


def fmt_rate(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"


def summarize(cell, runs):
    valid = [r for r in runs if r.get("valid")]
    if not valid:
        skip = next((r["skip"] for r in runs if "skip" in r), None)
        note = skip or next((r.get("note") for r in runs if r.get("note")), "failed")
        return None, note
    n = cell[5]
    return {
        "rate": statistics.median(r["rate"] for r in valid),
        "best": max(r["rate"] for r in valid),
        "cpu_us_per_req": statistics.median(r["cpu_us"] / n for r in valid),
        "rss_mb": statistics.median(r["maxrss_kb"] for r in valid) / 1024,
        "valid_runs": len(valid),
        "runs": len(runs),
        "server_log": [r.get("server_log") for r in valid],
    }, None


def environment(args):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    def pkg(name):
        try:
            return json.load(open(os.path.join(args.root, f"bench/peers/node/node_modules/{name}/package.json")))["version"]
        except Exception:
            return "not installed"
    versions = {
        "nginx": sh("nginx -v").replace("nginx version: ", ""),
        "nghttpd": sh("nghttpd --version"),
        "h2load": sh("h2load --version"),
        "libcurl": sh("curl-config --version") + " (" + sh("curl --version | head -1 | cut -d' ' -f3-") + ")",
        "node": sh("node --version"),
        "wreq-js": pkg("wreq-js"),
        "impit": pkg("impit"),
        "wraith": sh(f"git -C {args.root} rev-parse --short HEAD"),
    }
    return cpu, versions


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", required=True)
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--cells", default="", help="comma-separated cell ids (default: all)")
    ap.add_argument("--clients", default="", help="comma-separated clients (default: all)")
    ap.add_argument("--node-peers", default="{}", help="JSON: which npm peers installed, and why not")
    ap.add_argument("--rss-flat", default="", help="output of bench/rss_flat to add to the report")
    args = ap.parse_args()
    args.node_peers = json.loads(args.node_peers)
    args.root, args.build = os.path.abspath(args.root), os.path.abspath(args.build)
    args.rusage_run = os.path.join(args.build, "bench/rusage_run")
    cells = [c for c in CELLS if not args.cells or c[0] in args.cells.split(",")]
    clients = [c for c in CLIENTS if not args.clients or c in args.clients.split(",")]

    cpu, versions = environment(args)
    load_before = open("/proc/loadavg").read().split()[:3]
    started = time.time()
    work = tempfile.mkdtemp(prefix="wraith-bench-")
    os.chmod(work, 0o755)  # nginx's worker drops root privileges and must read the files
    servers = Servers(work)
    args.chrome_fields = wraith_header_fields(args, servers.url("nginx", "small")) if SAME_HEADERS in clients else []
    args.fixed_profile = fixed_priority_profile(args, work)
    def cell_clients(cell):
        if cell[0] == "H-new-conns":
            return [c for c in HANDSHAKE_CLIENTS if not args.clients or c.split("-no-")[0] in clients]
        return [c for c in clients if applies(cell, c)]
    results = {c[0]: {k: [] for k in cell_clients(c)} for c in cells}
    try:
        for rnd in range(max(rounds_for(cell, args.runs) for cell in cells)):
            for cell in cells:
                if rnd >= rounds_for(cell, args.runs):
                    continue
                for client in cell_clients(cell):
                    r = run_one(args, servers, cell, client)
                    results[cell[0]][client].append(r)
                    state = "skip" if "skip" in r else ("ok" if r.get("valid") else "FAIL " + r.get("note", ""))
                    print(f"[bench] round {rnd + 1}/{rounds_for(cell, args.runs)} {cell[0]:14} {client:14} "
                          f"{fmt_rate(r.get('rate', 0)):>10} {cell[8]}  {state}", file=sys.stderr, flush=True)
    finally:
        servers.stop()
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.time() - started
    load_after = open("/proc/loadavg").read().split()[:3]

    lines = ["# wraith benchmark results", ""]
    lines.append(f"Environment: CPU {cpu} x{os.cpu_count()}, kernel {os.uname().release}, load average "
                 f"{' '.join(load_before)} before / {' '.join(load_after)} after; "
                 + "; ".join(f"{k} {v}" for k, v in versions.items()) + ".")
    lines.append("")
    lines.append(f"One run of `bench/run.sh` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}, "
                 f"{elapsed / 60:.1f} min): every cell is the median of {args.runs} rounds "
                 f"({max(args.runs, DOWNLOAD_ROUNDS)} for the download cells, whose rates swing most), clients interleaved "
                 "within each round; x h2load = median of the per-round ratios to h2load. Servers on 127.0.0.1, TLS (nginx 1 worker; nghttpd 1 thread). "
                 "Rate = valid requests / the client's own loop time (connect + TLS included, process start-up "
                 "not). CPU = user+sys of the client's process tree (getrusage RUSAGE_CHILDREN) divided by the "
                 "requests, start-up included (it is far less noisy than the rates on a shared machine). "
                 "RSS = peak resident set. A run counts only if every request had "
                 "status 200 and the exact body length, and (nginx) the access log shows as many such 200s.")
    lines.append("")
    lines.append("| workload | client | rate (median) | x h2load (H: x libcurl) | best round | CPU us/req | peak RSS MB | valid runs | note |")
    lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    summary = {}
    for cell in cells:
        ref = "libcurl-multi" if cell[0] == "H-new-conns" else "h2load"
        for client in cell_clients(cell):
            s, note = summarize(cell, results[cell[0]][client])
            summary.setdefault(cell[0], {})[client] = s or {"note": note}
            if s is None:
                lines.append(f"| {cell[1]} | {client} | - | - | - | - | - | 0/{rounds_for(cell, args.runs)} | {note} |")
                continue
            # Per-round ratios (both clients measured minutes apart at most), then their median.
            pairs = [(r, b) for r, b in zip(results[cell[0]][client], results[cell[0]].get(ref, []))
                     if r.get("valid") and b.get("valid") and b.get("rate")]
            ratio = f"{statistics.median(r['rate'] / b['rate'] for r, b in pairs):.2f}x" if pairs else "-"
            s["ratio"] = statistics.median(r["rate"] / b["rate"] for r, b in pairs) if pairs else None
            extra = [r.get("note") for r in results[cell[0]][client] if r.get("note")]
            lines.append(f"| {cell[1]} | {client} | {fmt_rate(s['rate'])} {cell[8]} | {ratio} | {fmt_rate(s['best'])} | "
                         f"{s['cpu_us_per_req']:,.1f} | {s['rss_mb']:.1f} | {s['valid_runs']}/{s['runs']} | "
                         f"{'; '.join(extra)[:160]} |")
    # Like-for-like ratios (median of the per-round ratios) against the two reference rows.
    comparisons = [
        (SAME_HEADERS, "ratio_same_headers", f"wraith against h2load sending the same header fields ({SAME_HEADERS})",
         "The fields are read from `wraith get -v` (Chrome's navigation set).", "wraith / same-headers h2load"),
        (FIXED_PRIORITY, "ratio_fixed_priority", f"What Chrome's HEADERS priority chain costs ({FIXED_PRIORITY})",
         "wraith as shipped (each stream depends on the newest open one, as Chromium does) against the same client "
         "with every stream depending on stream 0: the difference is the server's priority-tree work.",
         "wraith / wraith-fixed-priority"),
    ]
    for other, key, title, text, column in comparisons:
        rows = []
        for cell in cells:
            ours, theirs = results[cell[0]].get("wraith", []), results[cell[0]].get(other, [])
            pairs = [(a, b) for a, b in zip(ours, theirs) if a.get("valid") and b.get("valid") and b.get("rate")]
            if pairs:
                ratio = statistics.median(a["rate"] / b["rate"] for a, b in pairs)
                summary[cell[0]]["wraith"][key] = ratio
                rows.append(f"| {cell[1]} | {ratio:.2f}x | {len(pairs)} |")
        if rows:
            lines += ["", f"## {title}", "", text, "", f"| workload | {column} | rounds |", "| --- | ---: | ---: |"] + rows
    if args.rss_flat:
        lines += ["", "## RSS over 100,000 requests on one h2 connection (bench/rss_flat, nghttpd)", "", "```",
                  args.rss_flat.strip(), "```"]
    lines.append("")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(lines))
    with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump({"environment": {"cpu": cpu, "load_before": load_before, "load_after": load_after,
                                   "versions": versions}, "summary": summary, "runs": results}, f, indent=1)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
