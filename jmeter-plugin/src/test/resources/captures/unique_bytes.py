# Unique TCP payload bytes per capture: union of the [seq, seq+length) ranges that tcpdump -S prints, per direction.
import re, subprocess, sys
for f in sys.argv[1:]:
    out = subprocess.run(['tcpdump', '-nn', '-S', '-r', f], capture_output=True, text=True).stdout
    ranges = {}
    for line in out.splitlines():
        m = re.search(r' (\S+) > (\S+): Flags \[[^\]]*\], seq (\d+):(\d+),', line)
        if m:
            ranges.setdefault((m.group(1), m.group(2)), []).append((int(m.group(3)), int(m.group(4))))
    total = 0
    for key, spans in ranges.items():
        spans.sort(); end = None
        for a, b in spans:
            if end is None or a >= end: total += b - a; end = b
            elif b > end: total += b - end; end = b
    print(f.split('/')[-1], total)
