"""``make bench``: Till's checkout endpoints beside a floor, on both databases.

For each backend (PostgreSQL in a throw-away database, SQLite in a temporary
file) it migrates the schema, seeds a merchant, a key and two products, and
starts two servers on loopback: ``till serve`` and ``bench.floor`` (the same
uvicorn settings). A separate load process (``bench.load``) then drives
create, preview and retrieve at each concurrency, first against Till, then
against the floor, and the table shows both side by side.

    .venv/bin/python -m bench.run [--backends postgresql,sqlite]
        [--seconds 2.5] [--requests 4000] [--markdown FILE]
        [--endpoints create,preview,retrieve] [--concurrency 1,4,16]

PostgreSQL is reached at ``TILL_BENCH_PG_URL`` (default: the test suite's
``TILL_TEST_PG_URL``, else ``postgresql://postgres@127.0.0.1:5432/postgres``);
the bench creates its own database there and drops it at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

CONCURRENCY = (1, 4, 16)
ENDPOINTS = ("create", "preview", "retrieve")
PG_ADMIN_URL = os.environ.get(
    "TILL_BENCH_PG_URL",
    os.environ.get("TILL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
)
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Seed:
    key: str
    product_ids: tuple[str, str]


@dataclass(frozen=True)
class Row:
    backend: str
    endpoint: str
    concurrency: int
    till: dict[str, Any]
    floor: dict[str, Any]


# --- databases -------------------------------------------------------------


@contextmanager
def scratch_database(backend: str) -> Iterator[str]:
    """A migrated, empty database that exists only for this run."""
    from till.migrate import upgrade

    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="till-bench-") as folder:
            url = f"sqlite+aiosqlite:///{folder}/till.db"
            upgrade(url)
            yield url
        return
    name = f"till_bench_{secrets.token_hex(6)}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    try:
        base = PG_ADMIN_URL.rsplit("/", 1)[0].split("://", 1)[1]
        url = f"postgresql+asyncpg://{base}/{name}"
        upgrade(url)
        yield url
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _pg_admin(statement: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def driver_url(url: str) -> str:
    """The URL the floor's bare driver understands."""
    if url.startswith("sqlite"):
        return "sqlite:///" + url.split(":///", 1)[1]
    return "postgresql://" + url.split("://", 1)[1]


async def _seed(url: str) -> Seed:
    from till.catalog.service import create_product
    from till.core.clock import SystemClock
    from till.db import make_engine, make_sessionmaker
    from till.merchants import service as merchants
    from till.merchants.keys import Principal

    clock = SystemClock()
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as db:
            merchant = await merchants.create_merchant(db, clock, "Bench", country="DE")
            issued = await merchants.create_key(db, clock, merchant.id, "test")
            who = Principal(merchant.id, "test", issued.key.id)
            ids = [
                (await create_product(db, clock, who, body)).id for body in _products()
            ]
            await db.commit()
    finally:
        await engine.dispose()
    return Seed(issued.secret, (ids[0], ids[1]))


def _products() -> list[Any]:
    from till.catalog.schemas import ProductCreate

    one_time = {
        "name": "Credits",
        "tax_category": "saas",
        "price": {"type": "one_time_price", "price": 1900, "currency": "EUR"},
    }
    plan = {
        "name": "Pro plan",
        "tax_category": "saas",
        "price": {
            "type": "recurring_price",
            "price": 1200,
            "currency": "EUR",
            "payment_frequency_count": 1,
            "payment_frequency_interval": "Month",
            "subscription_period_count": 1,
            "subscription_period_interval": "Year",
        },
    }
    return [ProductCreate.model_validate(one_time), ProductCreate.model_validate(plan)]


# --- servers ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Running:
    url: str
    pid: int


@contextmanager
def server(command: list[str], env: dict[str, str], port: int) -> Iterator[Running]:
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_listening(url, process, log)
            yield Running(url, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_listening(url: str, process: subprocess.Popen[bytes], log: Any) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{url} exited: {log.read()[-2000:].decode()}")
        try:
            httpx.get(f"{url}/openapi.json", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def till_server(database_url: str) -> tuple[list[str], dict[str, str], int]:
    port = free_port()
    env = dict(os.environ)
    env.update(
        TILL_DATABASE_URL=database_url,
        TILL_PUBLIC_URL=f"http://127.0.0.1:{port}",
        TILL_SECRET_KEY=secrets.token_urlsafe(48),
        TILL_LOG_LEVEL="warning",
        # Production runs `till worker` apart; nothing here needs delivering.
        TILL_RUN_WORKER="false",
    )
    command = [sys.executable, "-m", "till.cli", "serve", "--port", str(port)]
    return command, env, port


def floor_server(database_url: str) -> tuple[list[str], dict[str, str], int]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "bench.floor",
        "--port",
        str(port),
        "--database",
        driver_url(database_url),
    ]
    return command, dict(os.environ), port


# --- load ------------------------------------------------------------------


def checkout_body(seed: Seed) -> str:
    return json.dumps(
        {
            "product_cart": [
                {"product_id": seed.product_ids[0], "quantity": 2},
                {"product_id": seed.product_ids[1], "quantity": 1},
            ],
            "customer": {"email": "buyer@example.com", "name": "Bench Buyer"},
            "billing_address": {
                "country": "DE",
                "city": "Berlin",
                "street": "Unter den Linden 1",
                "zipcode": "10117",
            },
            "return_url": "https://shop.example.com/thanks",
            "metadata": {"order": "bench"},
        }
    )


def load(url: str, spec: dict[str, Any]) -> dict[str, Any]:
    host, port = url.removeprefix("http://").split(":")
    job = {"host": host, "port": int(port), **spec}
    reply = subprocess.run(
        [sys.executable, "-m", "bench.load"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    if reply.returncode != 0:
        raise RuntimeError(f"load process failed: {reply.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(reply.stdout)
    return result


@dataclass(frozen=True)
class Budget:
    seconds: float
    requests: int
    warmup: float


def endpoint_spec(
    endpoint: str, seed: Seed, ids: list[str], concurrency: int, budget: Budget
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {seed.key}"}
    spec: dict[str, Any] = {
        "headers": headers,
        "concurrency": concurrency,
        "max_requests": budget.requests,
        "max_seconds": budget.seconds,
        "warmup_seconds": budget.warmup,
    }
    if endpoint == "create":
        body = checkout_body(seed)
        return {**spec, "method": "POST", "paths": ["/checkouts"], "body": body,
                "collect": "session_id"}  # fmt: skip
    if endpoint == "preview":
        body = checkout_body(seed)
        return {**spec, "method": "POST", "paths": ["/checkouts/preview"],
                "body": body}  # fmt: skip
    paths = [f"/checkouts/{session_id}" for session_id in ids[:1000]]
    return {**spec, "method": "GET", "paths": paths, "body": None}


def bench_backend(
    backend: str,
    budget: Budget,
    endpoints: tuple[str, ...] = ENDPOINTS,
    levels: tuple[int, ...] = CONCURRENCY,
) -> list[Row]:
    rows: list[Row] = []
    with scratch_database(backend) as url, ExitStack() as stack:
        seed = asyncio.run(_seed(url))
        till = stack.enter_context(server(*till_server(url)))
        floor = stack.enter_context(server(*floor_server(url)))
        till_url, floor_url = till.url, floor.url
        pids = {till.url: till.pid, floor.url: floor.pid}
        ids: dict[str, list[str]] = {till_url: [], floor_url: []}
        for endpoint in endpoints:
            for concurrency in levels:
                measured = {}
                for target in (till_url, floor_url):
                    if endpoint == "retrieve" and not ids[target]:
                        ids[target] = _fill(target, seed)
                    spec = endpoint_spec(
                        endpoint, seed, ids[target], concurrency, budget
                    )
                    measured[target] = _measure(target, pids[target], spec)
                    ids[target].extend(measured[target].pop("collected"))
                till_result, floor_result = measured[till_url], measured[floor_url]
                rows.append(
                    Row(backend, endpoint, concurrency, till_result, floor_result)
                )
                print(_line(rows[-1]), flush=True)
        ceiling = load(floor_url, _ceiling_spec(seed, budget))
        print(
            f"# {backend}: load generator ceiling (floor GET /ping, 16 clients): "
            f"{ceiling['rps']:.0f} req/s",
            flush=True,
        )
    return rows


def _measure(url: str, pid: int, spec: dict[str, Any]) -> dict[str, Any]:
    """One load run, with the CPU time the server spent per request."""
    before = cpu_seconds(pid)
    result = load(url, spec)
    result["cpu_ms"] = _per_request(cpu_seconds(pid) - before, result)
    return result


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _per_request(used: float, result: dict[str, Any]) -> float:
    # The warm-up's requests were served inside the measured CPU time too.
    total = result["requests"] + result["warmup_requests"]
    return 1000 * used / total if total else float("nan")


def _fill(url: str, seed: Seed) -> list[str]:
    """Sessions to read back when the run measures retrieve alone."""
    spec = endpoint_spec("create", seed, [], 4, Budget(1.0, 1000, 0))
    collected: list[str] = load(url, spec)["collected"]
    return collected


def _ceiling_spec(seed: Seed, budget: Budget) -> dict[str, Any]:
    return {
        "method": "GET",
        "paths": ["/ping"],
        "body": None,
        "headers": {},
        "concurrency": 16,
        "max_requests": budget.requests * 3,
        "max_seconds": budget.seconds,
        "warmup_seconds": budget.warmup,
    }


# --- report ----------------------------------------------------------------

HEADER = (
    f"{'backend':<10} {'endpoint':<8} {'conc':>4} | {'till rps':>8} "
    f"{'p50 ms':>7} {'p99 ms':>7} {'cpu ms':>6} | {'floor rps':>9} {'p50 ms':>7} "
    f"{'p99 ms':>7} {'cpu ms':>6} | {'till/floor':>10} {'errors':>6}"
)


def _line(row: Row) -> str:
    till, floor = row.till, row.floor
    ratio = till["rps"] / floor["rps"] if floor["rps"] else float("nan")
    errors = till["errors"] + floor["errors"]
    text = (
        f"{row.backend:<10} {row.endpoint:<8} {row.concurrency:>4} | "
        f"{till['rps']:>8.0f} {till['p50_ms']:>7.1f} {till['p99_ms']:>7.1f} "
        f"{till['cpu_ms']:>6.2f} | "
        f"{floor['rps']:>9.0f} {floor['p50_ms']:>7.1f} {floor['p99_ms']:>7.1f} "
        f"{floor['cpu_ms']:>6.2f} | "
        f"{ratio:>10.2f} {errors:>6}"
    )
    first_error = till["first_error"] or floor["first_error"]
    return text + (f"\n    first error: {first_error}" if first_error else "")


def markdown(rows: list[Row]) -> str:
    lines = [
        "| backend | endpoint | clients | Till req/s | p50 ms | p99 ms | "
        "CPU ms/req | floor req/s | p50 ms | p99 ms | CPU ms/req | Till/floor |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        till, floor = row.till, row.floor
        ratio = till["rps"] / floor["rps"] if floor["rps"] else float("nan")
        lines.append(
            f"| {row.backend} | {row.endpoint} | {row.concurrency} | "
            f"{till['rps']:.0f} | {till['p50_ms']:.1f} | {till['p99_ms']:.1f} | "
            f"{till['cpu_ms']:.2f} | {floor['rps']:.0f} | {floor['p50_ms']:.1f} | "
            f"{floor['p99_ms']:.1f} | {floor['cpu_ms']:.2f} | {ratio:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Till's checkout benchmark.")
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--seconds", type=float, default=2.5)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--warmup", type=float, default=0.5)
    parser.add_argument("--markdown", type=Path)
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--concurrency", default=",".join(map(str, CONCURRENCY)))
    args = parser.parse_args()
    budget = Budget(args.seconds, args.requests, args.warmup)
    from till.logs import configure_logging

    configure_logging("warning")
    started = time.monotonic()
    # Other work on the machine moves every figure; say how busy it was.
    print(f"# load average at start: {os.getloadavg()[0]:.2f}, cpus: {os.cpu_count()}")
    print(HEADER, flush=True)
    rows: list[Row] = []
    for backend in args.backends.split(","):
        endpoints = tuple(args.endpoints.split(","))
        levels = tuple(int(level) for level in args.concurrency.split(","))
        rows.extend(bench_backend(backend.strip(), budget, endpoints, levels))
    print(
        f"# {len(rows)} measurements in {time.monotonic() - started:.0f} s; "
        f"load average at end: {os.getloadavg()[0]:.2f}"
    )
    for row in rows:
        if row.endpoint == "create":
            ratio = row.till["rps"] / row.floor["rps"]
            print(
                f"# create on {row.backend} at {row.concurrency}: Till is "
                f"{ratio:.2f} x the floor's throughput, p99 {row.till['p99_ms']:.1f} ms"
            )
    if args.markdown:
        args.markdown.write_text(markdown(rows))


if __name__ == "__main__":
    main()
