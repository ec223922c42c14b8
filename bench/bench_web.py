"""The self-check page's speed: a Word check round trip through ``ictk serve`` (upload, check,
annotated copy, JSON report, 补正通知, result page) against ``check_file`` in process (what
``ictk check`` does), and 20 uploads at once. Targets: round trip <= 300 ms on 2 cores; 20
concurrent uploads all answered 200.

    python bench/bench_web.py [N]
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "samples/filled/unreadable/gx-young-unreadable.docx"  # 7 findings: every download made
CONCURRENT = sorted((ROOT / "samples/filled").glob("*/*.docx"))
TARGET_MS = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(jobs: int) -> tuple[subprocess.Popen, str]:
    import httpx

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--jobs", str(jobs)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("ictk serve did not start")


def post(client, url: str, path: Path) -> tuple[int, float]:
    start = time.perf_counter()
    resp = client.post(url + "/check", files={"file": (path.name, path.read_bytes())}, data={"form": ""})
    return resp.status_code, time.perf_counter() - start


def main(n: int = 30) -> int:
    import httpx

    from toolkit.check import check_file
    from toolkit.web.work import Limits, check_upload, warm

    warm()
    check_file(SAMPLE)
    in_process, cpu_check = [], time.process_time()
    for _ in range(n):
        start = time.perf_counter()
        check_file(SAMPLE)
        in_process.append(time.perf_counter() - start)
    cpu_check = (time.process_time() - cpu_check) / n
    data = SAMPLE.read_bytes()
    work, cpu_work = [], time.process_time()
    for _ in range(n):
        start = time.perf_counter()
        check_upload(data, SAMPLE.name, None, Limits())
        work.append(time.perf_counter() - start)
    cpu_work = (time.process_time() - cpu_work) / n

    proc, url = start_server(jobs=os.cpu_count() or 2)
    try:
        with httpx.Client(timeout=120) as client:
            for _ in range(4):  # every worker has checked a file once
                post(client, url, SAMPLE)
            trips = []
            for _ in range(n):
                status, seconds = post(client, url, SAMPLE)
                assert status == 200, status
                trips.append(seconds)

            files = [CONCURRENT[i % len(CONCURRENT)] for i in range(20)]
            start = time.perf_counter()
            with ThreadPoolExecutor(20) as pool:
                results = list(pool.map(lambda p: post(client, url, p), files))
            burst = time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(10)

    med = statistics.median
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(
        f"ictk check in process (check_file)          median {ms(med(in_process))}, CPU {ms(cpu_check)}  (n={n})"
    )
    print(f"check + annotate + notice in process         median {ms(med(work))}, CPU {ms(cpu_work)}")
    print(
        f"round trip through ictk serve (localhost)   median {ms(med(trips))}, p90 {ms(sorted(trips)[int(n * 0.9) - 1])}"
    )
    print(f"ratio round trip / ictk check in process     {med(trips) / med(in_process):.2f}x")
    ok = [s for s, _ in results if s == 200]
    print(
        f"20 concurrent uploads: {len(ok)}/20 answered 200 in {burst:.2f} s (slowest {ms(max(t for _, t in results))})"
    )
    passed = med(trips) * 1000 <= TARGET_MS and len(ok) == 20
    print(("PASS" if passed else "FAIL") + f": round trip <= {TARGET_MS} ms and 20/20 concurrent uploads")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
