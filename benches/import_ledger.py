"""The peer of `cargo bench --bench import_ledger`: Python polars scans a sales ledger and sums it by
key (lazy scan, group-by), the work Vetta's import does before it writes. Prints seconds and groups.
Usage: python3 benches/import_ledger.py FILE [RUNS]"""
import sys
import time

import polars as pl

path = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
times = []
groups = 0
for _ in range(runs):
    start = time.perf_counter()
    frame = (
        pl.scan_csv(path, infer_schema_length=0)
        .with_columns(pl.col("revenue_usd").cast(pl.Float64), pl.col("year").cast(pl.Int64))
        .group_by(["vendor_id", "year", "country", "segment"])
        .agg(pl.col("revenue_usd").sum())
        .collect()
    )
    times.append(time.perf_counter() - start)
    groups = frame.height
times.sort()
print(f"{times[len(times) // 2]:.4f} {groups}")
