#!/usr/bin/env python3
"""Profiles `wraith bench` on W2 (10,000 GETs of /small, 100 in flight, h2, the harness's nginx) with
valgrind --tool=callgrind: instruction counts repeat on a noisy machine, unlike time. Writes the top functions
by inclusive cost (with file:line of each function's definition) and the totals to --out.
(`perf stat -e instructions` is checked first and its result reported: inside this VM the PMU is not exposed.)
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def symbol_lines(binary):
    """Demangled function name -> file:line of its definition, from the binary's debug info."""
    out = subprocess.run(["nm", "-C", "-l", "--defined-only", binary], capture_output=True, text=True).stdout
    table = {}
    for line in out.splitlines():
        m = re.match(r"[0-9a-f]+ [tTwW] (.*)\t(\S+:\d+)$", line)
        if m:
            table.setdefault(m.group(1).strip(), m.group(2))
    return table


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    wraith = os.path.join(args.build, "bin/wraith")
    perf = subprocess.run(["perf", "stat", "-e", "instructions", "true"], capture_output=True, text=True)
    perf_line = next((l.strip() for l in perf.stderr.splitlines() if "instructions" in l), perf.stderr.strip()[:200])

    work = tempfile.mkdtemp(prefix="wraith-profile-")
    os.chmod(work, 0o755)
    servers = harness.Servers(work)
    cg = os.path.join(work, "callgrind.out")
    try:
        url = servers.url("nginx", "small")
        run = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}", wraith, "bench",
                              "--url", url, "--n", str(args.n), "--concurrency", "100", "--proto", "h2", "-k"],
                             capture_output=True, text=True, timeout=1200)
        bench_json = harness.last_json(run.stdout)
        annotate = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", cg],
                                  capture_output=True, text=True).stdout
        exclusive = subprocess.run(["callgrind_annotate", "--threshold=100", cg],
                                   capture_output=True, text=True).stdout
        callers = subprocess.run(["callgrind_annotate", "--tree=caller", "--inclusive=yes", "--threshold=100", cg],
                                 capture_output=True, text=True).stdout
    finally:
        servers.stop()
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    lines = symbol_lines(wraith)

    def callers_of(text, target, n):
        """(calls, Ir, caller) rows for the callers of `target`, from a --tree=caller listing."""
        block, rows = [], []
        for line in text.splitlines():
            if not line.strip():
                block = []
                continue
            m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+([<*])\s+(\S.*?):(.*?)(?: \(([\d,]+)x\))?(?: \[.*\])?$", line)
            if not m:
                continue
            if m.group(2) == "<":
                block.append((int((m.group(5) or "0").replace(",", "")), m.group(1), m.group(4).strip()))
            elif m.group(4).strip() == target and not rows:  # the first block is the whole-program one
                rows = sorted(block, key=lambda r: -r[0])[:n]
        return rows

    def top(text, n, only=None):
        total = re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", text)
        rows = []
        for line in text.splitlines():
            m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S.*?):(.*?)(?: \[(.*)\])?$", line)
            if not m or "PROGRAM TOTALS" in line:
                continue
            ir, pct, file, func = m.group(1), m.group(2), m.group(3), m.group(4).strip()
            if only and not only(func):
                continue
            if any(r[2] == func for r in rows):  # a recursive cycle lists a function twice
                continue
            where = lines.get(func)
            if not where:
                base = re.sub(r"\(.*", "", func)
                where = next((v for k, v in lines.items() if re.sub(r"\(.*", "", k) == base), file)
            rows.append((ir, pct, func, where))
            if len(rows) >= n:
                break
        return (total.group(1) if total else "?"), rows

    total, inclusive_rows = top(annotate, args.top)
    _, own_rows = top(annotate, args.top, lambda f: f.startswith("wraith::") or "wraith::" in f.split("(")[0])
    _, exclusive_rows = top(exclusive, args.top)
    new_callers = callers_of(callers, "operator new(unsigned long)", 15)
    frame_callers = callers_of(callers, "asio::detail::awaitable_frame_base<asio::any_io_executor>::operator new(unsigned long)", 12)
    per_req = int(total.replace(",", "")) / max(1, bench_json.get("ok", 1)) if total != "?" else 0
    out = ["# Profile: wraith bench W2 (h2, nginx, 10,000 GETs of /small, 100 in flight) under callgrind", "",
           f"`perf stat -e instructions true`: {perf_line}", "",
           f"wraith bench result under callgrind: {bench_json}", "",
           f"Program total: {total} instructions ({per_req:,.0f} per request, TLS handshake and start-up included).",
           "", f"## Top {args.top} by inclusive cost", "",
           "| Ir | % | function | defined at |", "| ---: | ---: | --- | --- |"]
    out += [f"| {ir} | {pct} | `{func[:140]}` | {where} |" for ir, pct, func, where in inclusive_rows]
    out += ["", f"## Top {args.top} wraith functions by inclusive cost (the event loop and asio frames left out)", "",
            "| Ir | % | function | defined at |", "| ---: | ---: | --- | --- |"]
    out += [f"| {ir} | {pct} | `{func[:140]}` | {where} |" for ir, pct, func, where in own_rows]
    ok = max(1, bench_json.get("ok", 1))
    for title, rows in (("operator new(unsigned long)", new_callers),
                        ("asio's coroutine frame allocator (awaitable_frame_base::operator new)", frame_callers)):
        out += ["", f"## Callers of {title} (calls per request over the run)", "",
                "| calls | per request | Ir incl. | caller | defined at |", "| ---: | ---: | ---: | --- | --- |"]
        out += [f"| {calls:,} | {calls / ok:.1f} | {ir} | `{func[:120]}` | {lines.get(func, '')} |"
                for calls, ir, func in rows]
    out += ["", f"## Top {args.top} by exclusive (self) cost", "",
            "| Ir | % | function | defined at |", "| ---: | ---: | --- | --- |"]
    out += [f"| {ir} | {pct} | `{func[:140]}` | {where} |" for ir, pct, func, where in exclusive_rows]
    out.append("")
    out = [line.replace(args.root.rstrip("/") + "/", "") for line in out]  # repo-relative paths
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(out))
    print("\n".join(out))


if __name__ == "__main__":
    main()
