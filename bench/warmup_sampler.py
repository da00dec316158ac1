#!/usr/bin/env python3
"""Used by bench/warmup.sh: from the moment a cold system under test takes its first packet, samples every
INTERVAL seconds the packets and messages the demo analyzers have received (their /stats, summed) and the CPU
clock ticks of the system's processes (utime + stime from /proc, and the part spent in JIT compiler threads).
Writes one line per sample, "seconds packets messages cpu_ticks jit_ticks other_ticks steal_ticks all_ticks", to
OUTFILE until STOPFILE appears or a process ends. other_ticks is the machine's busy time less that of the system
under test and of SIDE_PIDS (the generator, the analyzers): CPU taken by something else on the box, which spoils a
measurement; steal_ticks and all_ticks come from /proc/stat. bench/warmup_report.py turns the samples into slices of N packets.

usage: warmup_sampler.py OUTFILE STOPFILE INTERVAL PID [PID...]   env ANALYZER_PORTS="29001 29002 ..."
"""
import http.client
import json
import os
import sys
import time

out, stop_file, interval = sys.argv[1], sys.argv[2], float(sys.argv[3])
pids = sys.argv[4:]
side = os.environ.get("SIDE_PIDS", "").split()
ports = [int(p) for p in os.environ["ANALYZER_PORTS"].split()]
conns = {}


def analyzer_totals():
    packets = messages = 0
    for port in ports:
        for attempt in (0, 1):  # a kept-alive connection the server closed: reconnect once
            c = conns.get(port) or http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conns[port] = c
            try:
                c.request("GET", "/stats")
                s = json.loads(c.getresponse().read())
                break
            except (OSError, http.client.HTTPException):
                c.close()
                conns.pop(port, None)
                if attempt:
                    raise
        packets += s["packets"]
        messages += s["messages"]
    return packets, messages


def ticks(path):
    with open(path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def cpu():
    total = jit = 0
    for pid in pids:
        total += ticks(f"/proc/{pid}/stat")
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/comm") as f:
                    name = f.read()
                if name.startswith(("C1 Compiler", "C2 Compiler")):
                    jit += ticks(f"/proc/{pid}/task/{task}/stat")
            except OSError:
                pass  # a thread that just ended
    return total, jit


def machine():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    total = sum(v[:8])  # guest time is already in user
    busy = total - v[3] - v[4] - v[7]  # less idle, iowait, steal
    return busy, v[7], total


def side_ticks():
    total = 0
    for pid in side:
        try:
            total += ticks(f"/proc/{pid}/stat")
        except OSError:
            pass
    return total


t0 = time.monotonic()
with open(out, "w") as f:
    while True:
        try:
            c, j = cpu()
        except OSError:
            break  # the system under test ended
        p, m = analyzer_totals()
        busy, steal, total = machine()
        other = busy - c - side_ticks()
        f.write(f"{time.monotonic() - t0:.4f} {p} {m} {c} {j} {other} {steal} {total}\n")
        f.flush()
        if os.path.exists(stop_file):
            break
        time.sleep(interval)
