#!/usr/bin/env python3
"""Puts the runs of several bench/warmup.sh invocations side by side, one line per cold start, grouped by label
(a repeat's ".2" suffix dropped), with each group's median: the A/B view of the levers. Ratios are to the
steady state of the nginx of the same invocation.

usage: warmup_ab.py RESULTDIR...
"""
import json
import os
import statistics
import sys

groups = {}
for d in sys.argv[1:]:
    summary = json.load(open(os.path.join(d, "summary.json")))
    for label, r in summary.items():
        groups.setdefault(label.split(".")[0], []).append((os.path.basename(d.rstrip("/")), r))

cols = [
    ("ready s", lambda r: r["meta"].get("startup_s")),
    ("first pkts/s", lambda r: r["first"]["rate"]),
    ("first us", lambda r: r["first"]["cpu_us"]),
    ("first xngx", lambda r: r.get("vs_nginx", {}).get("first_rate_x")),
    ("first xCPU", lambda r: r.get("vs_nginx", {}).get("first_cpu_x")),
    ("90% pkts", lambda r: r["reached_90"]["packets"] if r["reached_90"] else None),
    ("90% s", lambda r: r["reached_90"]["seconds"] if r["reached_90"] else None),
    ("90% s launch", lambda r: r["reached_90"]["seconds_from_launch"] if r["reached_90"] else None),
    ("90%CPU pkts", lambda r: r["reached_90_cpu"]["packets"] if r.get("reached_90_cpu") else None),
    ("90%CPU cpu s", lambda r: r["reached_90_cpu"]["cpu_s"] if r.get("reached_90_cpu") else None),
    ("steady pkts/s", lambda r: r["steady"]["rate"]),
    ("steady us", lambda r: r["steady"]["cpu_us"]),
    ("steady xngx", lambda r: r.get("vs_nginx", {}).get("steady_rate_x")),
    ("steady xCPU", lambda r: r.get("vs_nginx", {}).get("steady_cpu_x")),
    ("other %", lambda r: r.get("other_pct")),
]


def cell(v):
    if v is None:
        return f'{"-":>13}'
    return f"{v:>13,.0f}" if abs(v) >= 100 else f"{v:>13.2f}"


print(f'{"label":<12} {"run":<14}' + "".join(f"{c:>13}" for c, _ in cols))
for label, runs in groups.items():
    for run, r in runs:
        print(f"{label:<12} {run:<14}" + "".join(cell(f(r)) for _, f in cols))
    if len(runs) > 1:
        med = []
        for _, f in cols:
            vals = [f(r) for _, r in runs if f(r) is not None]
            med.append(statistics.median(vals) if vals else None)
        print(f'{label:<12} {"median":<14}' + "".join(cell(v) for v in med))
    print()
