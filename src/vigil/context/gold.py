"""The gold set: hand-labelled rows of the third-party data sets, stored without their text.

``gold/gold_set.csv`` holds ``dataset, row_key, labels, annotator_note`` (see ``gold/README.md`` and
``docs/annotation-guide.md``). The texts stay in ``../shared/data`` and are never committed, so this
module joins each gold row back to its text at run time. Training (fine-grained heads) and evaluation
(per-label results) read the gold set through `load_gold`.

Each data set names the column that is its stable row id; ETHOS has none, so its key is the 0-based row
index in ``Ethos_Dataset_Binary.csv``.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vigil.core.errors import InvalidInput, NotFound
from vigil.core.labels import Label, parse_label

GOLD_COLUMNS = ("dataset", "row_key", "labels", "annotator_note")
NONE = "none"
ROW_INDEX = "<row index>"  # key of a data set that has no id column: its 0-based row number

# Several data sets hold multi-line texts; the default csv field limit (128 KiB) is below the longest.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True, slots=True)
class DataSource:
    """Where one data set's rows live inside the data folder, and which columns matter."""

    path: str  # relative to the data folder
    key: str  # the stable row-id column, or ROW_INDEX
    text: str  # the column holding the text to label
    sep: str = ","


DATASETS: dict[str, DataSource] = {
    "fifthtribe_isis_tweets": DataSource("fifthtribe_isis_tweets/tweets.csv", "row_id", "tweets"),
    "isextreme_isis_scraped_tweets": DataSource(
        "isextreme_isis_scraped_tweets/tweets_labelled.csv", "row_id", "tweet"
    ),
    # tweet_unescaped: the raw column has literal "\u2019" escapes only in the negatives (a label leak)
    "nlpexercise_proisis_vs_random_tweets": DataSource(
        "nlpexercise_proisis_vs_random_tweets/balanced_dataset.csv", "row_id", "tweet_unescaped"
    ),
    "crisislex_t26_crisis_tweets": DataSource(
        "crisislex_t26_crisis_tweets/crisislex_t26_labeled_tweets.csv", "tweet_id", "tweet_text"
    ),
    "muc34_terrorism_news": DataSource("muc34_terrorism_news/muc34_documents.csv", "docid", "text"),
    "stormfront_hate_speech": DataSource(
        "stormfront_hate_speech/stormfront_sentences.csv", "file_id", "text"
    ),
    "ethos_hate_speech": DataSource("ethos_hate_speech/Ethos_Dataset_Binary.csv", ROW_INDEX, "comment", ";"),
    "germeval_harmful_content_de/germeval2026_vio_train": DataSource(
        "germeval_harmful_content_de/germeval2026_vio_train.csv", "id", "description", ";"
    ),
    "germeval_harmful_content_de/germeval2026_c2a_train": DataSource(
        "germeval_harmful_content_de/germeval2026_c2a_train.csv", "id", "description", ";"
    ),
    "germeval_harmful_content_de/germeval2026_dbo_train": DataSource(
        "germeval_harmful_content_de/germeval2026_dbo_train.csv", "id", "description", ";"
    ),
}


@dataclass(frozen=True, slots=True)
class GoldRow:
    dataset: str
    row_key: str
    labels: tuple[Label, ...]  # empty means "none"
    note: str = ""

    @property
    def label_string(self) -> str:
        return "|".join(label.value for label in self.labels) or NONE


@dataclass(frozen=True, slots=True)
class GoldExample:
    """A gold row joined to its text and to the data set's own columns (for provenance and strata)."""

    row: GoldRow
    text: str
    record: Mapping[str, str]


def default_gold_path() -> Path:
    """``gold/gold_set.csv`` of the source checkout this module was imported from."""
    return Path(__file__).resolve().parents[3] / "gold" / "gold_set.csv"


def parse_labels(value: str) -> tuple[Label, ...]:
    """``"incitement|glorification"`` -> labels in taxonomy order; ``"none"`` -> ().

    Raises:
        InvalidLabel: a name is not in the taxonomy.
    """
    value = value.strip()
    if value == NONE:
        return ()
    found = {parse_label(part) for part in value.split("|")}
    return tuple(label for label in Label if label in found)


def read_gold(path: str | Path | None = None) -> list[GoldRow]:
    """Read and validate a gold CSV.

    Raises:
        InvalidInput: the file is missing, has other columns, an unknown data set or a repeated row.
        InvalidLabel: a label is not in the taxonomy.
    """
    gold_path = Path(path) if path is not None else default_gold_path()
    if not gold_path.is_file():
        raise InvalidInput(
            f"gold set {str(gold_path)!r} does not exist", hint="pass the path of gold_set.csv"
        )
    rows: list[GoldRow] = []
    seen: set[tuple[str, str]] = set()
    with gold_path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != GOLD_COLUMNS:
            raise InvalidInput(
                f"{gold_path}: columns are {reader.fieldnames!r}", hint=f"expected {', '.join(GOLD_COLUMNS)}"
            )
        for line, rec in enumerate(reader, start=2):
            dataset, key = rec["dataset"], rec["row_key"]
            if dataset not in DATASETS:
                raise InvalidInput(
                    f"{gold_path}:{line}: unknown data set {dataset!r}",
                    hint="use one of: " + ", ".join(DATASETS),
                )
            if (dataset, key) in seen:
                raise InvalidInput(f"{gold_path}:{line}: row {dataset}/{key} appears twice", hint="keep one")
            seen.add((dataset, key))
            rows.append(GoldRow(dataset, key, parse_labels(rec["labels"]), rec["annotator_note"]))
    return rows


def write_gold(rows: Iterable[GoldRow], path: str | Path) -> None:
    """Write rows sorted by data set and key, so that diffs of the committed file stay readable."""
    ordered = sorted(rows, key=lambda r: (r.dataset, r.row_key))
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(GOLD_COLUMNS)
        for row in ordered:
            writer.writerow((row.dataset, row.row_key, row.label_string, row.note))


@lru_cache(maxsize=16)
def _table(data_dir: str, dataset: str) -> dict[str, dict[str, str]]:
    source = DATASETS[dataset]
    path = Path(data_dir) / source.path
    if not path.is_file():
        raise NotFound(
            "data file", str(path), hint="set the data folder (settings.data_dir / VIGIL_DATA_DIR)"
        )
    out: dict[str, dict[str, str]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for index, rec in enumerate(csv.DictReader(fh, delimiter=source.sep)):
            key = str(index) if source.key == ROW_INDEX else rec[source.key]
            out.setdefault(key, rec)  # CrisisLex repeats one tweet id; the first row is the one kept
    return out


def dataset_rows(data_dir: str | Path, dataset: str) -> dict[str, dict[str, str]]:
    """Every row of ``dataset`` by its row key (read once per process and cached)."""
    if dataset not in DATASETS:
        raise NotFound("data set", dataset, hint="use one of: " + ", ".join(DATASETS))
    return _table(str(Path(data_dir).resolve()), dataset)


def text_of(data_dir: str | Path, dataset: str, record: Mapping[str, str]) -> str:
    return record[DATASETS[dataset].text]


def load_gold(data_dir: str | Path, path: str | Path | None = None) -> list[GoldExample]:
    """The gold set joined to its texts.

    Raises:
        NotFound: a data file is missing, or a gold row's key is not in its data set.
    """
    examples: list[GoldExample] = []
    for row in read_gold(path):
        table = dataset_rows(data_dir, row.dataset)
        record = table.get(row.row_key)
        if record is None:
            raise NotFound(
                f"row in {row.dataset}",
                row.row_key,
                hint="the gold set and the data folder disagree; check versions",
            )
        examples.append(GoldExample(row, text_of(data_dir, row.dataset, record), record))
    return examples
