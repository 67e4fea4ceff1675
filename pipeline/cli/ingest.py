"""`vanban ingest PATH...`: OCR scans into the archive, with progress and a summary of failures."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from pipeline.cli import EXIT_FAILURES, EXIT_OK
from pipeline.cli.common import add_archive_option, add_processing_options, open_for_cli, settings_from
from pipeline.errors import UsageError
from pipeline.run import BatchReport, FileOutcome, Listener, ingest
from pipeline.run.cluster import connect, dashboard, ingest_on_cluster, is_url
from pipeline.types import readable_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest",
        help="OCR PDFs/TIFFs/PNGs/JPEGs (files or folders, recursively) into the archive",
        description="OCR scans into the archive. Exit status 0 when every file was ingested or skipped, "
        "1 when any file failed (the others are still ingested), 3 when the archive cannot be opened.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders; with --cluster also fsspec URLs (s3://...)")
    add_archive_option(p)
    p.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="parallel page workers (default: %(default)s)",
    )
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="run the jobs on a Dask cluster: a scheduler's address (tcp://HOST:8786) or local:N for N worker "
        "processes on this machine (needs the cluster extra)",
    )
    p.add_argument("--force", action="store_true", help="re-process files already in the archive")
    add_processing_options(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    p.set_defaults(func=run)


class _Plain(Listener):
    """One log line per file, for logs and pipes."""

    def __init__(self) -> None:
        self.total = self.done = 0
        self.started = time.perf_counter()

    def start(self, total_pages: int) -> None:
        self.total = total_pages
        print(f"vanban: {total_pages} page(s) to process", file=sys.stderr, flush=True)

    def page_done(self) -> None:
        self.done += 1

    def file_done(self, outcome: FileOutcome) -> None:
        rate = self.done / max(time.perf_counter() - self.started, 1e-9)
        detail = f"{outcome.pages} page(s)" if outcome.status == "ingested" else outcome.reason
        progress = f"[{self.done}/{self.total} pages, {rate:.2f} pages/s]"
        name = readable_path(str(outcome.path))
        print(f"{progress} {outcome.status}: {name}: {detail}", file=sys.stderr, flush=True)
        for warning in outcome.warnings:
            print(f"warning: {name}: {warning}", file=sys.stderr, flush=True)


class _Rate(ProgressColumn):
    def render(self, task) -> Text:
        return Text(f"{task.speed or 0:.2f} pages/s")


class _Bar(Listener):
    """A rich progress bar (pages done / total, pages/s, ETA) for terminals."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = progress.add_task("pages", total=None)

    def start(self, total_pages: int) -> None:
        self.progress.update(self.task, total=total_pages)

    def page_done(self) -> None:
        self.progress.advance(self.task)

    def file_done(self, outcome: FileOutcome) -> None:
        name = readable_path(str(outcome.path))
        if outcome.status == "failed":
            self.progress.console.print(f"[red]failed[/]: {name}: {outcome.reason}")
        for warning in outcome.warnings:
            self.progress.console.print(f"[yellow]warning[/]: {name}: {warning}")


def _summary(report: BatchReport, console: Console) -> None:
    rate = report.pages / report.seconds if report.seconds else 0.0
    table = Table(title="vanban ingest", show_header=False)
    table.add_row("documents ingested", str(report.count("ingested")))
    table.add_row("documents skipped", str(report.count("skipped")))
    table.add_row("documents failed", str(len(report.failures)))
    table.add_row("pages", str(report.pages))
    table.add_row("time", f"{report.seconds:.1f} s")
    table.add_row("pages/s", f"{rate:.2f}")
    console.print(table)
    if report.failures:
        failures = Table(title="failures", show_lines=False)
        failures.add_column("file")
        failures.add_column("reason")
        for outcome in report.failures:
            failures.add_row(readable_path(str(outcome.path)), outcome.reason)
        console.print(failures)


@contextmanager
def _runner(args: argparse.Namespace) -> Iterator[Callable[..., BatchReport]]:
    """The batch runner: the local process pool, or the Dask cluster of --cluster."""
    if args.cluster is None:
        if urls := [p for p in args.paths if is_url(p)]:
            raise UsageError(f"{urls[0]}: URLs are read by cluster workers; add --cluster local:N or an address")
        yield lambda archive, settings, listener: ingest([Path(p) for p in args.paths], archive, settings, listener)
        return
    with connect(args.cluster) as client:
        if link := dashboard(client):
            print(f"vanban: Dask dashboard at {link}", file=sys.stderr, flush=True)
        yield lambda archive, settings, listener: ingest_on_cluster(args.paths, archive, settings, client, listener)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with _runner(args) as batch, open_for_cli(args.archive, create=True) as archive:
        if sys.stderr.isatty() and not args.json:
            columns = (TextColumn("pages"), BarColumn(), MofNCompleteColumn(), _Rate(), TimeRemainingColumn())
            with Progress(*columns, transient=True) as bar:
                report = batch(archive, settings, _Bar(bar))
        else:
            report = batch(archive, settings, _Plain())
    if args.json:
        print(
            json.dumps(
                {
                    "seconds": round(report.seconds, 3),
                    "pages": report.pages,
                    "files": [
                        {
                            "path": readable_path(str(o.path)),
                            "status": o.status,
                            "reason": o.reason,
                            "pages": o.pages,
                            "doc_id": o.doc_id,
                            "warnings": o.warnings,
                        }
                        for o in report.outcomes
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _summary(report, Console())
    return EXIT_FAILURES if report.failures else EXIT_OK
