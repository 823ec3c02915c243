#!/usr/bin/env python3
"""CPU time of a process's threads, from /proc, grouped by what they do.

  thread-cpu.py snap PID            prints a JSON snapshot {tid: [name, ticks]} of the live threads
  thread-cpu.py diff A.json B.json EVENTS
                                    prints ms of CPU per 1000 events for each group between the two
                                    snapshots (threads that ended in between are lost; the whole
                                    process's figure, from /proc/PID/stat, is the total to trust)
"""
import json
import os
import re
import sys

GROUPS = [
    ("writer", re.compile(r"^fusion-writ")),
    ("producer I/O thread", re.compile(r"^kafka-producer")),
    ("JIT compiler", re.compile(r"^C[12] CompilerThre")),
    ("GC", re.compile(r"^(GC Thread|G1 |GC |ZWorker|ZDriver|ZDirector|Shenandoah)")),
    ("VM, other JVM", re.compile(r"^(VM |Common-Cleaner|Signal|Reference|Finalizer|Attach|Notification)")),
    ("HTTP request threads", re.compile(r"^(qtp|JettyServerThread|ForkJoinPool|Jetty|Javalin)")),
]


def snap(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1 : s.rindex(")")]
        fields = s[s.rindex(")") + 2 :].split()
        out[tid] = [name, int(fields[11]) + int(fields[12])]
    return out


def group(name):
    for label, pattern in GROUPS:
        if pattern.search(name):
            return label
    return "other threads"


def main():
    if sys.argv[1] == "snap":
        json.dump(snap(sys.argv[2]), sys.stdout)
        return
    a = json.load(open(sys.argv[2]))
    b = json.load(open(sys.argv[3]))
    events = float(sys.argv[4])
    hz = os.sysconf("SC_CLK_TCK")
    sums = {}
    names = {}
    for tid, (name, ticks) in b.items():
        before = a.get(tid, [name, 0])[1]
        g = group(name)
        sums[g] = sums.get(g, 0) + ticks - before
        names.setdefault(g, set()).add(re.sub(r"[0-9#-]+$", "", name))
    for g, ticks in sorted(sums.items(), key=lambda kv: -kv[1]):
        ms = ticks * 1000.0 / hz / events * 1000 if events else 0
        print(f"  {g:<22} {ms:6.1f} ms per 1000 events   ({', '.join(sorted(names[g]))[:90]})")


if __name__ == "__main__":
    main()
