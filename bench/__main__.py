"""``python -m bench [options]``: run the benchmark, write the JSON and the Markdown.

``python -m bench --fleet-day [options]`` runs the fleet-sized day instead (``bench.fleetday``).
"""

from __future__ import annotations

import asyncio
import shlex
import sys

from bench.config import parse_config
from bench.report import markdown, write_json
from bench.run import run
from bench.servers import BenchError


def main(argv: list[str]) -> int:
    if "--fleet-day" in argv:  # a scenario of its own, with its own options (bench/fleetday.py)
        from bench import fleetday  # noqa: PLC0415 - only that run needs it

        return fleetday.main([arg for arg in argv if arg != "--fleet-day"])
    command = shlex.join(["nox", "-s", "bench", *(["--", *argv] if argv else [])])
    config = parse_config(argv, command)
    try:
        results = asyncio.run(run(config))
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    write_json(results, config.results)
    config.markdown.parent.mkdir(parents=True, exist_ok=True)
    config.markdown.write_text(markdown(results))
    print(markdown(results))
    print(f"results: {config.results}, table: {config.markdown}", file=sys.stderr)
    # The memory bound of the export is a hard limit, not a figure to read: it fails the run.
    exports = [round_["scenarios"]["export"] for round_ in results["rounds"]]
    if not all(export["within_bound"] and export["rows_complete"] for export in exports):
        print("bench: an export grew a worker's memory past its bound", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
