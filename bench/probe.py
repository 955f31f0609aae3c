"""Latency probe: one client requesting URLs in turn for a while; prints p50/p99 per URL (ms)."""
import sys
import time
import http.client
from urllib.parse import urlsplit

duration = float(sys.argv[1])
urls = sys.argv[2:]
samples = {url: [] for url in urls}
errors = {url: 0 for url in urls}
connections = {}
end = time.monotonic() + duration
while time.monotonic() < end:
    for url in urls:
        parts = urlsplit(url)
        conn = connections.get(parts.netloc) or http.client.HTTPConnection(parts.netloc, timeout=10)
        connections[parts.netloc] = conn
        start = time.perf_counter()
        try:
            conn.request("GET", parts.path or "/")
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors[url] += 1
        except Exception:
            errors[url] += 1
            connections.pop(parts.netloc, None)
            continue
        samples[url].append((time.perf_counter() - start) * 1000)
    time.sleep(0.02)

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")

for url in urls:
    s = samples[url]
    print(f"{urlsplit(url).path:<20} n={len(s):5d}  p50={pct(s, 50):7.1f} ms  p99={pct(s, 99):7.1f} ms  errors={errors[url]}")
