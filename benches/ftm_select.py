"""The selection of `benches/ftm_select.rs`, in Python with orjson, for comparison.

    python3 benches/ftm_select.py FILE SEEDS HOPS

Reads a FollowTheMoney JSON-lines file and an `--ids` file (`os:ID` or `SCHEME:VALUE` a line),
and keeps what the bulk path of `vetta` keeps before staging: the parties within HOPS ownership or
control hops of the seeds (undirected), and the lines that hold them or link or list them. Prints
one JSON object: the counts (lines kept, and the entities, ownership rows and designations they
give) and the seconds it took. Names are not seeds here (an `--ids` file has none).
"""

import hashlib
import json
import re
import sys
import time
from collections import deque

import orjson

PARTIES = {"Company", "Organization", "LegalEntity", "PublicBody", "Person"}
# Link schemata and their (from, to) properties.
LINKS = {
    "Ownership": ("owner", "asset"),
    "Control": ("controller", "controlled"),
    "Directorship": ("director", "organization"),
    "Employment": ("employee", "employer"),
    "Membership": ("member", "organization"),
    "Associate": ("person", "associate"),
    "UnknownLink": ("subject", "object"),
    "Representation": ("agent", "client"),
}
EDGES = {"Ownership", "Control"}
IDENTIFIERS = {
    "leiCode": "LEI",
    "innCode": "RU-INN",
    "ogrnCode": "RU-OGRN",
    "registrationNumber": "REGISTRATION",
    "uniqueEntityId": "US-SAM-UEI",
    "dunsCode": "DUNS",
    "wikidataId": "WIKIDATA",
    "permId": "PERMID",
}
VALID = re.compile(r"[A-Za-z0-9._:-]{1,125}")


def key(raw):
    """The entity id without `os:` (hashed when the raw id is not a valid id)."""
    if VALID.fullmatch(raw):
        return raw
    return "h" + hashlib.sha256(raw.encode()).hexdigest()[:16]


def values(properties, name):
    value = properties.get(name)
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    if isinstance(value, str):
        return [value]
    return []


def flatten(entity, things):
    """The entity and its nested entities, as things; False when one is not an entity."""
    eid, schema = entity.get("id"), entity.get("schema")
    if not isinstance(eid, str) or not isinstance(schema, str):
        return False
    properties = entity.get("properties")
    if not isinstance(properties, dict):
        properties = {}
    ok = True
    for items in properties.values():
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("id"), str) and "schema" in item:
                    ok = flatten(item, things) and ok
                    items[i] = item["id"]
    things.append((eid, schema, properties, entity))
    return ok


def peak_rss_kb():
    """VmHWM of this process (`ru_maxrss` would count the parent's, kept across exec)."""
    with open("/proc/self/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    path, seeds_path, hops = sys.argv[1], sys.argv[2], int(sys.argv[3])
    start = time.perf_counter()
    seed_ids, seed_identifiers = set(), set()
    with open(seeds_path, encoding="utf-8") as seeds:
        for line in seeds:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            scheme, _, value = line.partition(":")
            if scheme == "os":
                seed_ids.add(value)
            elif scheme.isupper():
                seed_identifiers.add((scheme, value.strip()))
    hits = set()
    graph = {}
    line_refs = []  # per line that is not blank: its refs, or None when it is kept anyway
    links = []  # (from, to) of link rows
    listings = []  # subjects of sanctions
    records = 0
    with open(path, "rb") as lines:
        for text in lines:
            if not text.strip():
                continue
            records += 1
            try:
                line = orjson.loads(text)
            except orjson.JSONDecodeError:
                line_refs.append(None)
                continue
            things = []
            always = not isinstance(line, dict) or not flatten(line, things)
            refs = []
            for eid, schema, properties, entity in things:
                if schema in PARTIES:
                    k = key(eid)
                    refs.append(k)
                    hit = k in seed_ids
                    if not hit and seed_identifiers:
                        own = [("OPENSANCTIONS", eid)]
                        referents = entity.get("referents")
                        if isinstance(referents, str):
                            referents = [referents]
                        if isinstance(referents, list):
                            own += [("OPENSANCTIONS", r) for r in referents if isinstance(r, str)]
                        for prop, scheme in IDENTIFIERS.items():
                            own += [(scheme, v) for v in values(properties, prop)]
                        hit = any((s, v.strip()) in seed_identifiers for s, v in own)
                    if hit:
                        hits.add(k)
                elif schema in LINKS:
                    source, target = LINKS[schema]
                    ends = values(properties, source), values(properties, target)
                    for side in ends:
                        refs += [key(v) for v in side]
                        if side and key(side[0]) in seed_ids:
                            hits.add(key(side[0]))
                    if ends[0] and ends[1]:
                        a, b = key(ends[0][0]), key(ends[1][0])
                        links.append((a, b))
                        if schema in EDGES:
                            graph.setdefault(a, []).append(b)
                            graph.setdefault(b, []).append(a)
                elif schema == "Sanction":
                    subjects = [key(v) for v in values(properties, "entity")]
                    refs += subjects
                    if subjects:
                        listings.append(subjects[0])
            line_refs.append(None if always else refs)
    kept = set(hits)
    queue = deque((h, 0) for h in hits)
    while queue:
        node, depth = queue.popleft()
        if depth == hops:
            continue
        for other in graph.get(node, ()):
            if other not in kept:
                kept.add(other)
                queue.append((other, depth + 1))
    lines_kept = sum(1 for refs in line_refs if refs is None or any(r in kept for r in refs))
    seconds = time.perf_counter() - start
    report = {
        "records": records,
        "lines": lines_kept,
        "entities": len(kept),
        "ownership": sum(1 for a, b in links if a != b and a in kept and b in kept),
        "designations": sum(1 for s in listings if s in kept),
        "seconds": seconds,
        "peak_rss_kb": peak_rss_kb(),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
