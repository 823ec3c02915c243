#!/usr/bin/env python3
"""What the slowest profile reads are made of (issue 18's read tail), from the server's
`read trace:` lines (-Dfusion.read.timing=true) and, when given, a JFR recording of the same phase
printed as JSON (`jfr print --json --events ... rec.jfr`).

  read-tail.py SERVER_LOG_PART [JFR_JSON]

Prints, for all reads and for the slowest 2% by the server's total: the mean of each phase
(microseconds -> ms), the handler thread's CPU, and, from JFR, how much of the slow reads' time
overlapped a GC or other safepoint pause, and the thread parks / monitor waits of 1 ms or more on
the read's own thread within its time."""
import json, re, sys
from datetime import datetime

LINE = re.compile(r"read trace: at=(\d+) thread=(\S+) path=(\S+) status=(\d+) (.*)$")


def reads(path):
    out = []
    for line in open(path, errors="replace"):
        m = LINE.search(line)
        if not m or "/relationships" not in m.group(3) or m.group(4) != "200":
            continue
        fields = dict(kv.split("=") for kv in m.group(5).split())
        # at: the epoch microsecond Jetty took the request; the rest in microseconds
        out.append({"at": int(m.group(1)) / 1000, "thread": m.group(2), **{k: int(v) for k, v in fields.items()}})
    return out


def pct(v, p):
    v = sorted(v)
    return v[max(0, min(len(v) - 1, -(-p * len(v) // 100) - 1))] if v else float("nan")


def millis(t):
    # JFR JSON times: 2026-12-06T21:03:14.123456789Z or with an offset
    t = re.sub(r"(\.\d{6})\d*", r"\1", t).replace("Z", "+00:00")
    return datetime.fromisoformat(t).timestamp() * 1000


def duration_ms(d):
    # ISO-8601 durations as JFR prints them: PT0.001234S, PT1M2.5S
    m = re.match(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", d)
    if not m:
        return 0.0
    h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    return ((h * 60 + mi) * 60 + s) * 1000


def jfr_events(path):
    data = json.load(open(path))
    out = []
    for e in data["recording"]["events"]:
        v = e["values"]
        start = millis(v["startTime"])
        dur = duration_ms(v.get("duration", "PT0S"))
        thread = (v.get("eventThread") or {}).get("javaName") or ""
        frames = ((v.get("stackTrace") or {}).get("frames") or [])[:8]
        where = " < ".join(f"{f['method']['type']['name'].split('.')[-1]}.{f['method']['name']}" for f in frames[:4])
        out.append({"type": e["type"], "start": start, "end": start + dur, "ms": dur, "thread": thread,
                    "name": v.get("name") or v.get("operation") or "", "where": where,
                    "class": ((v.get("monitorClass") or v.get("parkedClass") or {}) or {}).get("name", "")})
    return out


def overlap(a0, a1, b0, b1):
    return max(0.0, min(a1, b1) - max(a0, b0))


def main():
    rs = reads(sys.argv[1])
    if not rs:
        print("  no read trace lines (run the server with -Dfusion.read.timing=true)")
        return
    totals = [r["total"] for r in rs]
    cut = pct(totals, 98)
    slow = [r for r in rs if r["total"] >= cut]
    phases = [k for k in rs[0] if k not in ("at", "thread", "total")]
    print(f"  server side: {len(rs)} reads, total p50 {pct(totals, 50) / 1000:.2f} ms, "
          f"p99 {pct(totals, 99) / 1000:.2f} ms, max {max(totals) / 1000:.2f} ms")
    for label, group in (("all reads", rs), (f"slowest 2% (>= {cut / 1000:.2f} ms, {len(slow)})", slow)):
        mean = {k: sum(r.get(k, 0) for r in group) / len(group) / 1000 for k in ["total"] + phases}
        print(f"  {label}, mean ms: " + ", ".join(f"{k} {v:.2f}" for k, v in mean.items()))
    if len(sys.argv) > 2:
        ev = jfr_events(sys.argv[2])
        pauses = [e for e in ev if e["type"] in ("jdk.GCPhasePause",)]
        vmops = [e for e in ev if e["type"] == "jdk.ExecuteVMOperation" and e["ms"] > 0.05]
        waits = [e for e in ev if e["type"] in ("jdk.ThreadPark", "jdk.JavaMonitorEnter")]
        span = (max(r["at"] + r["total"] / 1000 for r in rs) - min(r["at"] for r in rs)) / 1000
        gc = [e["ms"] for e in pauses]
        print(f"  JFR over the phase (~{span:.0f} s): {len(gc)} GC pauses, sum {sum(gc):.1f} ms, "
              f"p50 {pct(gc, 50):.2f} ms, max {max(gc) if gc else 0:.2f} ms; "
              f"{len(vmops)} VM operations, sum {sum(e['ms'] for e in vmops):.1f} ms")
        for label, group in (("all reads", rs), ("slowest 2%", slow)):
            gcms = sum(overlap(r["at"], r["at"] + r["total"] / 1000, p["start"], p["end"])
                       for r in group for p in pauses) / len(group)
            vmms = sum(overlap(r["at"], r["at"] + r["total"] / 1000, p["start"], p["end"])
                       for r in group for p in vmops) / len(group)
            own = [w for r in group for w in waits
                   if w["thread"] == r["thread"] and overlap(r["at"], r["at"] + r["total"] / 1000, w["start"], w["end"]) > 0]
            print(f"  {label}: mean GC pause inside a read {gcms:.2f} ms, VM operations {vmms:.2f} ms; "
                  f"parks/monitor waits >= 1 ms on the read's thread: {len(own)}"
                  + (", sum " + f"{sum(w['ms'] for w in own):.1f} ms" if own else ""))
            kinds = {}
            for w in own:
                k = (w["type"].split(".")[-1], w["class"], w["where"])
                kinds[k] = kinds.get(k, 0) + w["ms"]
            for (t, c, where), ms in sorted(kinds.items(), key=lambda x: -x[1])[:5]:
                print(f"    {t} {c} {ms:.1f} ms at {where}")
    print("  the 8 slowest (ms): ")
    for r in sorted(rs, key=lambda r: -r["total"])[:8]:
        print("    " + ", ".join(f"{k} {r.get(k, 0) / 1000:.2f}" for k in ["total"] + phases) + f" [{r['thread']}]")


main()
