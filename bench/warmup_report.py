#!/usr/bin/env python3
"""Turns the samples of bench/warmup.sh into warm-up figures: for each system under test (a fresh process), the
rate and CPU per packet of successive slices of SLICE packets from its first packet, its steady state (the last
STEADY packets of the run), the packets and seconds until it reaches 90 % of that steady rate, and the first
FIRST packets; then the ratios to nginx in the same run. Prints tables and writes summary.json.

usage: warmup_report.py OUTDIR CLK_TCK SLICE STEADY FIRST LABEL...
"""
import json
import os
import sys

out, clk = sys.argv[1], int(sys.argv[2])
slice_n, steady_n, first_n = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
labels = sys.argv[6:]
REACH = 0.9      # fraction of the steady rate
HOLD = 3         # slices in a row at or above it, so that one fast slice does not count as reached


def samples(label):
    rows = []
    with open(os.path.join(out, label, "samples.txt")) as f:
        for line in f:
            t, *v = line.split()
            rows.append((float(t), *(int(x) for x in v)))
    base = rows[0]
    return [tuple(x - b for x, b in zip(r, base)) for r in rows]


def at(rows, packets):
    """(seconds, cpu, jit, other, steal, all ticks) when the analyzers' count reached `packets`, interpolated."""
    if packets == 0:
        return tuple(rows[0][i] for i in (0, 3, 4, 5, 6, 7))
    for a, b in zip(rows, rows[1:]):
        if b[1] >= packets > a[1]:
            f = (packets - a[1]) / (b[1] - a[1])
            return tuple(a[i] + f * (b[i] - a[i]) for i in (0, 3, 4, 5, 6, 7))
    return None


def window(rows, lo, hi):
    a, b = at(rows, lo), at(rows, hi)
    if a is None or b is None or b[0] <= a[0]:
        return None
    n = hi - lo
    return {"packets": n, "seconds": b[0] - a[0], "rate": n / (b[0] - a[0]),
            "cpu_us": (b[1] - a[1]) * 1e6 / clk / n, "jit_us": max(0.0, (b[2] - a[2]) * 1e6 / clk / n),
            # CPU of the box taken by processes outside the benchmark, and by the hypervisor, in % of the box
            "other_pct": 100 * (b[3] - a[3]) / max(1, b[5] - a[5]), "steal_pct": 100 * (b[4] - a[4]) / max(1, b[5] - a[5])}


def analyse(label):
    rows = samples(label)
    meta = json.load(open(os.path.join(out, label, "meta.json")))
    total = rows[-1][1]
    slices = []
    k = 0
    while (k + 1) * slice_n <= total:
        w = window(rows, k * slice_n, (k + 1) * slice_n)
        if w is None:
            break
        w["from"] = k * slice_n
        w["t_end"] = at(rows, (k + 1) * slice_n)[0]
        slices.append(w)
        k += 1
    end = len(slices) * slice_n
    steady = window(rows, max(0, end - steady_n), end)
    first = window(rows, 0, first_n)
    reached = None
    for i in range(len(slices)):
        run = slices[i:i + HOLD]
        if len(run) == HOLD and all(s["rate"] >= REACH * steady["rate"] for s in run):
            start = at(rows, slices[i]["from"])
            reached = {"packets": slices[i]["from"], "seconds": start[0],
                       "seconds_from_launch": start[0] + meta.get("startup_s", 0),
                       "cpu_s": start[1] / clk}
            break
    # the same by CPU per packet, which foreign load on the box disturbs less than the rate: the point from which
    # a packet costs at most steady / 0.9
    reached_cpu = None
    for i in range(len(slices)):
        run = slices[i:i + HOLD]
        if len(run) == HOLD and all(s["cpu_us"] * REACH <= steady["cpu_us"] for s in run):
            start = at(rows, slices[i]["from"])
            reached_cpu = {"packets": slices[i]["from"], "seconds": start[0], "cpu_s": start[1] / clk}
            break
    return {"label": label, "meta": meta, "packets": total, "slices": slices, "steady": steady, "first": first,
            "reached_90": reached, "reached_90_cpu": reached_cpu}


def fmt_row(s, ref=None):
    cells = [f'{s["from"]:>9,}-{s["from"] + s["packets"]:<9,}', f'{s["t_end"]:7.1f}', f'{s["rate"]:9,.0f}',
             f'{s["cpu_us"]:7.0f}', f'{s["jit_us"]:5.0f}', f'{s["other_pct"]:5.0f}']
    return cells


results = {label: analyse(label) for label in labels}
nginx = results.get("nginx")
for label, r in results.items():
    m = r["meta"]
    print(f'\n== {label}: {m.get("command", "")}')
    lg = json.loads(open(os.path.join(out, label, "loadgen.json")).read().splitlines()[-1])
    r["status"] = lg["status"]
    print(f'   answers: {" ".join(f"{k}: {v:,}" for k, v in lg["status"].items())}'
          + (f', errors {lg["errors"]}' if lg["errors"] else ""))
    if "startup_s" in m:
        print(f'   launch to healthy {m["startup_s"]:.1f} s, {m["startup_cpu_s"]:.1f} s of CPU')
    print(f'   {"packets":<19} {"t end s":>7} {"pkts/s":>9} {"CPU us":>7} {"JIT":>5} {"other":>5} {"x steady":>8}'
          + (f' {"x nginx pkts/s":>14} {"x nginx CPU":>11} (nginx: its steady state)' if nginx and label != "nginx" else ""))
    for i, s in enumerate(r["slices"]):
        line = " ".join(fmt_row(s)) + f' {s["rate"] / r["steady"]["rate"]:8.2f}'
        if nginx and label != "nginx":
            n = nginx["steady"]
            line += f' {s["rate"] / n["rate"]:14.2f} {s["cpu_us"] / n["cpu_us"]:11.2f}'
        print("   " + line)
    st, fi, re = r["steady"], r["first"], r["reached_90"]
    whole = window(samples(label), 0, r["packets"])
    r["other_pct"], r["steal_pct"] = whole["other_pct"], whole["steal_pct"]
    print(f'   steady (last {st["packets"]:,}): {st["rate"]:,.0f} packets/s, {st["cpu_us"]:.0f} us CPU/packet '
          f'({st["jit_us"]:.0f} JIT)')
    print(f'   box during the run: {whole["other_pct"]:.1f} % taken by processes outside the benchmark'
          f'{" (SPOILT: more than 5 %)" if whole["other_pct"] > 5 else ""}, {whole["steal_pct"]:.1f} % steal')
    if fi:
        print(f'   first {fi["packets"]:,}: {fi["rate"]:,.0f} packets/s, {fi["cpu_us"]:.0f} us CPU/packet '
              f'({fi["jit_us"]:.0f} JIT), {fi["seconds"]:.1f} s')
    if re:
        print(f'   90 % of steady reached after {re["packets"]:,} packets, {re["seconds"]:.1f} s from the first packet'
              f' ({re["seconds_from_launch"]:.1f} s from launch, {re["cpu_s"]:.1f} s of CPU)')
    else:
        print("   90 % of steady not reached (held for 3 slices)")
    rc = r["reached_90_cpu"]
    if rc:
        print(f'   CPU per packet within steady/0.9 after {rc["packets"]:,} packets, {rc["seconds"]:.1f} s, {rc["cpu_s"]:.1f} s of CPU')
    if nginx and label != "nginx":
        # nginx has no warm-up: its steady state is the reference for both (its own first packets only add noise)
        ns = nginx["steady"]
        r["vs_nginx"] = {
            "first_rate_x": fi["rate"] / ns["rate"], "first_cpu_x": fi["cpu_us"] / ns["cpu_us"],
            "steady_rate_x": st["rate"] / ns["rate"], "steady_cpu_x": st["cpu_us"] / ns["cpu_us"]}
        v = r["vs_nginx"]
        print(f'   vs nginx (its steady state): first {first_n:,} {v["first_rate_x"]:.2f}x packets/s, '
              f'{v["first_cpu_x"]:.2f}x CPU/packet; steady {v["steady_rate_x"]:.2f}x packets/s, '
              f'{v["steady_cpu_x"]:.2f}x CPU/packet')
json.dump(results, open(os.path.join(out, "summary.json"), "w"), indent=1)
print(f"\nresults: {out}")
