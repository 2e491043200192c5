"""Where a Till server spends its time on one endpoint, sampled by py-spy.

Starts the same database, seed and server as ``bench.run``, drives one
endpoint from the load process, records the server with ``py-spy`` (a
bench-only tool: ``pip install py-spy``), and prints the functions that are
on the stack most often, inclusive of what they call.

    .venv/bin/python -m bench.profile [--backend postgresql]
        [--endpoint create] [--concurrency 4] [--seconds 8] [--all]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from bench.run import (
    Budget,
    endpoint_spec,
    load,
    scratch_database,
    server,
    till_server,
)
from bench.run import (
    _seed as seed_database,
)

# Frames from these places are the server's own machinery or the standard
# library; the report keeps them out unless --all is given.
_QUIET = ("asyncio/", "uvloop", "<frozen", "threading.py", "selectors.py")


def record(pid: int, seconds: float, out: Path, py_spy: str) -> subprocess.Popen[bytes]:
    command = [py_spy, "record", "--pid", str(pid), "--duration", str(int(seconds)),
               "--rate", "250", "--format", "raw", "--output", str(out),
               "--nonblocking"]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


def summarise(collapsed: Path, show_all: bool, top: int = 60) -> str:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        total += count
        frames = [f.rsplit(":", 1)[0] for f in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    return "\n".join(
        [
            f"{total} samples. Inclusive (frame anywhere on the stack):",
            *_top(inclusive, total, show_all, top),
            "Own time (frame at the top of the stack):",
            *_top(own, total, True, 30),
        ]
    )


def _top(counts: Counter[str], total: int, show_all: bool, top: int) -> list[str]:
    lines = []
    for frame, count in counts.most_common():
        if not show_all and any(q in frame for q in _QUIET):
            continue
        lines.append(f"{100 * count / total:5.1f}%  {frame}")
        if len(lines) >= top:
            break
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="postgresql")
    parser.add_argument("--endpoint", default="create")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "py-spy")
    args = parser.parse_args()
    budget = Budget(args.seconds + 2, 10**6, 0.5)
    with scratch_database(args.backend) as url, server(*till_server(url)) as till:
        seed = asyncio.run(seed_database(url))
        ids: list[str] = []
        if args.endpoint == "retrieve":
            spec = endpoint_spec("create", seed, [], 4, Budget(2, 2000, 0))
            ids = load(till.url, spec)["collected"]
        spec = endpoint_spec(args.endpoint, seed, ids, args.concurrency, budget)
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "profile.txt"
            recorder = record(till.pid, args.seconds, out, args.py_spy)
            result = load(till.url, spec)
            recorder.wait(60)
            print(f"{args.endpoint} on {args.backend} at {args.concurrency}: "
                  f"{result['rps']:.0f} req/s while sampled")  # fmt: skip
            print(summarise(out, args.all))


if __name__ == "__main__":
    main()
