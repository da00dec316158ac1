#!/usr/bin/env bash
# Used by kafka-bench.sh, as every load generator's --after-warmup hook and once after the measured phase.
# Waits until the distributors have delivered every packet they accepted (summed over the replicas, since in
# kafka mode one replica may deliver what another accepted), then writes the CPU ticks of each process the run
# started and the machine's CPU counters to RUNDIR/NAME.cpu.
#
# With PARTIES > 1 the callers meet first: only the last of the load generators to finish its warm-up takes
# the snapshot, and all of them start measuring when it is written, so that one snapshot brackets every
# generator's measured phase (otherwise the first one would measure while the others still warm up).
#
# usage: kafka-snapshot.sh RUNDIR NAME [PARTIES]
#   RUNDIR/ports: the distributors' HTTP ports, one line; RUNDIR/pids: "role pid" lines
#   DRAIN_SECONDS (default 120): how long to wait for the deliveries before writing the snapshot anyway
set -euo pipefail
dir=$1 name=$2 parties=${3:-1}
out=$dir/$name.cpu

if [ "$parties" -gt 1 ]; then
  exec 9>"$dir/$name.barrier"
  flock 9
  echo $$ >> "$dir/$name.arrived"
  arrived=$(wc -l < "$dir/$name.arrived")
  flock -u 9
  if [ "$arrived" -lt "$parties" ]; then
    # bounded: a generator that died must not hold the others for ever
    for _ in $(seq 1 3000); do
      [ -f "$out" ] && exit 0
      sleep 0.05
    done
    echo "kafka-snapshot: $name: the other load generators did not arrive" >&2
    exit 1
  fi
fi

# accepted and delivered packets over all replicas; "- - -" while a replica does not answer
counts() {
  python3 - $(cat "$dir/ports") <<'PY'
import json, sys, urllib.request
acc = dlv = dead = 0
try:
    for port in sys.argv[1:]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=2) as r:
            t = json.load(r)["totals"]
        acc += t["accepted"]; dlv += t["delivered"]; dead += t["dead_lettered"]
    print(acc, dlv, dead)
except (OSError, ValueError, KeyError):
    print("- - -")
PY
}

drained=no
limit=$(( ${DRAIN_SECONDS:-120} * 5 ))
for _ in $(seq 1 "$limit"); do
  read -r acc dlv dead < <(counts)
  if [ "$acc" != - ] && [ "$dlv" -ge "$acc" ]; then drained=yes; break; fi
  sleep 0.2
done

tmp=$out.tmp
{
  echo "drained $drained accepted $acc delivered $dlv dead_lettered $dead"
  while read -r role pid; do
    ticks=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')
    # the JIT's part tells whether the measured phase still paid for compilation (BENCHMARKS.md section 2)
    jit=0
    for task in /proc/"$pid"/task/*; do
      case "$(cat "$task/comm" 2>/dev/null)" in
        C1\ Compiler*|C2\ Compiler*) t=$(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{print $12 + $13}'); jit=$((jit + ${t:-0})) ;;
      esac
    done
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
    echo "pid $role $pid $ticks $jit $hwm"
  done < "$dir/pids"
  # per process and thread name (numbers dropped, so eight workers make one line): which part of a process
  # the packets pay for; a thread that ended between two snapshots is missing from the second
  python3 -c '
import collections, glob, re, sys
roles = dict(line.split() for line in open(sys.argv[1]))
ticks = collections.Counter()
for role, pid in roles.items():
    for stat in glob.glob(f"/proc/{pid}/task/*/stat"):
        try:
            text = open(stat).read()
        except OSError:
            continue
        comm = re.sub(r"\d+", "#", text[text.index("(") + 1:text.rindex(")")]).replace(" ", "_")
        f = text[text.rindex(")") + 2:].split()
        ticks[(role, comm)] += int(f[11]) + int(f[12])
for (role, comm), t in sorted(ticks.items()):
    print("thread", role, comm, t)' "$dir/pids"
  # steal, all ticks, idle+iowait of the whole machine: how much of the box went to others and to the hypervisor
  awk '/^cpu / {s = 0; for (i = 2; i <= NF; i++) s += $i; print "box", $9, s, $5 + $6}' /proc/stat
  echo "time $(date +%s.%N)"
} > "$tmp"
# the file appears whole: the waiting generators start on its existence
mv "$tmp" "$out"
