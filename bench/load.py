"""The load generator, run as its own process so it never shares a core's
event loop with the server it measures.

It reads one job as JSON on stdin, keeps ``concurrency`` HTTP/1.1
keep-alive connections busy until ``max_requests`` have been sent or
``max_seconds`` have passed, and prints one JSON result on stdout. The client
is a few lines over asyncio streams (on uvloop when available) rather than a
general HTTP library, so that it costs far less per request than the servers
it drives; ``bench.run`` reports its ceiling against a trivial endpoint.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Job:
    host: str
    port: int
    method: str
    paths: list[str]
    body: str | None
    headers: dict[str, str]
    concurrency: int
    max_requests: int
    max_seconds: float
    warmup_seconds: float
    collect: str | None = None  # a JSON field of each reply to hand back


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str | None = None
    collected: list[str] = field(default_factory=list)


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                raise RuntimeError("chunked replies are not expected here")
        body = await self.reader.readexactly(length) if length else b""
        return status, body

    def close(self) -> None:
        self.writer.close()


def _requests(job: Job) -> list[bytes]:
    body = job.body.encode() if job.body is not None else b""
    headers = {"Host": f"{job.host}:{job.port}", **job.headers}
    if job.body is not None:
        headers["Content-Type"] = "application/json"
        headers["Content-Length"] = str(len(body))
    lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return [
        f"{job.method} {path} HTTP/1.1\r\n{lines}\r\n".encode() + body
        for path in job.paths
    ]


async def _drive(
    job: Job, raws: list[bytes], seconds: float, limit: int, tally: Tally | None
) -> tuple[float, int]:
    """Run the clients for ``seconds`` or ``limit`` requests; returns the
    elapsed time and the requests sent. With ``tally`` None nothing is
    recorded (the warm-up)."""
    connections = [
        await Connection.open(job.host, job.port) for _ in range(job.concurrency)
    ]
    counter = {"sent": 0}
    started = time.perf_counter()
    deadline = started + seconds

    async def client(connection: Connection) -> None:
        while counter["sent"] < limit and time.perf_counter() < deadline:
            raw = raws[counter["sent"] % len(raws)]
            counter["sent"] += 1
            before = time.perf_counter()
            status, body = await connection.send(raw)
            elapsed = time.perf_counter() - before
            if tally is not None:
                _record(job, tally, status, body, elapsed)

    await asyncio.gather(*(client(c) for c in connections))
    finished = time.perf_counter()
    for connection in connections:
        connection.close()
    return finished - started, counter["sent"]


def _record(job: Job, tally: Tally, status: int, body: bytes, elapsed: float) -> None:
    tally.latencies.append(elapsed)
    if status >= 300:
        tally.errors += 1
        tally.first_error = tally.first_error or f"{status} {body[:300]!r}"
    elif job.collect and len(tally.collected) < 2000:
        tally.collected.append(json.loads(body)[job.collect])


def _percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(share * len(sorted_values)) - 1))
    return sorted_values[rank]


async def run(job: Job) -> dict[str, Any]:
    raws = _requests(job)
    warmup = 0
    if job.warmup_seconds > 0:
        _, warmup = await _drive(job, raws, job.warmup_seconds, job.max_requests, None)
    tally = Tally()
    elapsed, _ = await _drive(job, raws, job.max_seconds, job.max_requests, tally)
    latencies = sorted(tally.latencies)
    return {
        "requests": len(latencies),
        "warmup_requests": warmup,
        "errors": tally.errors,
        "first_error": tally.first_error,
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": _percentile(latencies, 0.50) * 1000,
        "p99_ms": _percentile(latencies, 0.99) * 1000,
        "collected": tally.collected,
    }


def main() -> None:
    job = Job(**json.load(sys.stdin))
    try:
        import uvloop
    except ImportError:  # plain asyncio still works, only slower
        result = asyncio.run(run(job))
    else:
        result = uvloop.run(run(job))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
