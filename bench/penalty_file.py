"""Write a 双公示 penalty file (CF_ columns) for the bulk importer's benchmark.

    python bench/penalty_file.py --rows 100000 --subjects 2000 --seed 1 --out penalties.csv

The rows are valid penalties about the subjects of the demo dataset ``--subjects``/``--seed``
(seed the database with the same two numbers: ``credit-gateway seed --subjects 2000 --seed
1``), made by the demo generator's own rules (``resolvers.demo.exports``), and streamed to the
file: memory stays flat at any ``--rows``. ``.jsonl`` writes JSON Lines instead of CSV;
``--without-severity`` leaves out ``CF_YZCD`` as the national standard does (the importer then
derives each severity from ``CF_GSJZQ`` − ``CF_JDRQ``).
Measuring the import (docs/IMPORT.md):

    /usr/bin/time -v credit-gateway import penalties penalties.csv --quiet
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

from resolvers.demo.exports import PENALTY_COLUMNS, penalty_export


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--subjects", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("penalties.csv"))
    parser.add_argument("--bom", action="store_true", help="start the CSV with a UTF-8 BOM, "
                                                            "as Excel saves it")
    parser.add_argument("--without-severity", action="store_true",
                        help="leave out CF_YZCD (a local extension), as the national standard "
                             "does")
    args = parser.parse_args()
    columns = [c for c in PENALTY_COLUMNS if not (args.without_severity and c == "CF_YZCD")]
    started = time.perf_counter()
    rows = ({c: row[c] for c in columns}
            for row in penalty_export(args.subjects, args.seed, args.rows))
    with args.out.open("w", encoding="utf-8-sig" if args.bom else "utf-8", newline="") as out:
        if args.out.suffix == ".jsonl":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    size = args.out.stat().st_size
    print(f"{args.rows:,} penalties → {args.out} ({size / 1e6:.1f} MB) "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
