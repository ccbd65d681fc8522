"""Print how long each read-only command takes to answer, as a user runs it (the installed
command, a process of its own, start-up included): the median of 5 runs each against a
database holding the seed article's verified run; write benchmarks/results/cli-startup.json.

The target (issue 30): at most 1.5 s each on 2 cores.

    uv run python -m benchmarks.cli_startup
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimwatch.config import EXAMPLE_REGISTRY, PROJECT_ROOT

RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "cli-startup.json"
EXE = Path(sys.executable).parent / "claimwatch"
SEED = PROJECT_ROOT / "seeds" / "articles" / "pboc-2021-09-24.txt"
RUNS = 5
TARGET_S = 1.5


def claimwatch(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(EXE), *args], env=env, capture_output=True, text=True, check=True, timeout=600
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as root:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMWATCH_")}
        env.update(
            {
                "CLAIMWATCH_DB": str(Path(root) / "claimwatch.duckdb"),
                "CLAIMWATCH_SOURCES": str(EXAMPLE_REGISTRY),
                "COLUMNS": "200",
            }
        )
        claimwatch("run", str(SEED), env=env)
        published = json.loads(claimwatch("verdicts", "--format", "json", env=env).stdout)
        article_id, claim_id = published[0]["article_id"], published[0]["claim_id"]
        commands = {
            "verdicts": ["verdicts"],
            "articles": ["articles"],
            "claims": ["claims", article_id],
            "evidence": ["evidence", claim_id],
            "history": ["history"],
            "sql": ["sql", "select verdict, count(*) from verdicts_published group by 1"],
            "config": ["config"],
        }
        figures = {}
        for name, args in commands.items():
            seconds = []
            for _ in range(RUNS):
                started = time.perf_counter()
                claimwatch(*args, env=env)
                seconds.append(time.perf_counter() - started)
            figures[name] = {
                "median_s": round(statistics.median(seconds), 3),
                "max_s": round(max(seconds), 3),
            }
            print(f"{name:9} median {figures[name]['median_s']:.2f} s", flush=True)
    result = {
        "runs_each": RUNS,
        "target_s": TARGET_S,
        "cpus": os.cpu_count(),
        "commands": figures,
        "all_within_target": all(f["median_s"] <= TARGET_S for f in figures.values()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
