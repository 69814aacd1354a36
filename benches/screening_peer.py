"""The peer of `benches/screening.rs` on the labelled set: OpenSanctions' matcher, nomenklatura's
`logic-v2` (yente's default algorithm), at yente's default threshold 0.70.

    python3 benches/screening_peer.py SET.json

SET.json (written by the bench) holds the universe — the published fixtures as imported — and
the labelled queries. Every query is compared with every universe entity (no blocking, so the
matcher sees every candidate yente's search could hand it); the top score counts, as for Vetta.
Prints one JSON object: found, wrong, missed, positives, negatives, seconds per query, failures.
"""

import json
import sys
import time

from followthemoney import model
from nomenklatura.matching import LogicV2

THRESHOLD = 0.70
SCHEMA = {"company": "Company", "person": "Person", "state_body": "PublicBody"}


def proxy(party):
    entity = model.make_entity(SCHEMA.get(party["kind"], "LegalEntity"))
    entity.id = party["id"]
    names = party["names"]
    entity.add("name", names[0])
    for alias in names[1:]:
        entity.add("alias", alias)
    country = party.get("country") or ""
    if len(country) == 2 and country.isupper():
        entity.add("country", country.lower())
    for scheme, value in party.get("identifiers", []):
        if scheme == "LEI" and entity.schema.get("leiCode"):
            entity.add("leiCode", value)
        elif entity.schema.get("registrationNumber"):
            entity.add("registrationNumber", value)
    return entity


def main():
    data = json.load(open(sys.argv[1]))
    universe = [proxy(p) for p in data["universe"]]
    config = LogicV2.default_config()
    result = {"found": 0, "wrong": 0, "missed": 0, "positives": 0, "negatives": 0, "failures": []}
    start = time.perf_counter()
    for query in data["queries"]:
        q = proxy(query["party"])
        expected = query["expected"]
        result["positives" if expected else "negatives"] += 1
        best, best_id = 0.0, None
        for candidate in universe:
            if candidate.schema.name == "LegalEntity" or q.schema.can_match(candidate.schema):
                score = LogicV2.compare(q, candidate, config).score
                if score > best:
                    best, best_id = score, candidate.id
        name = query["party"]["names"][0]
        if best >= THRESHOLD and best_id in expected:
            result["found"] += 1
        elif best >= THRESHOLD:
            result["wrong"] += 1
            result["failures"].append(f"{name!r} ({query['variation']}) -> {best_id} at {best:.2f}")
        elif expected:
            result["missed"] += 1
            result["failures"].append(f"{name!r} ({query['variation']}) -> best {best_id} at {best:.2f}")
    elapsed = time.perf_counter() - start
    result["seconds_per_query"] = elapsed / max(1, len(data["queries"]))
    result["comparisons"] = len(data["queries"]) * len(universe)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
