#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus from the project's own fixtures (tests/fixtures/published):
one seed per fixture, prefixed with the byte that picks its format in `published` (Format::ALL:
ftm, bods, gleif, ofac-sdn, csl, fcc); OFAC's four files joined by 0xFF for `ofac_group`; the demo
dataset's tables for `native_csv`. Run from the repository root: python3 fuzz/seed.py"""
import hashlib, os, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
fixtures = root / "tests/fixtures/published"
formats = {"ftm": 0, "bods": 1, "gleif": 2, "ofac-sdn": 3, "csl": 4, "fcc": 5}

def write(target, data):
    folder = root / "fuzz/corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)

for name, index in formats.items():
    for path in sorted((fixtures / name).iterdir()):
        if path.suffix in (".json", ".xml", ".csv", ".jsonl"):
            write("published", bytes([index]) + path.read_bytes())
ofac = fixtures / "ofac-sdn"
write("ofac_group", b"\xff".join((ofac / n).read_bytes() for n in ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]))
tables = ["entities", "vendors", "ownership", "testimony", "designations", "sales", "install_base", "identifiers", "aliases", "links"]
for index, table in enumerate(tables):
    path = root / "data/demo" / f"{table}.csv"
    if path.exists():
        write("native_csv", bytes([index]) + path.read_bytes())
