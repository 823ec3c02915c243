#!/usr/bin/env python3
"""Summarises G1's young pauses in a unified GC log (-Xlog:gc*,gc+age=trace:file=...:uptime) between
two uptimes: how many, their wall time, the survivors each copied (the age table's total), the eden
they emptied, the old generation's growth per pause, and the GC threads' CPU against the pause's wall
time (a pause whose threads wait for a core takes longer than its CPU).

  gc-young.py GC_LOG FROM_SECONDS TO_SECONDS"""
import re
import statistics as st
import sys

path, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
gcs = {}
for line in open(path, errors="replace"):
    m = re.match(r"\[(\d+\.\d+)s\] GC\((\d+)\) (.*)", line)
    if not m:
        continue
    t, rest = float(m.group(1)), m.group(3)
    d = gcs.setdefault(int(m.group(2)), {"t": t})
    if x := re.search(r"Pause Young.* \d+M->\d+M\(\d+M\) ([\d.]+)ms", rest):
        d["ms"] = float(x.group(1))
    if x := re.search(r"age +\d+: +\d+ bytes, +(\d+) total", rest):
        d["survivors"] = int(x.group(1))
    if x := re.search(r"Old regions: (\d+)->(\d+)", rest):
        d["old"] = (int(x.group(1)), int(x.group(2)))
    if x := re.search(r"Eden regions: (\d+)->", rest):
        d["eden"] = int(x.group(1))
    if x := re.search(r"User=([\d.]+)s Sys=([\d.]+)s Real=([\d.]+)s", rest):
        d["cpu"], d["real"] = float(x.group(1)) + float(x.group(2)), float(x.group(3))
pauses = [d for d in gcs.values() if "ms" in d and "old" in d and t0 <= d["t"] <= t1]
if not pauses:
    print("  no young pauses in the window")
    sys.exit()
ms = sorted(d["ms"] for d in pauses)
print(f"  {len(pauses)} young pauses in {t1 - t0:.0f} s: p50 {st.median(ms):.1f} ms, max {ms[-1]:.1f} ms, "
      f"sum {sum(ms):.0f} ms; survivors copied per pause {st.mean(d.get('survivors', 0) for d in pauses) / 1e6:.1f} MB "
      f"(age table total); eden {st.mean(d.get('eden', 0) for d in pauses):.0f} regions a pause; old generation "
      f"{pauses[0]['old'][0]} -> {pauses[-1]['old'][1]} regions "
      f"(+{(pauses[-1]['old'][1] - pauses[0]['old'][0]) / len(pauses):.1f} a pause); GC threads' CPU per pause "
      f"{st.mean(d.get('cpu', 0) for d in pauses) * 1000:.0f} ms against {st.mean(d.get('real', 0) for d in pauses) * 1000:.0f} ms wall")
