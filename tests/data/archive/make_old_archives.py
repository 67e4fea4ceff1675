"""Write the old-version archives of this folder with the vanban checkout in the current directory.

    cd CHECKOUT_OF_OLD_COMMIT && python .../make_old_archives.py OUT_DIR

Writes OUT_DIR/v3.sqlite (or whatever schema that checkout writes) and OUT_DIR/pg-v2.sql.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path[:0] = [os.getcwd(), os.path.join(os.getcwd(), "tests"), os.path.join(os.getcwd(), "scripts")]

import bench_search  # noqa: E402
import test_archive as t  # noqa: E402

from pipeline.archive import open_archive  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def fill(archive) -> None:
    for d in t.SMALL:
        archive.add(d)
    archive.delete(archive.resolve(t.GARBLED.sha256[:12]))  # deleted index entries, then a new id
    archive.add(t.GARBLED)


def main() -> None:
    out = Path(sys.argv[1])
    db = out / "v3.sqlite"
    db.unlink(missing_ok=True)
    with open_archive(db) as archive:
        fill(archive)
        archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        archive.conn.execute("PRAGMA journal_mode = DELETE")  # one file
        archive.conn.execute("VACUUM")
        print("sqlite schema", archive.schema_version())
    with bench_search.temp_postgres(PG_BIN) as base:
        with open_archive(f"{base}/bench") as archive:
            fill(archive)
            print("postgresql schema", archive.schema_version())
        port = base.rsplit(":", 1)[1]
        dump = subprocess.run(
            [str(PG_BIN / "pg_dump"), "--inserts", "--no-owner", "--no-privileges", "-h", "127.0.0.1", "-p", port,
             "-U", "vanban", "bench"],
            capture_output=True, check=True, text=True,
        ).stdout  # fmt: skip
        (out / "pg-v2.sql").write_text(dump)


if __name__ == "__main__":
    main()
