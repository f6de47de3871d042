"""Time the Olist import against a raw COPY floor; measure its peak memory.

Run as ``.venv/bin/python bench/import.py [--data DIR] [--times 5]`` with
``DATABASE_URL`` pointing at a PostgreSQL server. The script works in a
scratch database (``<name>_bench_import``) that it creates and drops; the
database named in the URL is not touched.

1. floor: the eight CSVs loaded with ``COPY ... FROM STDIN (FORMAT csv)`` into
   bare tables of text columns, in one transaction;
2. import: ``olist_import`` of the same folder into the migrated scratch
   database, run in a child process whose peak RSS is read with ``wait4``;
3. the set written again ``--times`` times under fresh ids (every id gets a
   ``-k`` suffix) into a temporary folder, streamed, and imported the same
   way: a streaming importer's peak memory stays flat.

Prints one JSON line with both times, ``ratio`` (import / COPY) and the peaks.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "olist"
TRANSLATION = "product_category_name_translation.csv"
# Columns that hold ids, suffixed in the multiplied set. Category names are
# not ids: the translation file is written once.
ID_COLUMNS = {
    "order_id",
    "customer_id",
    "customer_unique_id",
    "product_id",
    "seller_id",
    "review_id",
}


def _scratch_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("bench/import.py needs DATABASE_URL=postgres://...")
    name = f"{parts.path.lstrip('/') or 'postgres'}_bench_import"
    return name, urlunsplit(parts._replace(path=f"/{name}"))


def _admin_conninfo(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def _database_recreate(url: str, name: str) -> None:
    with psycopg.connect(_admin_conninfo(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _database_drop(url: str, name: str) -> None:
    with psycopg.connect(_admin_conninfo(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _copy_floor(url: str, data: Path) -> tuple[float, int]:
    """Load every CSV into text tables with COPY; return seconds and rows."""
    files = sorted(data.glob("*.csv"))
    started = time.perf_counter()
    rows = 0
    with psycopg.connect(url) as conn:
        conn.execute("CREATE SCHEMA raw")
        for path in files:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle))
            table = sql.Identifier("raw", path.stem)
            columns = sql.SQL(", ").join(
                sql.SQL("{} text").format(sql.Identifier(name)) for name in header
            )
            conn.execute(sql.SQL("CREATE TABLE {} ({})").format(table, columns))
            copy = sql.SQL("COPY {} FROM STDIN (FORMAT csv, HEADER true)")
            with conn.cursor() as cursor, path.open("rb") as raw:
                with cursor.copy(copy.format(table)) as stream:
                    while chunk := raw.read(1 << 16):
                        stream.write(chunk)
                rows += cursor.rowcount
        conn.commit()
    return time.perf_counter() - started, rows


def _import_in_child(url: str, directory: Path) -> dict:
    """Run the import in a child process; add its peak RSS to its report."""
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "False", "LOG_LEVEL": "WARNING"}
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", str(directory)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
    )
    output = child.stdout.read() if child.stdout else b""
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.exit(f"import in {directory} failed with code {child.returncode}")
    report = json.loads(output.decode().strip().splitlines()[-1])
    # Linux reports ru_maxrss in KiB.
    report["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    return report


def _child(directory: str) -> None:
    """Child process: import ``directory`` and print seconds and counts."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dropi.settings.local")
    import django

    django.setup()
    from catalog.importers import olist_import

    started = time.perf_counter()
    result = olist_import(directory=directory)
    seconds = time.perf_counter() - started
    records = sum(c.read for c in result.files)
    created = sum(c.created for c in result.files)
    print(
        json.dumps(
            {"seconds": round(seconds, 2), "records": records, "created": created}
        )
    )


def _multiply(data: Path, target: Path, times: int) -> None:
    """Write the set ``times`` times under fresh ids, one record at a time."""
    for path in sorted(data.glob("*.csv")):
        copies = 1 if path.name == TRANSLATION else times
        with (
            path.open(encoding="utf-8-sig", newline="") as source,
            (target / path.name).open("w", encoding="utf-8", newline="") as out,
        ):
            reader = csv.reader(source)
            header = next(reader)
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            id_positions = [i for i, name in enumerate(header) if name in ID_COLUMNS]
            for copy in range(copies):
                source.seek(0)
                reader = csv.reader(source)
                next(reader)
                for row in reader:
                    if copies > 1:
                        for i in id_positions:
                            row[i] = f"{row[i]}-{copy}"
                    writer.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--times", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    url = os.environ.get("DATABASE_URL", "")
    name, scratch = _scratch_url(url)
    _database_recreate(url, name)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": scratch},
            check=True,
        )
        copy_seconds, copy_rows = _copy_floor(scratch, args.data)
        once = _import_in_child(scratch, args.data)
        with tempfile.TemporaryDirectory(prefix="olist-x") as folder:
            _multiply(args.data, Path(folder), args.times)
            many = _import_in_child(scratch, Path(folder))
    finally:
        _database_drop(url, name)
    print(
        json.dumps(
            {
                "bench": "import",
                "copy_s": round(copy_seconds, 2),
                "copy_rows": copy_rows,
                "import_s": once["seconds"],
                "import_records": once["records"],
                "ratio": round(once["seconds"] / copy_seconds, 1),
                "peak_rss_mb_1x": once["peak_rss_mb"],
                f"import_{args.times}x_s": many["seconds"],
                f"import_{args.times}x_records": many["records"],
                f"peak_rss_mb_{args.times}x": many["peak_rss_mb"],
            }
        )
    )


if __name__ == "__main__":
    main()
