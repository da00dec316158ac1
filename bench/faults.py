#!/usr/bin/env python3
"""Fault scenarios against the packaged distributor and the demo analyzers (BENCHMARKS.md, sections 5-6).

usage: bench/faults.py [scenario ...]     scenarios: 404 slow flapping recovery (default: all)

Each scenario starts the jar with jvm.options and the demo analyzers of bench/analyzers.yaml (127.0.0.1:29001-29004),
drives load with the jar's own loadgen, breaks an analyzer through its /control endpoint, samples the distributor's
/stats, and prints one JSON summary line per scenario; raw files go to bench/results/faults-<time>/.

  404       the heaviest analyzer answers 404 with /health UP; 1,000 packets/s for 10 s. Dead-lettered share, loss,
            time until it is out of rotation; then 2xx again under 200 packets/s: time to CLOSED, target-share ramp.
  slow      32 closed-loop connections: 10 s as a baseline, 15 s with the heaviest analyzer at 800 ms, 10 s after
            it recovers. Accepted rate of each phase, 503s, loss, the longest run to one analyzer.
  flapping  one analyzer fails (500) and recovers every 2 s for 30 s under 1,000 packets/s: loss, dead letters.
  recovery  10,000 packets queued behind slowed analyzers, kill -9, restart on the same data directory: time to
            ready, peak RSS, and every accepted packet delivered.
Everything is bounded in count and time; all traffic stays on 127.0.0.1.
"""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
JAR = os.path.join(ROOT, "target", "logs-distributor.jar")
ANALYZERS = os.path.join(ROOT, "bench", "analyzers.yaml")
PORTS = [29001, 29002, 29003, 29004]
DIST_PORT = int(os.environ.get("DIST_PORT", "28080"))
OUT = os.environ.get("OUT", os.path.join(ROOT, "bench", "results", "faults-" + time.strftime("%Y%m%d-%H%M%S")))
SIDE_JVM = ["-Xms256m", "-Xmx512m", "-XX:+UseParallelGC"]
JVM_OPTIONS = [line.strip() for line in open(os.path.join(ROOT, "jvm.options"))
               if line.strip() and not line.strip().startswith("#")]


def log(*args):
    print("[faults %s]" % time.strftime("%H:%M:%S"), *args, file=sys.stderr, flush=True)


def http(method, url, timeout=5):
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def stats():
    return json.loads(http("GET", "http://127.0.0.1:%d/stats" % DIST_PORT)[1])


def control(index, query):
    http("POST", "http://127.0.0.1:%d/control?%s" % (PORTS[index], query))


def analyzer_stats():
    return [json.loads(http("GET", "http://127.0.0.1:%d/stats" % p)[1]) for p in PORTS]


def wait(predicate, seconds, step=0.1):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if predicate():
                return True
        except (OSError, ValueError):
            pass
        time.sleep(step)
    return False


class Processes:
    def __init__(self, name):
        self.name = name
        self.procs = []

    def analyzers(self):
        out = open(os.path.join(OUT, self.name + ".analyzers.log"), "a")
        p = subprocess.Popen(["java", *SIDE_JVM, "-jar", JAR, "demo-analyzers", ANALYZERS], stdout=out, stderr=out)
        self.procs.append(p)
        assert wait(lambda: all(http("GET", "http://127.0.0.1:%d/stats" % port)[0] == 200 for port in PORTS), 60)
        return p

    def distributor(self, data, **env):
        out = open(os.path.join(OUT, self.name + ".distributor.log"), "a")
        environment = dict(os.environ, HTTP_PORT=str(DIST_PORT), HTTP_HOST="127.0.0.1", ANALYZERS_FILE=ANALYZERS,
                           DISTRIBUTOR_DATA_DIR=data, **env)
        started = time.time()
        p = subprocess.Popen(["java", *JVM_OPTIONS, "-jar", JAR], stdout=out, stderr=out, env=environment)
        self.procs.append(p)
        ready = wait(lambda: http("GET", "http://127.0.0.1:%d/observe/health/ready" % DIST_PORT, 1)[0] == 200, 120, 0.05)
        assert ready, "the distributor did not become ready"
        return p, time.time() - started

    def loadgen(self, name, *args):
        path = os.path.join(OUT, "%s.%s.json" % (self.name, name))
        with open(path, "w") as out, open(path + ".log", "w") as err:
            subprocess.run(["java", *SIDE_JVM, "-jar", JAR, "loadgen", "--json", "--url",
                            "http://127.0.0.1:%d/ingest" % DIST_PORT, *args], stdout=out, stderr=err, check=True)
        return json.loads(open(path).read().strip().splitlines()[-1])

    def loadgen_async(self, name, *args):
        path = os.path.join(OUT, "%s.%s.json" % (self.name, name))
        out, err = open(path, "w"), open(path + ".log", "w")
        return subprocess.Popen(["java", *SIDE_JVM, "-jar", JAR, "loadgen", "--json", "--url",
                                 "http://127.0.0.1:%d/ingest" % DIST_PORT, *args], stdout=out, stderr=err), path

    def close(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()


def drained(s):
    return s["queue"]["packets"] == 0


def status(result, code):
    return int(result["status"].get(str(code), 0))


def scenario_404():
    ps = Processes("404")
    try:
        ps.analyzers()
        ps.distributor(os.path.join(OUT, "data-404"))
        control(0, "mode=status&code=404")
        load, path = ps.loadgen_async("load", "--rate", "1000", "--duration", "10s")
        # from the first packet accepted (the generator's own JVM start does not count)
        wait(lambda: stats()["totals"]["accepted"] > 0 or load.poll() is not None, 60, 0.01)
        t0 = time.time()
        out_after = None
        while load.poll() is None:
            analyzer = stats()["analyzers"][0]
            if out_after is None and not analyzer["eligible"]:
                out_after = time.time() - t0
            time.sleep(0.02)
        result = json.loads(open(path).read().strip().splitlines()[-1])
        wait(lambda: drained(stats()), 60)
        s = stats()
        accepted = status(result, 202)
        control(0, "mode=normal")
        # back: under 200 packets/s, watch the breaker close and its target share ramp up
        back, _ = ps.loadgen_async("back", "--rate", "200", "--duration", "20s")
        t1 = time.time()
        timeline = []
        closed_after = None
        while back.poll() is None:
            a = stats()["analyzers"][0]
            timeline.append((round(time.time() - t1, 1), a["breaker"], a["target_share"]))
            if closed_after is None and a["breaker"] == "CLOSED" and a["eligible"]:
                closed_after = time.time() - t1
            time.sleep(0.5)
        wait(lambda: drained(stats()), 60)
        return {"scenario": "404", "offered_rate": 1000, "accepted": accepted, "delivered": s["totals"]["delivered"],
                "dead_lettered": s["totals"]["dead_lettered"],
                "dead_lettered_pct": round(100.0 * s["totals"]["dead_lettered"] / max(1, accepted), 3),
                "lost": accepted - s["totals"]["delivered"] - s["totals"]["dead_lettered"],
                "retried": s["totals"]["retried"], "out_of_rotation_after_s": out_after,
                "closed_again_after_s": closed_after, "target_share_timeline": timeline[::4]}
    finally:
        ps.close()


def scenario_slow():
    ps = Processes("slow")
    try:
        ps.analyzers()
        ps.distributor(os.path.join(OUT, "data-slow"))
        ps.loadgen("warmup", "--connections", "32", "--packets", "100000")
        before = ps.loadgen("before", "--connections", "32", "--duration", "10s")
        control(0, "mode=slow&delay_ms=800")
        during = ps.loadgen("during", "--connections", "32", "--duration", "15s")
        slow = stats()["analyzers"][0]
        control(0, "mode=normal")
        wait(lambda: stats()["analyzers"][0]["breaker"] == "CLOSED", 30)
        after = ps.loadgen("after", "--connections", "32", "--duration", "10s")
        wait(lambda: drained(stats()), 60)
        s = stats()
        sent = sum(status(r, 202) for r in (before, during, after)) + 100000
        runs = analyzer_stats()[0]
        return {"scenario": "slow", "connections": 32,
                "accepted_per_s_before": round(before["packets_per_s"]), "accepted_per_s_slow": round(during["packets_per_s"]),
                "ratio": round(during["packets_per_s"] / before["packets_per_s"], 2),
                "status_during": during["status"], "accepted_per_s_after": round(after["packets_per_s"]),
                "lost": sent - s["totals"]["delivered"] - s["totals"]["dead_lettered"],
                "dead_lettered": s["totals"]["dead_lettered"],
                "slow_analyzer_during": {k: slow[k] for k in ("breaker", "in_flight", "max_in_flight", "forgone_messages")},
                "shares_at_end": [a["actual_message_share"] for a in s["analyzers"]],
                "longest_run": runs.get("longest_run"), "longest_run_analyzer": runs.get("longest_run_analyzer")}
    finally:
        ps.close()


def scenario_flapping():
    ps = Processes("flapping")
    try:
        ps.analyzers()
        ps.distributor(os.path.join(OUT, "data-flapping"))
        load, path = ps.loadgen_async("load", "--rate", "1000", "--duration", "30s")
        failing = False
        flips = 0
        while load.poll() is None:
            failing = not failing
            control(1, "mode=fail" if failing else "mode=normal")
            flips += 1
            time.sleep(2)
        control(1, "mode=normal")
        result = json.loads(open(path).read().strip().splitlines()[-1])
        wait(lambda: drained(stats()), 60)
        s = stats()
        accepted = status(result, 202)
        return {"scenario": "flapping", "flips": flips, "accepted": accepted, "delivered": s["totals"]["delivered"],
                "dead_lettered": s["totals"]["dead_lettered"], "failed_over": s["totals"]["failed_over"],
                "lost": accepted - s["totals"]["delivered"] - s["totals"]["dead_lettered"], "status": result["status"]}
    finally:
        ps.close()


def vmhwm_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def scenario_recovery():
    ps = Processes("recovery")
    data = os.path.join(OUT, "data-recovery")
    try:
        ps.analyzers()
        for i in range(4):
            control(i, "mode=slow&delay_ms=5000")
        first, _ = ps.distributor(data)
        fill = ps.loadgen("fill", "--connections", "32", "--packets", "10200")
        queued = stats()["queue"]["packets"]
        rss_full = vmhwm_mb(first.pid)
        first.kill()
        first.wait()
        for i in range(4):
            control(i, "mode=normal")
        delivered_before = sum(a["packets"] for a in analyzer_stats())
        second, to_ready = ps.distributor(data)
        recovered = stats()["totals"]["recovered"]
        wait(lambda: drained(stats()), 120)
        rss_recovery = vmhwm_mb(second.pid)
        delivered = sum(a["packets"] for a in analyzer_stats())
        return {"scenario": "recovery", "accepted": status(fill, 202), "queued_at_kill": queued,
                "recovered": recovered, "start_to_ready_s": round(to_ready, 2),
                "deliveries_before_kill": delivered_before, "deliveries_total": delivered,
                "peak_rss_mb_full_queue": rss_full, "peak_rss_mb_recovering": rss_recovery}
    finally:
        ps.close()


def main():
    os.makedirs(OUT, exist_ok=True)
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    scenarios = sys.argv[1:] or ["404", "slow", "flapping", "recovery"]
    runners = {"404": scenario_404, "slow": scenario_slow, "flapping": scenario_flapping, "recovery": scenario_recovery}
    for name in scenarios:
        log("scenario", name)
        result = runners[name]()
        line = json.dumps(result)
        print(line, flush=True)
        with open(os.path.join(OUT, "summary.jsonl"), "a") as f:
            f.write(line + "\n")
    log("results in", OUT)


if __name__ == "__main__":
    main()
