"""The `gleif_select` bench's Python side: the same selection as vetta's GLEIF bulk path
(src/published/gleif_bulk.rs), in Python polars.

    python3 benches/gleif_select.py LEI_CSV RR_CSV IDS_FILE OUT_DIR HOPS

Lazy scans with every column as text, the same projections (the columns vetta's mapper reads, and
a row index), the same filters (trimmed LEIs in the reached set) and the same joins (a hop: the
frontier joined to the consolidation pairs' starts and ends, less what was reached). Writes the
selected LEI records and relationships as CSV and the reached LEIs to OUT_DIR, and prints one JSON
line: the selection's seconds (after imports, including writing), the counts, the polars version.
"""

import json
import os
import sys
import time

import polars as pl

ROW = "__vetta_row"
CONSOLIDATION = ["IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY"]


def key(name):
    """A column's text, trimmed; "" when absent."""
    return pl.col(name).str.strip_chars().fill_null("")


def lei_columns(header):
    """The columns vetta's mapper reads from an LEI-CDF golden copy, in header order."""
    wanted = {
        "LEI",
        "Entity.LegalName",
        "Entity.LegalAddress.Country",
        "Entity.RegistrationAuthority.RegistrationAuthorityID",
        "Entity.RegistrationAuthority.OtherRegistrationAuthorityID",
        "Entity.RegistrationAuthority.RegistrationAuthorityEntityID",
        "Entity.LegalJurisdiction",
        "Entity.EntityCategory",
        "Entity.EntitySubCategory",
        "Entity.LegalForm.EntityLegalFormCode",
        "Entity.EntityStatus",
        "Registration.RegistrationStatus",
    }
    for prefix in (
        "Entity.OtherEntityNames.OtherEntityName",
        "Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName",
    ):
        for n in range(1, 51):
            wanted |= {f"{prefix}.{n}", f"{prefix}.{n}.type"}
    return [h for h in header if h in wanted]


def rr_columns(header):
    """The columns vetta's mapper reads from an RR-CDF golden copy, in header order."""
    wanted = {
        "Relationship.StartNode.NodeID",
        "Relationship.StartNode.NodeIDType",
        "Relationship.EndNode.NodeID",
        "Relationship.EndNode.NodeIDType",
        "Relationship.RelationshipType",
        "Relationship.RelationshipStatus",
        "Registration.RegistrationStatus",
        "Registration.ValidationSources",
    }
    for n in range(1, 51):
        wanted |= {f"Relationship.Period.{n}.{f}" for f in ("startDate", "endDate", "periodType")}
        wanted |= {f"Relationship.Quantifiers.{n}.{f}" for f in ("QuantifierAmount", "QuantifierUnits")}
    return [h for h in header if h in wanted]


def scan(path, row_index):
    return pl.scan_csv(path, infer_schema=False, row_index_name=ROW if row_index else None)


def main():
    lei_path, rr_path, ids_path, out_dir, hops = sys.argv[1:6]
    hops = int(hops)
    start = time.perf_counter()
    seeds = set()
    with open(ids_path, encoding="utf-8") as ids:
        for line in ids:
            line = line.strip()
            if line.startswith("LEI:"):
                seeds.add(line[4:].strip())
            elif line.startswith("lei:"):
                seeds.add(line[4:])
    seeds.discard("")

    rr_header = scan(rr_path, False).collect_schema().names()
    start_col, end_col = "Relationship.StartNode.NodeID", "Relationship.EndNode.NodeID"
    # The relationship file, whole (its mapper columns), and the consolidation pairs.
    rr = scan(rr_path, True).select([ROW, *rr_columns(rr_header)]).collect()
    edges = (
        rr.lazy()
        .filter(key("Relationship.RelationshipType").is_in(CONSOLIDATION))
        .select(key(start_col).alias("a"), key(end_col).alias("b"))
        .filter((pl.col("a") != "") & (pl.col("b") != ""))
        .unique()
        .collect()
    )
    reached = pl.DataFrame({"lei": sorted(seeds)}, schema={"lei": pl.String})
    frontier = reached
    for _ in range(hops):
        if frontier.height == 0:
            break
        forward = edges.lazy().join(frontier.lazy(), left_on="a", right_on="lei", how="inner").select(pl.col("b").alias("lei"))
        backward = edges.lazy().join(frontier.lazy(), left_on="b", right_on="lei", how="inner").select(pl.col("a").alias("lei"))
        frontier = (
            pl.concat([forward, backward])
            .unique()
            .filter(~pl.col("lei").is_in(reached["lei"].implode()))
            .collect()
        )
        reached = pl.concat([reached, frontier])
    kept = reached["lei"].implode()

    lei_header = scan(lei_path, False).collect_schema().names()
    lei_rows = (
        scan(lei_path, True)
        .filter(key("LEI").is_in(kept))
        .select([ROW, *lei_columns(lei_header)])
        .sort(ROW)
        .collect()
    )
    rr_rows = rr.lazy().filter(key(start_col).is_in(kept) | key(end_col).is_in(kept)).collect()

    os.makedirs(out_dir, exist_ok=True)
    lei_rows.write_csv(os.path.join(out_dir, "lei-selected.csv"))
    rr_rows.write_csv(os.path.join(out_dir, "rr-selected.csv"))
    seconds = time.perf_counter() - start
    with open(os.path.join(out_dir, "reached.txt"), "w", encoding="utf-8") as out:
        out.write("".join(f"{lei}\n" for lei in sorted(reached["lei"].to_list())))
    print(
        json.dumps(
            {
                "seconds": seconds,
                "reached": reached.height,
                "lei_records": lei_rows.height,
                "relationships": rr_rows.height,
                "polars": pl.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
