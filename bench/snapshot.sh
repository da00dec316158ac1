#!/usr/bin/env bash
# Used by run-bench.sh (as loadgen's --after-warmup hook and after each run): waits until the demo analyzers'
# message totals stop changing (a queue in front of them has drained), then writes the summed CPU clock ticks
# (utime + stime from /proc/<pid>/stat) of the given processes to OUTFILE, and on a second line the ticks of
# their JIT compiler threads. Threads that ended meanwhile are not in the second figure. A third line holds the
# machine's steal and total CPU ticks (/proc/stat): time the hypervisor gave our CPUs to someone else.
# usage: snapshot.sh OUTFILE PID [PID...]      env ANALYZER_PORTS="29001 29002 ..."
set -euo pipefail
out=$1; shift
total() {
  local sum=0 p m
  for p in $ANALYZER_PORTS; do
    m=$(curl -fsS --max-time 2 "http://127.0.0.1:$p/stats" | sed -E 's/.*"messages":([0-9]+).*/\1/')
    sum=$((sum + m))
  done
  echo "$sum"
}
prev=-1
for _ in $(seq 1 300); do            # at most ~60 s
  now=$(total)
  [ "$now" = "$prev" ] && break
  prev=$now
  sleep 0.2
done
ticks=0
for pid in "$@"; do
  t=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')
  ticks=$((ticks + t))
done
# second line: the part spent in JIT compiler threads (C1/C2), to tell warm-up from steady state
jit=0
for pid in "$@"; do
  for task in /proc/"$pid"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ Compiler*|C2\ Compiler*) t=$(sed 's/.*) //' "$task/stat" | awk '{print $12 + $13}'); jit=$((jit + t)) ;;
    esac
  done
done
# third line: steal and total ticks of the whole machine, to see how much a noisy neighbour took
steal=$(awk '/^cpu / {s = 0; for (i = 2; i <= NF; i++) s += $i; print $9, s}' /proc/stat)
printf '%s\n%s\n%s\n' "$ticks" "$jit" "$steal" > "$out"
