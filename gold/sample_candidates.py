"""Pick the rows of ../shared/data that go into the gold set (keys only, never text).

Deterministic (seeded): re-running it on the same data gives the same `gold/candidates.csv`.
Strata are random draws per data set and per source label, plus keyword-targeted draws that find
candidates for the rare labels (threats, fundraising, instructions, official releases, recruitment).
A keyword only *selects* a row for reading; the label is decided by reading the text under
docs/annotation-guide.md. Within a data set the candidates are shuffled so that the annotator does not
see which stratum a row came from.

    .venv/bin/python gold/sample_candidates.py [DATA_DIR]
"""

from __future__ import annotations

import csv
import random
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

from vigil.context.gold import DATASETS, dataset_rows

SEED = 20240328
OUT = Path(__file__).resolve().parent / "candidates.csv"

Row = dict[str, str]
Pred = Callable[[Row], bool]

# Keyword searches for the rare labels (English, Arabic, some transliterations).
KEYWORDS = {
    "official": r"amaq|a'maq|أعماق|\bnaba\b|النبأ|wilay[ae]t|ولاية|al[- ]?furqan|al[- ]?hayat|furat|dabiq|rumiyah",
    "funding": r"donat|\bfund|send money|paypal|bitcoin|تبرع|sadaqa|infaq|your wealth|with wealth",
    "instruction": r"how to make|explosiv|recipe|manual|tutorial|bomb[- ]?making|detonat|\bIED\b|poison",
    "migration": r"\bhijr|make hijra|migrat|هجرة|come to (the )?(sham|khilafah|dawlah)",
    "network": r"\bfollow\b|shout ?out|\bsuspended\b|new account|back again|telegram|join us",
    "threat": r"we will (kill|slaughter|come|strike|burn)|you will (be|not be) safe|is next|coming for you|wait for us",
    "violence": r"\bkill (them|the|all|every)|slaughter|strike them|attack them|behead|massacre them|shoot them",
    "claim": r"claim|responsibility|تبنى|carried out",
}
HATE_VIOLENCE = r"\bkill|shoot|hang|lynch|bomb|gas the|burn|exterminat|death to|violence|war\b"


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", unicodedata.normalize("NFKC", text).lower()).strip()


def _kw(name_or_pattern: str, column: str) -> Pred:
    pattern = re.compile(KEYWORDS.get(name_or_pattern, name_or_pattern), re.I)
    return lambda rec: bool(pattern.search(rec[column]))


def _col(column: str, *values: str) -> Pred:
    return lambda rec: rec[column] in values


def _both(*preds: Pred) -> Pred:
    return lambda rec: all(p(rec) for p in preds)


def _float_at_least(column: str, low: float, high: float = 1.01) -> Pred:
    return lambda rec: low <= float(rec[column] or 0) < high


def strata(data_dir: Path) -> list[tuple[str, str, Pred, int]]:
    """(data set, stratum name, predicate, how many) in the order they are drawn."""
    ft, ie = "fifthtribe_isis_tweets", "isextreme_isis_scraped_tweets"
    vio = "germeval_harmful_content_de/germeval2026_vio_train"
    dbo = "germeval_harmful_content_de/germeval2026_dbo_train"
    c2a = "germeval_harmful_content_de/germeval2026_c2a_train"
    cl = "crisislex_t26_crisis_tweets"
    attacks = ("2013_Boston_bombings", "2013_LA_airport_shootings")
    ethos_violent = _ethos_violent(data_dir)
    out: list[tuple[str, str, Pred, int]] = []
    for name, n in (
        ("threat", 7),
        ("funding", 20),
        ("instruction", 20),
        ("migration", 12),
        ("official", 35),
        ("claim", 10),
        ("network", 15),
        ("violence", 15),
    ):
        out.append((ft, f"kw:{name}", _kw(name, "tweets"), n))
    out.append((ft, "random", lambda rec: True, 100))
    for name, n in (
        ("threat", 7),
        ("funding", 12),
        ("instruction", 10),
        ("migration", 8),
        ("violence", 15),
        ("network", 5),
    ):
        out.append((ie, f"kw:{name}", _kw(name, "tweet"), n))
    out += [
        (ie, "label=1", _col("label", "1"), 70),
        (ie, "label=0", _col("label", "0"), 70),
        ("nlpexercise_proisis_vs_random_tweets", "isis_flag=0", _col("isis_flag", "0"), 50),
        (cl, "attack Media", _both(_col("event", *attacks), _col("information_source", "Media")), 120),
        (
            cl,
            "attack other source",
            _both(_col("event", *attacks), lambda r: r["information_source"] != "Media"),
            50,
        ),
        (
            cl,
            "other event Media",
            _both(lambda r: r["event"] not in attacks, _col("information_source", "Media")),
            30,
        ),
        ("muc34_terrorism_news", "clandestine", _col("dateline_place", "CLANDESTINE"), 30),
        ("muc34_terrorism_news", "random", lambda rec: True, 60),
        (vio, "call2violence", _col("vio", "call2violence"), 60),
        (vio, "support", _col("vio", "support"), 15),
        (vio, "glorification", _col("vio", "glorification"), 15),
        (vio, "prospensity", _col("vio", "prospensity"), 15),
        (vio, "other", _col("vio", "other"), 10),
        (vio, "nothing", _col("vio", "nothing"), 25),
        (dbo, "agitation", _col("dbo", "agitation"), 10),
        (dbo, "subversive", _col("dbo", "subversive"), 10),
        (c2a, "TRUE", _col("c2a", "TRUE"), 10),
        ("ethos_hate_speech", "violence>=0.5", lambda r: _norm(r["comment"]) in ethos_violent, 40),
        (
            "ethos_hate_speech",
            "hate, violence<0.5",
            _both(_float_at_least("isHate", 0.5), lambda r: _norm(r["comment"]) not in ethos_violent),
            20,
        ),
        ("ethos_hate_speech", "not hate", lambda r: float(r["isHate"]) < 0.5, 20),
        (
            "stormfront_hate_speech",
            "hate+violence words",
            _both(_col("label", "hate"), _kw(HATE_VIOLENCE, "text")),
            15,
        ),
        ("stormfront_hate_speech", "hate", _col("label", "hate"), 25),
        ("stormfront_hate_speech", "noHate", _col("label", "noHate"), 30),
    ]
    return out


def strata_round2() -> list[tuple[str, str, Pred, int]]:
    """A second, targeted round for the labels the first round left thin (material support,
    instruction, recruitment). Drawn with its own seed after round 1, so round 1 never changes."""
    ft, ie = "fifthtribe_isis_tweets", "isextreme_isis_scraped_tweets"
    vio = "germeval_harmful_content_de/germeval2026_vio_train"
    c2a = "germeval_harmful_content_de/germeval2026_c2a_train"
    return [
        (
            ft,
            "kw2:funding",
            _kw(
                r"must fund|with (your|their) wealth|wealth, lives|wealth and (their )?lives|"
                r"supported him by money|every muslim must",
                "tweets",
            ),
            12,
        ),
        (
            ie,
            "kw2:funding",
            _kw(
                r"jihad with (one's|your) wealth|with your wealth|financially|collected funds|"
                r"help this jihad|participate with your wealth",
                "tweet",
            ),
            12,
        ),
        (
            ft,
            "kw2:recruitment",
            _kw(
                r"give bay|join (the|our) (caravan|ranks|telegram)|join our telegram|"
                r"make hijr|join the islamic state",
                "tweets",
            ),
            15,
        ),
        (
            ie,
            "kw2:recruitment",
            _kw(r"join (the )?(mujahideen|ranks)|t\.me/|telegram channel|join if", "tweet"),
            10,
        ),
        (
            ft,
            "kw2:instruction",
            _kw(r"opsec|how to (use|communicate)|step-by-step|training camp|snatch rifle", "tweets"),
            10,
        ),
        (ie, "kw2:instruction", _kw(r"instructional|how to build|explosive", "tweet"), 5),
        (vio, "kw2:instruction", _kw(r"molotow|sprengstoff|napalm|bombe", "description"), 10),
        (c2a, "kw2:instruction", _kw(r"molotow|sprengstoff|bastel", "description"), 6),
    ]


def _ethos_violent(data_dir: Path) -> set[str]:
    """ETHOS marks violence only in its multi-label file, which has no id: join on the comment text."""
    path = data_dir / "ethos_hate_speech" / "Ethos_Dataset_Multi_Label.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        return {_norm(r["comment"]) for r in csv.DictReader(fh, delimiter=";") if float(r["violence"]) >= 0.5}


def draw(data_dir: Path) -> list[tuple[str, str, str]]:
    """Round 1 (the stratified sample), then round 2 (targeted), each shuffled per data set."""
    taken: dict[str, set[str]] = {}
    texts_taken: dict[str, set[str]] = {}
    first = _draw_round(data_dir, strata(data_dir), random.Random(SEED), taken, texts_taken)
    second = _draw_round(data_dir, strata_round2(), random.Random(SEED + 1), taken, texts_taken)
    return first + second


def _draw_round(
    data_dir: Path,
    plan: list[tuple[str, str, Pred, int]],
    rng: random.Random,
    taken: dict[str, set[str]],
    texts_taken: dict[str, set[str]],
) -> list[tuple[str, str, str]]:
    chosen: list[tuple[str, str, str]] = []
    skip = {("crisislex_t26_crisis_tweets", "354439470801616898")}  # the one repeated tweet id
    for dataset, stratum, pred, n in plan:
        rows = dataset_rows(data_dir, dataset)
        column = DATASETS[dataset].text
        keys = sorted(k for k, rec in rows.items() if pred(rec))
        rng.shuffle(keys)
        got = 0
        for key in keys:
            norm = _norm(rows[key][column])[:200]
            if (dataset, key) in skip or key in taken.setdefault(dataset, set()):
                continue
            if not norm or norm in texts_taken.setdefault(dataset, set()):
                continue  # near-duplicates (retweets) would only repeat a judgement
            taken[dataset].add(key)
            texts_taken[dataset].add(norm)
            chosen.append((dataset, key, stratum))
            got += 1
            if got == n:
                break
    by_set: dict[str, list[tuple[str, str, str]]] = {}
    for row in chosen:
        by_set.setdefault(row[0], []).append(row)
    ordered: list[tuple[str, str, str]] = []
    for dataset in sorted(by_set):
        group = by_set[dataset]
        rng.shuffle(group)  # hide the stratum order from the annotator
        ordered += group
    return ordered


def main() -> None:
    data_dir = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    rows = draw(data_dir)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("dataset", "row_key", "stratum"))
        writer.writerows(rows)
    print(f"{len(rows)} candidates -> {OUT}")


if __name__ == "__main__":
    main()
