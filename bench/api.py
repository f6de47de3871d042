"""Benchmark the API under gunicorn on loopback, on the Olist data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dropi_bench \\
    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/api.py

Steps: migrate the database named by DATABASE_URL (PostgreSQL only), import
the Olist folder (DROPI_OLIST_DIR) when it holds no products yet, open a
session for a benchmark user, start gunicorn on 127.0.0.1 at a free port,
and load two endpoints from a second process (threads using http.client),
each for at most --seconds and --max-requests:

* ``GET /api/productos/?page_size=50`` (anonymous, the storefront's list);
* ``GET /api/auth/me/`` (a trivial authenticated endpoint).

Prints one JSON line per endpoint (requests, errors, requests/s, p50 and
p99 latency in ms) and one with their ratio, then stops gunicorn. Throttle
rates are raised for the run so the limiter does not shape the result.
``--conn-max-age 60`` runs gunicorn with persistent database connections
(the settings' ``CONN_MAX_AGE``; 0, a new connection per request, by
default), which is the largest single factor on these figures.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PRODUCTS = "/api/productos/?page_size=50"
ME = "/api/auth/me/"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="CONN_MAX_AGE for gunicorn (default: the environment's, else 0)",
    )
    return parser.parse_args()


def _environment(args: argparse.Namespace) -> dict[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/api.py: DATABASE_URL must name a PostgreSQL database")
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="dropi.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        THROTTLE_ANON="100000000/min",
        THROTTLE_USER="100000000/min",
        LOG_LEVEL=env.get("LOG_LEVEL", "WARNING"),
    )
    if args.conn_max_age is not None:
        env["CONN_MAX_AGE"] = str(args.conn_max_age)
    env.setdefault("CONN_MAX_AGE", "0")
    return env


def _prepare(env: dict[str, str]) -> str:
    """Migrate, import when empty, and return a fresh access token."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from accounts.models import User
    from accounts.services import ClientInfo, token_family_create
    from catalog.models import Product

    call_command("migrate", verbosity=0, interactive=False)
    if not Product.objects.exists():
        call_command("import_olist")
        # Fresh planner statistics, as autovacuum would gather them later.
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
    user, _ = User.objects.get_or_create(email="bench@example.com")
    pair = token_family_create(
        user=user, client=ClientInfo(ip_address=HOST, user_agent="bench/api.py")
    )
    products = Product.objects.filter(is_active=True).count()
    connections.close_all()
    sys.stderr.write(f"bench: {products} active products\n")

    return pair.access


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _start_gunicorn(env: dict[str, str], port: int, workers: int):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "dropi.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("bench/api.py: gunicorn did not answer /health/ within 30 s")


def _load(port, path, headers, seconds, max_requests, concurrency, out) -> None:
    """Run in the second process: hit ``path`` from threads, report timings."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                if len(latencies) + errors[0] >= max_requests:
                    return
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(
        {
            "latencies": latencies,
            "errors": errors[0],
            "wall": time.perf_counter() - began,
        }
    )


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def _measure(port, path, headers, args) -> dict:
    context = multiprocessing.get_context("spawn")
    for _ in range(args.warmup):
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.request("GET", path, headers=headers)
        connection.getresponse().read()
    out = context.Queue()
    process = context.Process(
        target=_load,
        args=(
            port,
            path,
            headers,
            args.seconds,
            args.max_requests,
            args.concurrency,
            out,
        ),
    )
    process.start()
    result = out.get()
    process.join()
    latencies = sorted(result["latencies"])

    return {
        "endpoint": f"GET {path}",
        "requests": len(latencies),
        "errors": result["errors"],
        "concurrency": args.concurrency,
        "gunicorn_workers": args.workers,
        "conn_max_age": int(os.environ["CONN_MAX_AGE"]),
        "requests_per_second": round(len(latencies) / result["wall"], 1),
        "p50_ms": round(_percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(_percentile(latencies, 0.99) * 1000, 2),
    }


def main() -> None:
    args = _arguments()
    env = _environment(args)
    token = _prepare(env)
    port = _free_port()
    server = _start_gunicorn(env, port, args.workers)
    try:
        products = _measure(port, PRODUCTS, {}, args)
        print(json.dumps(products), flush=True)
        me = _measure(port, ME, {"Authorization": f"Bearer {token}"}, args)
        print(json.dumps(me), flush=True)
        ratio = {
            "ratio": "products_list / auth_me",
            "requests_per_second": round(
                products["requests_per_second"] / me["requests_per_second"], 3
            ),
            "p50": round(products["p50_ms"] / me["p50_ms"], 2),
            "p99": round(products["p99_ms"] / me["p99_ms"], 2),
        }
        print(json.dumps(ratio), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
