"""Readers for the third-party labelled sets in ``../shared/data``, mapped onto the model's heads.

Where it sits: `vigil.training.train` and `vigil.training.figures` call `load_examples`; nothing here is
used at serving time. The data are read at run time and never copied into the repository.

Every example carries its data set and row id (the only thing an artifact may keep of it), its text,
and a target per head where the data say something about that head. A head is trained only on the rows
where its target is known ("missing" is not "negative": a Fifth Tribe tweet is not evidence against
incitement). Caveats from the data READMEs that shape the mapping:

* Fifth Tribe labels are account-level (content of the pro-ISIS milieu, not per-tweet propaganda);
* nlpexercise has an escape-character label leak: only ``tweet_unescaped`` is read, and only its random
  negatives (its positives duplicate Fifth Tribe);
* isextreme labels are noisy and the second labelling round is mostly positive: the round is never a
  feature;
* GermEval and ETHOS use ``;`` separators; ETHOS values are annotator fractions, binarised at 0.5.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from vigil.core.errors import InvalidInput
from vigil.training.splits import assign_split

# The heads of the model and the taxonomy label each one is reported as.
HEADS: dict[str, str | None] = {
    "support": "glorification",  # support for / praise of a terrorist group (isextreme "supporting")
    "milieu": None,  # content typical of pro-ISIS accounts (Fifth Tribe): evidence, not a harm label
    "incitement": "incitement",  # calls on others to commit violence
    "reporting": "reporting",  # news or research framing (a context, not a harm)
}
# Negative for every head: text from outside the terrorist milieu that neither supports, calls nor reports.
_PLAIN = {"support": 0, "milieu": 0, "incitement": 0, "reporting": 0}
# Reporting-about-attacks sets kept out of training entirely so the "must pass" figures are honest.
HELD_OUT_EVENTS = frozenset({"2013_Boston_bombings", "2013_LA_airport_shootings"})

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(slots=True)
class Example:
    dataset: str
    row_id: str
    text: str
    targets: dict[str, int]
    split: str = "train"  # train | test
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.dataset}:{self.row_id}"


def _rows(path: Path, sep: str = ",") -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise InvalidInput(f"data file {str(path)!r} is missing", hint="point --data-dir at ../shared/data")
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh, delimiter=sep)


def _example(dataset: str, row_id: str, text: str, targets: dict[str, int], **meta: str) -> Example:
    return Example(dataset, row_id, text, targets, split=assign_split(text), meta=dict(meta))


def fifthtribe(root: Path) -> Iterator[Example]:
    for r in _rows(root / "fifthtribe_isis_tweets" / "tweets.csv"):
        yield _example("fifthtribe", r["row_id"], r["tweets"], {"milieu": 1})


def nlpexercise(root: Path) -> Iterator[Example]:
    """Only the random negatives, from ``tweet_unescaped`` (see the label-leak caveat)."""
    for r in _rows(root / "nlpexercise_proisis_vs_random_tweets" / "balanced_dataset.csv"):
        if r["isis_flag"] == "0":
            yield _example("nlpexercise", r["row_id"], r["tweet_unescaped"], dict(_PLAIN))


def isextreme(root: Path) -> Iterator[Example]:
    for r in _rows(root / "isextreme_isis_scraped_tweets" / "tweets_labelled.csv"):
        # a supporting tweet is not reporting; a discussing one is neither support nor a call
        targets = {"support": 1, "reporting": 0} if r["label"] == "1" else {"support": 0, "incitement": 0}
        yield _example("isextreme", r["row_id"], r["tweet"], targets)


def crisislex(root: Path) -> Iterator[Example]:
    for r in _rows(root / "crisislex_t26_crisis_tweets" / "crisislex_t26_labeled_tweets.csv"):
        targets = {"support": 0, "milieu": 0, "incitement": 0}
        if r["information_source"] == "Media":
            targets["reporting"] = 1
        elif r["information_source"] in {"Eyewitness", "Outsiders"}:
            targets["reporting"] = 0
        ex = _example("crisislex", r["tweet_id"], r["tweet_text"], targets, event=r["event"], source=r["information_source"])
        if r["event"] in HELD_OUT_EVENTS:
            ex.split = "test"
        yield ex


def muc(root: Path) -> Iterator[Example]:
    """MUC-3/4 news reports; the GTT train split trains, its dev and test splits are held out."""
    for r in _rows(root / "muc34_terrorism_news" / "muc34_documents.csv"):
        ex = _example("muc34", r["docid"], r["text"], {"support": 0, "milieu": 0, "incitement": 0, "reporting": 1})
        ex.split = "train" if r["gtt_split"] == "train" else "test"
        yield ex


def stormfront(root: Path) -> Iterator[Example]:
    """Only the non-hateful sentences: a white-supremacist forum's ordinary talk, for over-flagging."""
    for r in _rows(root / "stormfront_hate_speech" / "stormfront_sentences.csv"):
        if r["label"] == "noHate":
            yield _example("stormfront", r["file_id"], r["text"], dict(_PLAIN))


def germeval(root: Path) -> Iterator[Example]:
    """GermEval 2026 violence labels, joined with the subversion labels of the same posts by id."""
    base = root / "germeval_harmful_content_de"
    dbo = {r["id"]: r["dbo"] for r in _rows(base / "germeval2026_dbo_train.csv", sep=";")}
    for r in _rows(base / "germeval2026_vio_train.csv", sep=";"):
        vio = r["vio"]
        targets = {"reporting": 0, "milieu": 0}
        if vio == "call2violence" or dbo.get(r["id"]) == "subversive":
            targets["incitement"] = 1
        elif vio in {"nothing", "other", "support", "glorification"}:
            targets["incitement"] = 0
        if vio in {"support", "glorification"}:
            targets["support"] = 1
        elif vio == "nothing":
            targets["support"] = 0
        yield _example("germeval2026_vio", r["id"], r["description"], targets, vio=vio)


def ethos(root: Path) -> Iterator[Example]:
    """ETHOS: the violence share (multi-label file) binarised at 0.5; non-hateful comments of the
    binary file are negatives for incitement. Row ids are 0-based row numbers in each file."""
    base = root / "ethos_hate_speech"
    seen = set()
    for i, r in enumerate(_rows(base / "Ethos_Dataset_Multi_Label.csv", sep=";")):
        seen.add(r["comment"])
        targets = {"incitement": int(float(r["violence"]) >= 0.5), "reporting": 0, "milieu": 0}
        yield _example("ethos_multi", str(i), r["comment"], targets, violence=r["violence"])
    for i, r in enumerate(_rows(base / "Ethos_Dataset_Binary.csv", sep=";")):
        if r["comment"] not in seen and float(r["isHate"]) < 0.5:
            yield _example("ethos_binary", str(i), r["comment"], dict(_PLAIN))


READERS = {
    "fifthtribe": fifthtribe,
    "nlpexercise": nlpexercise,
    "isextreme": isextreme,
    "crisislex": crisislex,
    "muc34": muc,
    "stormfront": stormfront,
    "germeval": germeval,
    "ethos": ethos,
}


# Gold-set data set names (see gold/README.md) -> ours.
_GOLD_DATASETS = {
    "fifthtribe_isis_tweets": "fifthtribe",
    "isextreme_isis_scraped_tweets": "isextreme",
    "nlpexercise_proisis_vs_random_tweets": "nlpexercise",
    "crisislex_t26_crisis_tweets": "crisislex",
    "muc34_terrorism_news": "muc34",
    "stormfront_hate_speech": "stormfront",
    "germeval_harmful_content_de/germeval2026_vio_train": "germeval2026_vio",
    "germeval_harmful_content_de/germeval2026_c2a_train": "germeval2026_vio",
    "germeval_harmful_content_de/germeval2026_dbo_train": "germeval2026_vio",
}


def apply_gold(examples: list[Example], root: Path, gold_path: str | Path | None = None) -> int:
    """Attach the gold set's taxonomy labels (``docs/annotation-guide.md``) to the examples they name,
    as ``meta["gold"]``, and let them override the weaker source labels of the heads they define:
    ``incitement`` (calls, not wishes or insults) and ``reporting`` everywhere, ``support`` outside
    isextreme (whose own label is what the isextreme figure measures). Returns how many matched."""
    from vigil.context.gold import read_gold

    try:
        rows = read_gold(gold_path)
    except (OSError, InvalidInput):
        return 0
    by_id = {ex.id: ex for ex in examples}
    ethos_text: dict[str, Example] = {ex.text: ex for ex in examples if ex.dataset.startswith("ethos")}
    ethos_rows = None
    matched = 0
    for row in rows:
        ex = None
        if row.dataset == "ethos_hate_speech":
            if ethos_rows is None:
                ethos_rows = [r["comment"] for r in _rows(root / "ethos_hate_speech" / "Ethos_Dataset_Binary.csv", sep=";")]
            index = int(row.row_key)
            ex = ethos_text.get(ethos_rows[index]) if index < len(ethos_rows) else None
        elif row.dataset in _GOLD_DATASETS:
            ex = by_id.get(f"{_GOLD_DATASETS[row.dataset]}:{row.row_key}")
        if ex is None:
            continue
        labels = {label.value for label in row.labels}
        ex.meta["gold"] = "|".join(sorted(labels)) or "none"
        ex.targets["incitement"] = int("incitement" in labels)
        ex.targets["reporting"] = int("reporting" in labels)
        if ex.dataset != "isextreme":
            ex.targets["support"] = int("glorification" in labels)
        matched += 1
    return matched


def load_examples(root: Path | str, datasets: tuple[str, ...] | None = None, gold: bool = True) -> list[Example]:
    """Every example of the named data sets (all by default), with its split already assigned and the
    gold set's labels applied (`apply_gold`)."""
    root = Path(root)
    if not root.is_dir():
        raise InvalidInput(f"data folder {str(root)!r} does not exist", hint="pass --data-dir ../shared/data")
    out: list[Example] = []
    for name in datasets if datasets is not None else tuple(READERS):
        if name not in READERS:
            raise InvalidInput(f"unknown data set {name!r}", hint="known: " + ", ".join(READERS))
        out.extend(READERS[name](root))
    if gold:
        apply_gold(out, root)
    return out


def head_for_label(label: str) -> str:
    """The head trained by ``--extra-label``: a head name, a taxonomy label a head reports, or ``any``
    (the support head)."""
    if label in HEADS:
        return label
    for head, reported in HEADS.items():
        if reported == label:
            return head
    if label == "any":
        return "support"
    raise InvalidInput(f"no learned head for label {label!r}", hint="use any, " + ", ".join(h for h in HEADS))


def load_extra(path: Path | str, text_column: str, label_column: str, positive: str, head: str = "support") -> list[Example]:
    """A user's own labelled CSV or JSON Lines file: every row is an example for ``head``."""
    path = Path(path)
    if head not in HEADS:
        raise InvalidInput(f"unknown head {head!r} for {str(path)!r}", hint="use one of: " + ", ".join(HEADS))
    rows = read_table(path)
    out = []
    for i, r in enumerate(rows):
        if text_column not in r or label_column not in r:
            raise InvalidInput(
                f"{path}:{i + 2}: columns {text_column!r} and {label_column!r} are required, found {sorted(r)!r}",
                hint="set --text-column and --label-column",
            )
        label = int(str(r[label_column]).strip() == positive)
        out.append(_example(f"extra:{path.name}", str(i), str(r[text_column] or ""), {head: label}))
    return out


def read_table(path: Path) -> list[dict[str, object]]:
    """Rows of a CSV (``,`` or ``;`` sniffed from the header) or a JSON Lines file."""
    if not path.is_file():
        raise InvalidInput(f"file {str(path)!r} does not exist")
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        rows: list[dict[str, object]] = []
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise InvalidInput(f"{path}:{n}: not JSON ({exc.msg})", hint="one JSON object per line") from exc
        return rows
    with path.open(encoding="utf-8", newline="") as fh:
        header = fh.readline()
        fh.seek(0)
        sep = ";" if header.count(";") > header.count(",") else ","
        return list(csv.DictReader(fh, delimiter=sep))
