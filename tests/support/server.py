"""A real Till server process for contract tests driven through the SDK."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

TEST_SECRET_KEY = "test-secret-key-" + "x" * 32


@dataclass
class ServerProcess:
    url: str
    database_url: str
    env: dict[str, str]
    workdir: Path
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, port: int, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TILL_DATABASE_URL=database_url,
        TILL_PUBLIC_URL=f"http://127.0.0.1:{port}",
        # The same key as the in-process settings, so either side can read
        # what the other encrypted or signed (webhook secrets, page tokens).
        TILL_SECRET_KEY=TEST_SECRET_KEY,
        TILL_WEBHOOK_ALLOW_PRIVATE="true",
        TILL_LOG_LEVEL="warning",
        # Every browser and contract test pays from 127.0.0.1.
        TILL_PAY_ATTEMPTS_PER_CLIENT_HOUR="100000",
    )
    env.update(extra)
    return env


def launch(env: dict[str, str], port: int, workdir: Path) -> subprocess.Popen[bytes]:
    log = (workdir / f"server-{port}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "till.cli", "serve", "--port", str(port)],
        env=env,
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_healthy(
    url: str, process: subprocess.Popen[bytes], timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not become healthy")


@contextmanager
def start_server(
    database_url: str, workdir: Path, **extra_env: str
) -> Iterator[ServerProcess]:
    port = free_port()
    env = server_env(database_url, port, **extra_env)
    process = launch(env, port, workdir)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield ServerProcess(url, database_url, env, workdir, process)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
