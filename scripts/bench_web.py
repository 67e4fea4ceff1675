"""Server-side latency of the web application at scale: search page and document page, one client
and 20 concurrent clients, side by side in one run.

Builds (or reuses, ``--archive``) an SQLite archive of synthetic documents (``scripts/bench_search``'s:
law-corpus text with the real field structure; 5% stamped Mật and 2% Tối mật here), points every
document at one rendered scan so page images can be drawn, and serves it with ``vanban serve``'s
application in a separate process (uvicorn, one process, as the command runs it). Each response
carries its server-side time (request in to response out) in a ``Server-Timing`` header, which the
clients (another process, 1 or 20 threads over keep-alive connections) collect. Page images of the
documents asked for are rendered first, so document pages are timed with a cached image.

The 20-client runs are made with one server process and again with ``--processes`` (2) of them.
Users: a reader with no clearance (every query carries the access condition) and one cleared for
everything (no condition), so the cost of the access rules shows as a ratio.

    nice -n 10 python scripts/bench_web.py [--docs 100000] [--archive PATH] [--requests 200]

Targets at 100,000 documents: search page p95 <= 50 ms, document page p95 <= 150 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_search import SEED, make_queries  # noqa: E402

PASSWORD = "bench-password"
CLASSIFIED = ((20, "Mật"), (50, "Tối mật"))  # every 20th document Mật, every 50th Tối mật


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


# -- the archive ---------------------------------------------------------------------------------------
def scan_image(path: Path) -> Path:
    """One A4 page at 300 dpi (the synthetic word boxes live on a 2480 x 3508 page)."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 44)
    for i in range(60):
        draw.text((140, 120 + 52 * i), "Ủy ban nhân dân phường Kiến An thực hiện kế hoạch năm 2025 " * 2, font=font)
    img.save(path, dpi=(300, 300))
    return path


def build(location: Path, n: int, scan: Path) -> list:
    """The archive of ``n`` synthetic documents (reused when it holds them); returns a sample of them."""
    from pipeline.archive import open_archive
    from scripts.bench_search import documents

    sample, rng = [], random.Random(1)
    with open_archive(location) as archive:
        have = archive.stats().documents
        pending = []
        started = time.perf_counter()
        for i, s in enumerate(documents(n)):
            if have < n:
                pending.append(s.record)
                if len(pending) == 1000 or i == n - 1:
                    archive.add_many(pending)
                    pending = []
                    if (i + 1) % 10000 == 0:
                        print(f"  {i + 1:,} documents ({(i + 1) / (time.perf_counter() - started):,.0f}/s)", flush=True)
            if len(sample) < 500:
                sample.append(s)
            elif (j := rng.randrange(i + 1)) < 500:
                sample[j] = s
        first = archive.conn.execute("SELECT path FROM documents ORDER BY id LIMIT 1").fetchone()[0]
        if first != str(scan):  # one original for every document, and the stamps
            archive.conn.execute("UPDATE documents SET path = ?, size = ?", (str(scan), scan.stat().st_size))
            for every, stamp in CLASSIFIED:
                archive.conn.execute(
                    "UPDATE documents SET fields = json_set(fields, '$.secrecy', ?) WHERE id % ? = 0", (stamp, every)
                )
            archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert archive.stats().documents == n
    return sample


# -- the server (a separate process) ---------------------------------------------------------------------
def timed_app():
    """``vanban serve``'s application (configured from the environment), each response stamped with
    its server-side time; uvicorn builds one per server process."""
    from pipeline.settings import Settings
    from pipeline.web.app import WebConfig
    from pipeline.web.server import create_app

    config = json.loads(os.environ["VANBAN_BENCH_SERVE"])
    config = WebConfig.for_archive(config["archive"], cache=Path(config["cache"]), settings=Settings(workers=1))
    app = create_app(config)

    async def timed(scope, receive, send):
        started = time.perf_counter()

        async def stamped(message):
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - started) * 1000
                message.setdefault("headers", []).append((b"server-timing", f"app;dur={ms:.3f}".encode()))
            await send(message)

        await app(scope, receive, stamped)

    return timed


def serve(location: str, port: int, cache: str, processes: int) -> None:
    import uvicorn

    os.environ["VANBAN_BENCH_SERVE"] = json.dumps({"archive": location, "cache": cache})
    uvicorn.run("scripts.bench_web:timed_app", factory=True, host="127.0.0.1", port=port, workers=processes,
                log_level="warning", access_log=False)  # fmt: skip


class Client:
    """One keep-alive connection with a signed-in session."""

    def __init__(self, port: int, name: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        page = self.get("/")[1]
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        body = urlencode({"name": name, "password": PASSWORD, "csrf": csrf})
        status, _, _ = self.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303 and "vanban_session" in self.cookies, "login failed"

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.conn.close()  # the server closed an idle keep-alive connection: open another
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("set-cookie") or []:
            key, _, rest = value.partition("=")
            self.cookies[key] = rest.split(";", 1)[0]
        timing = response.headers.get("server-timing", "")
        ms = float(timing.split("dur=")[1]) if "dur=" in timing else float("nan")
        return response.status, data.decode("utf-8", "replace"), ms

    def get(self, path: str):
        status, text, ms = self.request("GET", path)
        return status, text, ms


def timed_run(port: int, user: str, paths: list[str], threads: int) -> tuple[list[float], list[float], float]:
    """(server ms, client ms, wall seconds) of GETting every path, spread over ``threads`` clients."""
    clients = [Client(port, user) for _ in range(threads)]
    server: list[float] = []
    client: list[float] = []
    lock = threading.Lock()
    shares = [paths[i::threads] for i in range(threads)]

    def work(c: Client, share: list[str]) -> None:
        for path in share:
            t = time.perf_counter()
            status, _, ms = c.get(path)
            wall = (time.perf_counter() - t) * 1000
            assert status == 200, (status, path)
            with lock:
                server.append(ms)
                client.append(wall)

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(c, s)) for c, s in zip(clients, shares, strict=True)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return server, client, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--archive", type=Path, help="archive to build or reuse (default: a temporary one)")
    parser.add_argument("--requests", type=int, default=200, help="requests per page kind and run")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--processes", type=int, default=2, help="server processes of the last run (default: 2)")
    parser.add_argument("--serve", nargs=4, metavar=("ARCHIVE", "PORT", "CACHE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.serve[2], int(args.serve[3]))
        return 0
    with tempfile.TemporaryDirectory(prefix="vanban-bench-web-") as tmp:
        location = args.archive or Path(tmp) / "bench.sqlite"
        scan = scan_image(location.parent / "bench-scan.png") if not (location.parent / "bench-scan.png").exists() \
            else location.parent / "bench-scan.png"  # fmt: skip
        print(f"archive: {location} ({args.docs:,} synthetic documents)", flush=True)
        t = time.perf_counter()
        sample = build(location, args.docs, scan)
        print(f"  ready in {time.perf_counter() - t:.0f} s", flush=True)
        from pipeline.archive import open_archive
        from pipeline.web import auth
        from pipeline.web.store import WebStore, migrate

        with open_archive(location) as archive:
            migrate(archive)
            store = WebStore(archive)
            hashed = auth.hash_password(PASSWORD)
            store.add_user("reader", "reader", "none", hashed)
            store.add_user("cleared", "reader", "tuyet-mat", hashed)
            ids = {s.record.sha256: archive.resolve(s.record.sha256) for s in sample}
        queries = make_queries(sample, args.requests, seed=SEED)
        rng = random.Random(3)
        search_paths = []
        for _, q in queries:
            params = {"q": q.text}
            if q.doc_type:
                params["type"] = q.doc_type
            if q.date_from:
                params["year"] = q.date_from[:4]
            search_paths.append("/?" + urlencode(params))
        stamped = [every for every, _ in CLASSIFIED]
        docs = [d for d in (ids[s.record.sha256] for s in sample) if all(int(d) % e for e in stamped)][:450]
        # each run reads documents of its own (a page's restoration is cached once read)
        doc_paths = {run: [f"/documents/{rng.choice(docs[run::3])}?page=1&" + urlencode({"q": q.text})
                           for _, q in queries] for run in range(3)}  # fmt: skip
        cache = Path(tmp) / "cache"
        results = {}
        plans = {1: (("reader", 1, 0), ("cleared", 1, 1), ("reader", args.concurrency, 2)),
                 args.processes: (("reader", args.concurrency, 2),)}  # fmt: skip
        for processes, runs in plans.items():
            port = _free_port()
            server = subprocess.Popen([sys.executable, __file__, "--serve", str(location), str(port), str(cache),
                                       str(processes)])  # fmt: skip
            try:
                _wait(port)
                warm = Client(port, "cleared")
                for doc_id in docs:  # page images rendered once: the document pages below find them cached
                    status, _, _ = warm.get(f"/documents/{doc_id}/pages/1.jpg")
                    assert status == 200
                for path in search_paths[:20]:
                    warm.get(path)
                for user, threads, run in runs:
                    for kind, paths in (("search", search_paths), ("document", doc_paths[run])):
                        srv, cli, wall = timed_run(port, user, paths, threads)
                        results[(processes, user, threads, kind)] = (srv, cli, wall)
                        print(f"  {processes} process(es), {kind:>8} page, {user:>7}, {threads:>2} client(s): "
                              f"server p50 {pct(srv, 50):6.1f} ms  p95 {pct(srv, 95):6.1f} ms | "
                              f"client p95 {pct(cli, 95):6.1f} ms | {len(paths) / wall:6.1f} pages/s", flush=True)
                if processes == 1:
                    images = timed_run(port, "reader", [f"/documents/{d}/pages/1.jpg" for d in docs], 1)[0]
                    print(f"  cached page image, reader, 1 client: server p50 {pct(images, 50):.1f} ms  "
                          f"p95 {pct(images, 95):.1f} ms")
            finally:
                server.terminate()
                server.wait(timeout=30)
        s1 = pct(results[(1, "reader", 1, "search")][0], 95)
        d1 = pct(results[(1, "reader", 1, "document")][0], 95)
        ratio_s = s1 / pct(results[(1, "cleared", 1, "search")][0], 95)
        ratio_d = d1 / pct(results[(1, "cleared", 1, "document")][0], 95)
        print(f"access rules (reader without clearance / cleared reader), p95: search x{ratio_s:.2f}, "
              f"document x{ratio_d:.2f}")
        ok = s1 <= 50 and d1 <= 150
        print(f"targets at 1 client (search p95 <= 50 ms, document p95 <= 150 ms): {'met' if ok else 'NOT met'}")
        print(json.dumps({f"{n}/{u}/{t}/{k}": round(pct(v[0], 95), 1) for (n, u, t, k), v in results.items()}))
    return 0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/static/app.css")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    raise SystemExit(main())
