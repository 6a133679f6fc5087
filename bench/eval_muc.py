"""Field accuracy of the extractors on MUC-3/4 (dev and test splits), printed as a table.

Usage: .venv/bin/python bench/eval_muc.py [--data ../shared/data] [--split dev test] [--limit N] [--json]

Reads ``muc34_terrorism_news`` at run time (never copied into the repository). Each document's original
text (with its dateline, upper case except TST4) becomes an item with no published date, so the item
date comes from the dateline as it would for a wire story. Scoring (see docs/evaluation-extract.md):

* PerpOrg and Target: document-level role-filler entities, as in GTT/GRIT. Gold = the union of the
  document's template clusters for the role; predicted = distinct strings from the attack events'
  ``perpetrator``/``claimed_by`` (canonical name and mention text count as one prediction) or ``target``.
  A prediction is correct if, after normalisation (lower case, punctuation and leading articles removed),
  it equals any mention of a gold cluster (strict) or one contains the other (lenient, >= 4 chars);
  each gold cluster is matched at most once. Micro P/R/F1 over all documents.
* Date: the MUC key's incident date is not in the GTT files, so gold is the dateline date. We report
  how often the item date read from the dateline is right, and how often the first attack's resolved day
  falls within the 7 days up to the dateline (a proxy: incidents often predate their report).
* Location: gold is the dateline place (a proxy for the incident location, which GTT dropped): accuracy
  of the first attack's place or country against it, over documents with a gold template and an attack.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vigil.core.settings import Settings  # noqa: E402
from vigil.extract.dates import resolve  # noqa: E402
from vigil.extract.entities import EntitiesExtractor  # noqa: E402
from vigil.extract.events import EventsExtractor  # noqa: E402

sys.path.insert(0, str(ROOT))
from tests.helpers.extract import item  # noqa: E402

_ARTICLES = re.compile(r"^(?:the|a|an)\s+")


def norm(text: str) -> str:
    t = re.sub(r"[^\w\s]", " ", text.lower())
    t = " ".join(t.split())
    return _ARTICLES.sub("", t)


def _matches(pred: set[str], mentions: list[str], lenient: bool) -> bool:
    gold = {norm(m) for m in mentions}
    if pred & gold:
        return True
    if lenient:
        return any(len(p) >= 4 and len(g) >= 4 and (p in g or g in p) for p in pred for g in gold)
    return False


def score_role(preds: list[set[str]], clusters: list[list[str]], lenient: bool) -> tuple[int, int, int]:
    """(correct predictions, predictions, matched gold clusters) for one document and role."""
    used: set[int] = set()
    correct = 0
    for p in preds:
        for i, c in enumerate(clusters):
            if i not in used and _matches(p, c, lenient):
                used.add(i)
                correct += 1
                break
    return correct, len(preds), len(used)


def _gold_clusters(templates: list[dict[str, Any]], role: str) -> list[list[str]]:
    seen: dict[frozenset[str], list[str]] = {}
    for t in templates:
        for cluster in t.get(role, []):
            mentions = [m[0] for m in cluster]
            seen.setdefault(frozenset(norm(m) for m in mentions), mentions)
    return list(seen.values())


def _predictions(events: list[Any], role: str) -> list[set[str]]:
    out: list[set[str]] = []
    for ev in events:
        if ev.kind != "attack":
            continue
        keys = ("perpetrator", "claimed_by") if role == "PerpOrg" else ("target",)
        for key in keys:
            names = {norm(v) for v in (ev.fields.get(key), ev.fields.get(f"{key}_text")) if v}
            if names and not any(names & p for p in out):
                out.append(names)
    return out


def _dateline(raw: str) -> date | None:
    got = resolve(raw, None)
    return date.fromisoformat(got.value) if got.resolved and got.granularity == "day" and got.value else None


def evaluate(data: Path, splits: list[str], limit: int | None) -> dict[str, Any]:
    csv.field_size_limit(10**8)
    with (data / "muc34_documents.csv").open(encoding="utf-8", newline="") as handle:
        docs = {r["docid"]: r for r in csv.DictReader(handle)}
    settings = Settings()
    entities, events = EntitiesExtractor(settings), EventsExtractor(settings)
    results: dict[str, Any] = {}
    for split in splits:
        lines = (data / f"gtt_processed_{split}.jsonl").read_text(encoding="utf-8").splitlines()[:limit]
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        date_right = date_total = near = near_total = loc_right = loc_total = 0
        started = time.perf_counter()
        for line in lines:
            gold = json.loads(line)
            doc = docs[gold["docid"]]
            it = item(doc["text"], language="en", source_id=gold["docid"])
            entities.extract(it)
            _, evs = events.extract(it)
            for role in ("PerpOrg", "Target"):
                clusters = _gold_clusters(gold["templates"], role)
                preds = _predictions(list(evs), role)
                for mode in ("strict", "lenient"):
                    c, p, g = score_role(preds, clusters, mode == "lenient")
                    row = counts[f"{role}/{mode}"]
                    row[0] += c
                    row[1] += p
                    row[2] += g
                    counts[f"{role}/gold"][0] += len(clusters) if mode == "strict" else 0
            gold_date = _dateline(doc["dateline_date"])
            attacks = [e for e in evs if e.kind == "attack"]
            if gold_date:
                date_total += 1
                anchor = attacks[0].fields.get("anchor") if attacks else entities.analyser.analyse(it).anchor
                date_right += str(anchor) == gold_date.isoformat() if anchor else 0
            if gold["templates"] and attacks:
                first = attacks[0].fields
                if gold_date:
                    near_total += 1
                    value = first.get("date") if first.get("date_granularity") == "day" else None
                    if value and first.get("date_resolved"):
                        d = date.fromisoformat(value)
                        near += gold_date - timedelta(days=7) <= d <= gold_date
                if doc["dateline_place"] and doc["dateline_place"].upper() not in {"CLANDESTINE", "NO PLACE"}:
                    loc_total += 1
                    place = {norm(first.get("place") or ""), norm(first.get("country") or "")}
                    loc_right += norm(doc["dateline_place"]) in place
        elapsed = time.perf_counter() - started
        summary: dict[str, Any] = {"documents": len(lines), "seconds": round(elapsed, 1)}
        for role in ("PerpOrg", "Target"):
            gold_total = counts[f"{role}/gold"][0]
            for mode in ("strict", "lenient"):
                c, p, g = counts[f"{role}/{mode}"]
                prec = c / p if p else 0.0
                rec = g / gold_total if gold_total else 0.0
                f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
                summary[f"{role}/{mode}"] = {
                    "P": round(prec, 3),
                    "R": round(rec, 3),
                    "F1": round(f1, 3),
                    "pred": p,
                    "gold": gold_total,
                }
        summary["date/item_date_from_dateline"] = {
            "acc": round(date_right / date_total, 3) if date_total else 0.0,
            "n": date_total,
        }
        summary["date/first_attack_within_7d"] = {
            "acc": round(near / near_total, 3) if near_total else 0.0,
            "n": near_total,
        }
        summary["location/first_attack_eq_dateline_place"] = {
            "acc": round(loc_right / loc_total, 3) if loc_total else 0.0,
            "n": loc_total,
        }
        results[split] = summary
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=str(ROOT.parent / "shared" / "data"), help="folder holding muc34_terrorism_news/"
    )
    parser.add_argument("--split", nargs="+", default=["dev", "test"], choices=["train", "dev", "test"])
    parser.add_argument("--limit", type=int, default=None, help="first N documents per split")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(args.data) / "muc34_terrorism_news"
    if not folder.is_dir():
        sys.exit(f"MUC-3/4 data not found at {folder} (give --data)")
    results = evaluate(folder, args.split, args.limit)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for split, summary in results.items():
        print(f"== {split}: {summary['documents']} documents in {summary['seconds']} s")
        for key, value in summary.items():
            if isinstance(value, dict):
                print(f"  {key:42s} " + "  ".join(f"{k}={v}" for k, v in value.items()))


if __name__ == "__main__":
    main()
