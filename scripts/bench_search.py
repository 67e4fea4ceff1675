"""Archive build rate, size and query latency at scale, SQLite and PostgreSQL side by side in one run.

Builds an archive of synthetic documents (``pipeline.training.synthetic``: law-corpus text with the
real field structure and OCR-like raw text; nothing is OCRed) on each backend from one generation
pass, with ``Archive.add_many`` in batches (``--batch``, each backend timed on its own; the first
``--single`` documents are also timed one ``add`` each, as ingest adds them, into separate
archives), then times 200 mixed queries: accented words, the same words unaccented, quoted
phrases, and field-filtered searches (type + date range, issuer, number/symbol, deadline).
Targets: SQLite build >= 1,000 docs/s, p95 <= 30 ms; PostgreSQL p95 <= 30 ms at 100,000.

PostgreSQL runs when ``--pg URL`` is given or, without it, on a throw-away server started from
the Debian server binaries (``--pg-bin``) when they are installed; ``--no-pg`` skips it.
``--explain`` prints PostgreSQL's plans of one query of each kind, as the search ran them
(``auto_explain`` with ANALYZE; the server must let this user load it). ``--sqlite PATH`` keeps the
SQLite archive there; ``--resume`` goes on building the archives at ``--sqlite`` / ``--pg`` that an
earlier run was stopped in (each holds the first documents of the same sequence: they are generated
again, not added; the build rate is of the documents added); ``--reuse`` queries the archives at
``--sqlite`` / ``--pg`` that an earlier run built (or left part-built when it was stopped: each is
measured at the documents it holds) instead of building them, the queries drawn from the first
20,000 generated documents.

    nice -n 10 python scripts/bench_search.py [--docs 100000] [--queries 200] [--no-pg | --no-sqlite]
    python scripts/bench_search.py --sqlite A.sqlite --pg postgresql://... --reuse --explain
    python scripts/bench_search.py --docs 1000000 --single 0 --sqlite A.sqlite --pg postgresql://... --resume
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.archive import SearchQuery, open_archive  # noqa: E402
from pipeline.training.synthetic import Generator, Synthetic, corpus_lines  # noqa: E402
from pipeline.types import DocumentRecord  # noqa: E402
from pipeline.vietnamese import WORD_RE, fold_lower  # noqa: E402

SEED = 2024
CORPUS_LINES = 20000


def documents(n: int) -> Iterator[Synthetic]:
    """The same ``n`` documents on every call (fixed seed), generated lazily to bound memory."""
    yield from Generator(corpus_lines(CORPUS_LINES), seed=SEED).documents(n)


def make_queries(sample: list[Synthetic], count: int, seed: int = 7) -> list[tuple[str, SearchQuery]]:
    """``count`` queries in four equal kinds, built from documents known to be in the archive."""
    rng = random.Random(seed)
    kinds = ["accented", "unaccented", "phrase", "filtered"]
    out: list[tuple[str, SearchQuery]] = []
    for i in range(count):
        kind = kinds[i % 4]
        s = rng.choice(sample)
        f = s.record.fields
        words = [w for w in WORD_RE.findall(s.subject) if len(w) > 1]
        start = rng.randrange(max(1, len(words) - 3))
        if kind == "accented":
            out.append((kind, SearchQuery(" ".join(words[start : start + rng.randint(1, 3)]))))
        elif kind == "unaccented":
            text = " ".join(fold_lower(w) for w in words[start : start + rng.randint(1, 3)])
            out.append((kind, SearchQuery(text)))
        elif kind == "phrase":
            out.append((kind, SearchQuery('"' + " ".join(words[start : start + 3]) + '"')))
        else:
            pick = i // 4 % 4
            if pick == 0:
                q = SearchQuery(words[start], doc_type=f.doc_type, date_from=f.date[:4] + "-01-01",
                                date_to=f.date[:4] + "-12-31")  # fmt: skip
            elif pick == 1:
                q = SearchQuery(fold_lower(words[start]), issuer=fold_lower(f.issuer or ""))
            elif pick == 2:
                q = SearchQuery(f"{f.number}/{f.symbol}")
            else:
                q = SearchQuery("", doc_type=f.doc_type, deadline_before=f.date)
            out.append((kind, q))
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def single_rate(location: str, n: int) -> tuple[float, float]:
    """docs/s (wall, CPU) of one ``add`` per document, one transaction each, as ingest does."""
    records = [s.record for s in documents(n)]
    with open_archive(location) as archive:
        t, c = time.perf_counter(), time.process_time()
        for r in records:
            archive.add(r)
        return n / (time.perf_counter() - t), n / (time.process_time() - c)


def build(locations: dict[str, str], n: int, batch: int, held: dict[str, int] | None = None
          ) -> tuple[list[Synthetic], dict[str, float]]:  # fmt: skip
    """The same ``n`` documents, generated once, into the archive at each location (``add_many``
    batches, each archive timed on its own); a sample of 500 of them to ask about, and each
    archive's seconds in add_many. ``held``: documents each archive already holds (``--resume``:
    the first ones of the same sequence), which are generated again but not added."""
    sample: list[Synthetic] = []
    rng = random.Random(1)
    seconds = dict.fromkeys(locations, 0.0)
    held = held or {}
    archives = {name: open_archive(where) for name, where in locations.items()}
    try:
        pending: list[tuple[int, DocumentRecord]] = []
        for i, s in enumerate(documents(n)):
            pending.append((i, s.record))
            if len(pending) == batch or i == n - 1:
                for name, archive in archives.items():
                    todo = [r for j, r in pending if j >= held.get(name, 0)]
                    if todo:
                        t = time.perf_counter()
                        archive.add_many(todo)
                        seconds[name] += time.perf_counter() - t
                pending = []
            if len(sample) < 500:  # reservoir of documents to ask about
                sample.append(s)
            elif (j := rng.randrange(i + 1)) < 500:
                sample[j] = s
            if (i + 1) % 50000 == 0:
                rates = ", ".join(f"{name} {(i + 1 - held.get(name, 0)) / t:,.0f}" for name, t in seconds.items() if t)
                print(f"  {i + 1:,} documents, docs/s so far: {rates}", flush=True)
    finally:
        for archive in archives.values():
            archive.close()
    return sample, seconds


def measure(name: str, location: str, n: int | None, queries: int, sample: list[Synthetic], seconds: float,
            batch: int, built: int | None = None) -> dict[str, float]:  # fmt: skip
    """Size and query latency of a built archive (``n`` documents; None: as many as it holds, for a
    reused one); prints them and returns the numbers."""
    with open_archive(location) as archive:
        if archive.backend == "sqlite":
            archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            archive.conn.execute("VACUUM ANALYZE")
        stats = archive.stats()
        assert n is None or stats.documents == n, (stats.documents, n)
        n = stats.documents
        qs = make_queries(sample, queries)
        for _, q in qs[:20]:  # warm the caches the way a running server would have them
            archive.search(q)
        times: dict[str, list[float]] = {}
        empty = 0
        for kind, q in qs:
            t = time.perf_counter()
            hits = archive.search(q)
            times.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
            empty += not hits
    every = [x for v in times.values() for x in v]
    print(f"{name}, {n:,} synthetic documents, {stats.pages:,} pages, {len(every)} queries")
    built = n if built is None else built
    if seconds:
        resumed = f", the last {built:,} documents (resumed)" if built != n else ""
        print(f"  build: {built / seconds:,.0f} docs/s wall in add_many (batches of {batch}){resumed}")
    print(f"  size: {stats.size_bytes / n / 1024:.1f} KiB/doc, {stats.size_bytes / stats.pages / 1024:.1f} KiB/page "
          f"({stats.size_bytes / 2**20:,.0f} MiB)")  # fmt: skip
    for kind, v in times.items():
        print(f"  {kind:>10}: p50 {pct(v, 50):6.1f} ms  p95 {pct(v, 95):6.1f} ms  ({len(v)} queries)")
    print(f"  {'all':>10}: p50 {pct(every, 50):6.1f} ms  p95 {pct(every, 95):6.1f} ms  "
          f"({len(every)} queries, {empty} without hits)")  # fmt: skip
    rate = built / seconds if seconds else 0.0
    return {"docs": n, "rate": rate, "size": stats.size_bytes / n, "p50": pct(every, 50), "p95": pct(every, 95)}


def explain(location: str, sample: list[Synthetic]) -> None:
    """PostgreSQL's plans (auto_explain, ANALYZE) of every statement one query of each kind runs."""
    picked: dict[str, SearchQuery] = {}
    for kind, q in make_queries(sample, 40, seed=11):
        picked.setdefault(kind, q)
    with open_archive(location, mode="read") as archive:
        plans: list[str] = []
        archive.conn.add_notice_handler(lambda diag: plans.append(diag.message_primary or ""))
        for q in picked.values():  # warm, statistics read
            archive.search(q)
        for setting in ("LOAD 'auto_explain'", "SET auto_explain.log_min_duration = 0",
                        "SET auto_explain.log_analyze = on", "SET auto_explain.log_level = notice"):  # fmt: skip
            archive.conn.execute(setting)
        for kind, q in picked.items():
            plans.clear()
            hits = archive.search(q)
            print(f"--- {kind}: {q}: {len(hits)} hits")
            seen: set[str] = set()
            for plan in plans:
                text = plan.split("Query Text: ", 1)[-1].split("\n", 1)[0]
                if "pg_stats" in text or "pg_class" in text or text in seen:  # statistics; each snippet's read
                    continue
                seen.add(text)
                plan = re.sub(r" +\(cost=[^)]*\)", "", plan)
                plan = re.sub(r"'\{[\d,]{60,}\}'", lambda m: f"'{{...{m.group().count(',') + 1} ids}}'", plan)
                print(plan.rstrip(), "\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def temp_postgres(bin_dir: Path) -> Iterator[str]:
    """Base URL of a throw-away PostgreSQL server on loopback with databases ``bench`` and ``single``
    (run as the ``postgres`` OS user when we are root)."""
    root = Path(tempfile.mkdtemp(prefix="vanban-bench-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()

    def as_server(cmd: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd

    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    subprocess.run(as_server([str(bin_dir / "initdb"), "-D", str(data), "-U", "vanban", "-A", "trust",
                              "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)  # fmt: skip
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c shared_buffers=256MB"
    subprocess.run(as_server([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", opts,
                              "-w", "start"]), check=True, capture_output=True)  # fmt: skip
    try:
        import psycopg

        with psycopg.connect(f"postgresql://vanban@127.0.0.1:{port}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE bench")
            conn.execute("CREATE DATABASE single")
        yield f"postgresql://vanban@127.0.0.1:{port}"
    finally:
        subprocess.run(as_server([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000, help="documents in each archive (default: %(default)s)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--batch", type=int, default=1000, help="documents per add_many transaction")
    parser.add_argument("--single", type=int, default=2000, help="documents for the one-add-each rate (0: skip)")
    parser.add_argument("--pg", help="postgresql:// URL of an empty database to use")
    parser.add_argument("--pg-bin", type=Path, default=Path("/usr/lib/postgresql/15/bin"))
    parser.add_argument("--sqlite", type=Path, help="SQLite archive file to build (kept) instead of a temporary one")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--explain", action="store_true", help="print PostgreSQL's plans of one query of each kind")
    parser.add_argument("--reuse", action="store_true", help="query the archives at --sqlite / --pg, do not build")
    parser.add_argument("--resume", action="store_true",
                        help="go on building the archives at --sqlite / --pg an earlier run left part-built")
    args = parser.parse_args()
    if args.docs < 1 or args.queries < 4 or args.batch < 1 or args.single < 0:
        parser.error("--docs and --batch must be >= 1, --queries >= 4, --single >= 0")
    if (args.reuse or args.resume) and not (args.pg or args.sqlite):
        parser.error("--reuse and --resume need --sqlite PATH and/or --pg URL (archives an earlier run built)")
    if args.resume and (args.reuse or args.single):
        parser.error("--resume builds on: not with --reuse, and --single 0")
    with contextlib.ExitStack() as stack:
        if args.reuse:
            locations = {"SQLite FTS5": str(args.sqlite)} if args.sqlite else {}
            if args.pg:
                locations["PostgreSQL"] = args.pg
            sample = list(documents(min(args.docs, 20_000)))
            results = {name: measure(name, where, None, args.queries, sample, 0.0, args.batch)
                       for name, where in locations.items()}  # fmt: skip
        else:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vanban-bench-")))
            locations = {} if args.no_sqlite else {"SQLite FTS5": str(args.sqlite or tmp / "bench.sqlite")}
            singles = {} if args.no_sqlite else {"SQLite FTS5": str(tmp / "single.sqlite")}
            if not args.no_pg:
                base = args.pg or _postgres(stack, args.pg_bin)
                if base and args.pg:
                    locations["PostgreSQL"] = args.pg
                elif base:
                    locations["PostgreSQL"] = f"{base}/bench"
                    singles["PostgreSQL"] = f"{base}/single"
            if args.single:
                for name, where in singles.items():
                    wall, cpu = single_rate(where, args.single)
                    print(f"{name}: one add() per document (ingest's path), {args.single:,} documents: "
                          f"{wall:,.0f} docs/s wall, {cpu:,.0f} docs/s of this process's CPU time")  # fmt: skip
            held: dict[str, int] = {}
            if args.resume:
                for name, where in locations.items():
                    with open_archive(where) as archive:
                        held[name] = archive.stats().documents
                print("resuming: " + ", ".join(f"{name} holds {k:,}" for name, k in held.items()))
            print(f"building {', '.join(locations)} from the same {args.docs:,} generated documents")
            sample, seconds = build(locations, args.docs, args.batch, held)
            results = {name: measure(name, where, args.docs, args.queries, sample, seconds[name], args.batch,
                                     args.docs - held.get(name, 0))
                       for name, where in locations.items()}  # fmt: skip
        if args.explain and "PostgreSQL" in locations:
            explain(locations["PostgreSQL"], sample)
    if "SQLite FTS5" in results and not args.reuse:
        r = results["SQLite FTS5"]
        ok = r["rate"] >= 1000 and r["p95"] <= 30
        print(f"SQLite targets (build >= 1,000 docs/s, p95 <= 30 ms): {'met' if ok else 'NOT met'}")
    if "PostgreSQL" in results and results["PostgreSQL"]["docs"] == 100_000:
        print(f"PostgreSQL target (p95 <= 30 ms at 100,000 documents): "
              f"{'met' if results['PostgreSQL']['p95'] <= 30 else 'NOT met'}")  # fmt: skip
    if len(results) == 2:
        s, p = results["SQLite FTS5"], results["PostgreSQL"]
        build_ratio = f"build rate x{p['rate'] / s['rate']:.2f}, " if s["rate"] else ""
        print(f"PostgreSQL ({p['docs']:,} docs) / SQLite ({s['docs']:,} docs): {build_ratio}"
              f"size x{p['size'] / s['size']:.2f}, p50 x{p['p50'] / s['p50']:.2f}, p95 x{p['p95'] / s['p95']:.2f}")
    return 0


def _postgres(stack: contextlib.ExitStack, bin_dir: Path) -> str | None:
    """A throw-away server's base URL, when psycopg and the server binaries are installed."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        print("PostgreSQL: skipped (psycopg is not installed)")
        return None
    if not (bin_dir / "initdb").exists():
        print(f"PostgreSQL: skipped (no --pg URL and no server binaries in {bin_dir})")
        return None
    return stack.enter_context(temp_postgres(bin_dir))


if __name__ == "__main__":
    raise SystemExit(main())
