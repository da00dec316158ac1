#!/usr/bin/env python3
"""Table of a bench/kafka-bench.sh invocation: one row per run, in the order run, then medians per variant.

usage: bench/kafka-report.py OUT       (OUT: the invocation's results directory)
"""
import json
import os
import statistics
import sys

out = sys.argv[1]
clk = os.sysconf("SC_CLK_TCK")


def read_snapshot(path):
    snap = {"pids": {}, "threads": {}}
    for line in open(path):
        f = line.split()
        if f[0] == "drained":
            snap["drained"] = f[1] == "yes"
            snap["accepted"], snap["delivered"], snap["dead"] = f[3], f[5], f[7]
        elif f[0] == "pid":
            snap["pids"][f[1]] = (int(f[3]), int(f[4]), int(f[5]))
        elif f[0] == "thread":
            snap["threads"][(f[1], f[2])] = int(f[3])
        elif f[0] == "box":
            snap["steal"], snap["total"], snap["idle"] = int(f[1]), int(f[2]), int(f[3])
    return snap


def last_json(path):
    lines = [l for l in open(path).read().splitlines() if l.strip()]
    return json.loads(lines[-1])


def run(name):
    d = os.path.join(out, name)
    setup = dict(kv.split("=") for kv in open(os.path.join(d, "setup")).read().split())
    gens = sorted(f for f in os.listdir(d) if f.startswith("loadgen-") and f.endswith(".json"))
    lg = [last_json(os.path.join(d, f)) for f in gens]
    s0 = read_snapshot(os.path.join(d, "start.cpu"))
    s1 = read_snapshot(os.path.join(d, "end.cpu"))
    packets = sum(g["packets_accepted"] for g in lg)
    per_packet = lambda ticks: ticks * 1e6 / clk / max(1, packets)

    def cpu(prefix, column=0):
        return sum(s1["pids"][r][column] - s0["pids"][r][column] for r in s1["pids"] if r.startswith(prefix))

    box_ticks = s1["total"] - s0["total"]
    busy = box_ticks - (s1["idle"] - s0["idle"])
    ours = cpu("distributor") + cpu("broker") + cpu("analyzers")
    analyzer_msgs = sum(json.loads(l)["messages"] for l in open(os.path.join(d, "analyzers.json")) if l.strip())
    stats = [json.load(open(os.path.join(d, f))) for f in sorted(os.listdir(d)) if f.startswith("stats-")]
    sent_msgs = sum(g["total_messages_accepted"] for g in lg)
    warmup_rejected = {}
    for st in stats:
        for k, v in st["totals"]["rejected_by_reason"].items():
            warmup_rejected[k] = warmup_rejected.get(k, 0) + v
    threads = {}
    for key, t in s1["threads"].items():
        if key[0].startswith(("distributor", "broker")):
            role = "broker" if key[0] == "broker" else "distributor"
            threads[(role, key[1])] = threads.get((role, key[1]), 0) + per_packet(t - s0["threads"].get(key, 0))
    statuses = {}
    for g in lg:
        for k, v in g["status"].items():
            statuses[k] = statuses.get(k, 0) + v
    errors = sum(sum(g["errors"].values()) for g in lg)
    return {
        "name": name,
        "variant": name.rsplit("-r", 1)[0],
        "store": setup["store"],
        "replicas": int(setup["replicas"]),
        "generators": int(setup["generators"]),
        "packets": packets,
        # generators started together (kafka-snapshot.sh's barrier): the slower one's time is the phase's
        "rate": packets / max(g["elapsed_s"] for g in lg),
        "rate_sum": sum(g["packets_per_s"] for g in lg),
        "p50": [g["latency_ms"]["p50"] for g in lg],
        "p99": [g["latency_ms"]["p99"] for g in lg],
        "dist": per_packet(cpu("distributor")),
        "dist_jit": per_packet(cpu("distributor", 1)),
        "broker": per_packet(cpu("broker")) if "broker" in s1["pids"] else None,
        "broker_jit": per_packet(cpu("broker", 1)) if "broker" in s1["pids"] else None,
        "analyzers": per_packet(cpu("analyzers")),
        "rest": per_packet(busy - ours),
        "busy_pct": busy * 100 / max(1, box_ticks),
        "steal_pct": (s1["steal"] - s0["steal"]) * 100 / max(1, box_ticks),
        "rss_dist": max(v[2] for r, v in s1["pids"].items() if r.startswith("distributor")) / 1024,
        "rss_broker": s1["pids"]["broker"][2] / 1024 if "broker" in s1["pids"] else None,
        "drained": s0["drained"] and s1["drained"],
        "accepted_dist": sum(s["totals"]["accepted"] for s in stats),
        "delivered_dist": sum(s["totals"]["delivered"] for s in stats),
        "dead": sum(s["totals"]["dead_lettered"] for s in stats),
        # the measured phase is all 202 (checked below), so any refusal the replicas counted was in the warm-up
        "warmup_rejected": warmup_rejected,
        "threads": threads,
        "msgs_sent": sent_msgs,
        "msgs_analyzers": analyzer_msgs,
        "status": statuses,
        "errors": errors,
    }


names = [n for n in sorted(os.listdir(out), key=lambda n: os.path.getmtime(os.path.join(out, n)))
         if os.path.isfile(os.path.join(out, n, "end.cpu"))]
runs = []
for n in names:
    try:
        runs.append(run(n))
    except (OSError, KeyError, ValueError) as e:
        print(f"{n}: incomplete ({e})")

fmt = lambda v, spec=".0f": "-" if v is None else format(v, spec)
print("| run | store | replicas | generators | packets/s | distributor µs/packet (JIT) | broker µs/packet (JIT) | "
      "sum µs/packet | analyzers µs/packet | rest of box µs/packet | box busy % | steal % | p50 ms | p99 ms | "
      "RSS MiB dist / broker | delivered = accepted |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
for r in runs:
    total = r["dist"] + (r["broker"] or 0)
    check = (r["drained"] and r["delivered_dist"] == r["accepted_dist"]
             and r["msgs_sent"] == r["msgs_analyzers"] and r["dead"] == 0 and r["errors"] == 0
             and set(r["status"]) == {"202"})
    detail = (f'{r["delivered_dist"]:,}/{r["accepted_dist"]:,} packets, {r["msgs_analyzers"]:,}/{r["msgs_sent"]:,} messages'
              + (f'; warm-up refused {r["warmup_rejected"]}' if r["warmup_rejected"] else "")
              + ("" if check else f' CHECK: drained={r["drained"]} dead={r["dead"]} errors={r["errors"]} status={r["status"]}'))
    print(f'| {r["name"]} | {r["store"]} | {r["replicas"]} | {r["generators"]} | {r["rate"]:,.0f} | '
          f'{r["dist"]:.0f} ({r["dist_jit"]:.0f}) | '
          + ("-" if r["broker"] is None else f'{r["broker"]:.0f} ({r["broker_jit"]:.0f})') + " | "
          f'{total:.0f} | {r["analyzers"]:.0f} | {r["rest"]:.0f} | {r["busy_pct"]:.0f} | {r["steal_pct"]:.1f} | '
          f'{" / ".join(format(x, ".2f") for x in r["p50"])} | {" / ".join(format(x, ".2f") for x in r["p99"])} | '
          f'{r["rss_dist"]:.0f} / {fmt(r["rss_broker"])} | {"yes" if check else "NO"}: {detail} |')

print()
print("medians per variant (packets/s; CPU µs per packet: distributor, broker, sum; worst generator's p99 ms)")
variants = []
for r in runs:
    if r["variant"] not in variants:
        variants.append(r["variant"])
for v in variants:
    rs = [r for r in runs if r["variant"] == v]
    med = lambda f: statistics.median(f(r) for r in rs)
    broker = med(lambda r: r["broker"] or 0)
    print(f'{v:10} runs {len(rs)}: {med(lambda r: r["rate"]):8,.0f} packets/s  distributor {med(lambda r: r["dist"]):4.0f}  '
          f'broker {broker:4.0f}  sum {med(lambda r: r["dist"] + (r["broker"] or 0)):4.0f}  p99 {med(lambda r: max(r["p99"])):.2f}')
if any(r["threads"] for r in runs):
    print()
    print("CPU µs per packet by thread name, measured phase (distributor threads summed over the replicas; ≥ 3 µs)")
    for r in runs:
        parts = sorted(((v, k) for k, v in r["threads"].items() if v >= 3), reverse=True)
        print(f'{r["name"]:11} ' + ", ".join(f"{k[0][0]}:{k[1]} {v:.0f}" for v, k in parts))
print(f"results: {out}")
