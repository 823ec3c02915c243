#!/usr/bin/env python3
"""The writer's CPU from the WriterTiming reports in a server log (-Dfusion.writer.timing=true).

  writer-timing.py LOG FROM_REPORT

Between report number FROM_REPORT (0: the start) and the last report of LOG (each report holds the
totals since the start): the writer's CPU in the sorted indexes' upkeep and in the rest, and per
statement kind in µs per logged event (the rows of INSERT INTO events), largest first.
"""
import re
import sys

UPKEEP = 'upkeep of the sorted indexes'


def reports(path):
    out, cur = [], None
    for line in open(path):
        if 'writer CPU by statement since the start' in line:
            cur = {}
            out.append(cur)
            continue
        m = re.match(r'\s+([\d.]+) ms\s+\d+\s+(\d+)\s+(.*)', line)
        if m and cur is not None:
            key = m.group(3).strip()
            key = UPKEEP if key.startswith('upkeep') else key[:40]
            ms, rows = cur.get(key, (0.0, 0))
            cur[key] = (ms + float(m.group(1)), rows + int(m.group(2)))
    return out


def main():
    all_reports = reports(sys.argv[1])
    start = int(sys.argv[2])
    a = all_reports[start - 1] if start > 0 else {}
    b = all_reports[-1]
    spent = {k: v[0] - a.get(k, (0.0, 0))[0] for k, v in b.items()}
    upkeep = spent.get(UPKEEP, 0.0)
    rest = sum(spent.values()) - upkeep
    n = len(all_reports) - start
    share = 100 * upkeep / (upkeep + rest) if upkeep + rest > 0 else 0
    print(f"  WriterTiming over {n} reports (about {n * 10} s of the phase): upkeep {upkeep:.0f} ms, "
          f"the rest {rest:.0f} ms, upkeep {share:.0f}% of the writer")
    events = next((v[1] - a.get(k, (0, 0))[1] for k, v in b.items() if k.startswith('INSERT INTO events')), 0)
    if events > 0:
        rows = sorted((ms * 1000 / events, k) for k, ms in spent.items())
        print('  writer CPU by statement, µs per logged event (%d events): ' % events
              + ', '.join(f'{k} {us:.2f}' for us, k in reversed(rows) if us >= 0.05))


main()
