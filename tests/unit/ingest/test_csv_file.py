from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.ingest import read_all
from vigil.core.errors import InvalidInput
from vigil.core.records import ContentKind
from vigil.core.settings import Settings
from vigil.ingest.csv_file import CsvConnector, sniff_delimiter


def write(path: Path, data: str) -> Path:
    path.write_bytes(data.encode("utf-8"))
    return path


def test_csv_semicolons_quoted_newlines_and_bare_cr(settings: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "posts.csv",
        'id;description;label\n'
        '1;"first line\nsecond line";x\n'
        '2;"carriage\rreturn inside";y\n'
        '3;plain;z\n',
    )
    read = read_all(CsvConnector(settings), path)
    assert [(i.source_id, i.text) for i in read.items] == [
        ("1", "first line\nsecond line"),
        ("2", "carriage\rreturn inside"),
        ("3", "plain"),
    ]
    assert [i.locator for i in read.items] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    assert {i.source for i in read.items} == {"csv:posts.csv"}
    assert read.items[0].kind is ContentKind.MESSAGE and read.items[0].connector == "csv.v1"


def test_csv_common_column_names_are_recognised(settings: Settings, tmp_path: Path) -> None:
    # The Fifth Tribe layout: `tweets` is the text, `description` the profile, `username` the author.
    path = write(
        tmp_path / "tweets.csv",
        '"row_id","name","username","description","time","tweets","lang"\n'
        '"7","Display","handle1","my profile","1/6/2015 21:07","the tweet text","en"\n',
    )
    (item,) = read_all(CsvConnector(settings), path).items
    assert (item.source_id, item.author, item.text) == ("7", "handle1", "the tweet text")
    assert item.published_at == datetime(2015, 1, 6, 21, 7, tzinfo=UTC)
    assert item.meta["language"] == "en"


def test_csv_explicit_column_map(settings: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "x.csv",
        "key,body,who,when,where,headline,link\n"
        "k1,hello there,ann,2024-03-22T10:00:00Z,room,Title,https://example.invalid/a\n",
    )
    options = {
        "columns": "id=key,text=body,author=who,date=when,channel=where,title=headline,url=link",
        "source": "forum",
        "kind": "article",
    }
    (item,) = read_all(CsvConnector(settings, options), path).items
    assert (item.source, item.source_id, item.text, item.author, item.channel) == ("forum", "k1", "hello there", "ann", "room")
    assert (item.title, item.url, item.kind) == ("Title", "https://example.invalid/a", ContentKind.ARTICLE)
    assert item.published_at == datetime(2024, 3, 22, 10, tzinfo=UTC)


def test_csv_column_map_errors_name_the_columns(settings: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "a,b\n1,2\n")
    with pytest.raises(InvalidInput, match="no text column found among: 'a', 'b'") as info:
        read_all(CsvConnector(settings), path)
    assert "--column text=" in (info.value.hint or "")
    with pytest.raises(InvalidInput, match="column 'body' \\(mapped to text\\) is not in the header"):
        read_all(CsvConnector(settings, {"columns": {"text": "body"}}), path)
    with pytest.raises(InvalidInput, match="unknown column field 'colour'"):
        read_all(CsvConnector(settings, {"columns": {"colour": "a"}}), path)


def test_csv_bad_rows_become_rejects_with_file_and_line(settings: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "x.csv",
        "id,text\n"
        "1,fine\n"
        "2,\n"  # no text
        '3,"' + "x" * 3000 + '"\n'  # over max_item_bytes
        "4\n"  # short row, the text column is missing
        "5,fine again\n",
    )
    read = read_all(CsvConnector(settings.replace(max_item_bytes=2000)), path)
    assert [i.source_id for i in read.items] == ["1", "5"]
    assert [r.locator for r in read.rejects] == [f"{path}:3", f"{path}:4", f"{path}:5"]
    assert "no text" in read.rejects[0].reason
    assert "field larger than field limit" in read.rejects[1].reason
    assert "text column is missing" in read.rejects[2].reason
    assert all(r.source == "csv:x.csv" for r in read.rejects)


def test_csv_oversized_row_is_rejected(settings: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "id,text,a,b\n1,t," + "y" * 900 + "," + "z" * 900 + "\n2,ok,,\n")
    read = read_all(CsvConnector(settings.replace(max_item_bytes=1500)), path)
    assert [i.source_id for i in read.items] == ["2"]
    (reject,) = read.rejects
    assert reject.code == "input_too_large" and reject.locator == f"{path}:2"


def test_csv_rows_without_id_get_stable_content_ids(settings: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "comment;isHate\nfirst text;1.0\nsecond text;0.0\nfirst text;0.0\n")
    first = read_all(CsvConnector(settings), path)
    second = read_all(CsvConnector(settings), path)
    assert first.keys == second.keys
    ids = [i.source_id for i in first.items]
    assert all(i.startswith("sha256:") for i in ids) and len(set(ids)) == 3  # the label column differs
    assert first.items[0].meta["id_from"] == "content"


def test_csv_explicit_id_column_that_is_empty_rejects_the_row(settings: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "pid,text\n,no id here\np2,has id\n")
    read = read_all(CsvConnector(settings, {"columns": {"id": "pid"}}), path)
    assert [i.source_id for i in read.items] == ["p2"]
    assert "no id in column 'pid'" in read.rejects[0].reason


def test_csv_unparseable_date_is_kept_in_meta(settings: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "id,date,text\n1,sometime last week,hello\n2,1/5/19,hi\n")
    items = read_all(CsvConnector(settings), path).by_id()
    assert items["1"].published_at is None and items["1"].meta["date_unparsed"] == "sometime last week"
    assert items["2"].published_at == datetime(2019, 1, 5, tzinfo=UTC)
    dayfirst = read_all(CsvConnector(settings, {"dayfirst": "true"}), path).by_id()
    assert dayfirst["2"].published_at == datetime(2019, 5, 1, tzinfo=UTC)


def test_csv_delimiter_option_bom_and_blank_rows(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_bytes("\ufeffid\ttext\n1\ta, b; c\n\n2\tsecond\n".encode())
    read = read_all(CsvConnector(settings), path)  # .tsv: tab sniffed from the header
    assert [(i.source_id, i.text) for i in read.items] == [("1", "a, b; c"), ("2", "second")]
    assert read.skipped["blank_rows"] == 1
    piped = write(tmp_path / "p.csv", "id|text\n1|x\n")
    assert read_all(CsvConnector(settings, {"delimiter": "|"}), piped).items[0].text == "x"
    with pytest.raises(InvalidInput, match="not one character"):
        read_all(CsvConnector(settings, {"delimiter": "ab"}), piped)


def test_csv_empty_file_raises(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="the file is empty"):
        read_all(CsvConnector(settings), write(tmp_path / "e.csv", ""))


def test_csv_checkpoint_resumes_after_the_last_batch(settings: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "id,text\n" + "".join(f"{n},t{n}\n" for n in range(10)))
    small = settings.replace(batch_size=4)
    read = read_all(CsvConnector(small), path)
    assert [len(b.items) for b in read.batches] == [4, 4, 2]
    resumed = read_all(CsvConnector(small), path, read.batches[1].checkpoint)
    assert [i.source_id for i in resumed.items] == ["8", "9"]
    with pytest.raises(InvalidInput, match="not written by the csv connector"):
        read_all(CsvConnector(small), path, "tg1:0:0:1")


def test_csv_sniff_delimiter() -> None:
    assert sniff_delimiter('"a;b","c"\n') == ","
    assert sniff_delimiter("id;description;C2A\n1;x,y,z;TRUE\n") == ";"
    assert sniff_delimiter("a\tb\tc\n") == "\t"
    assert sniff_delimiter("single\n", default=",") == ","


@pytest.mark.data
def test_csv_reads_the_fifth_tribe_tweets(settings: Settings, data_dir: Path) -> None:
    path = data_dir / "fifthtribe_isis_tweets" / "tweets.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    read = read_all(CsvConnector(settings), path)
    assert read.rejects == []
    assert len(read.items) == 13_991  # the row count its README states
    first = read.items[0]
    assert (first.source, first.source_id, first.author) == ("csv:tweets.csv", "0", "GunsandCoffee70")
    assert first.published_at == datetime(2015, 1, 6, 21, 7, tzinfo=UTC)
    assert first.text.startswith("ENGLISH TRANSLATION:")
    assert len({i.source_id for i in read.items}) == 13_991
    assert any("\n" in i.text for i in read.items)  # multi-line tweets stay whole
    assert all(i.published_at is not None for i in read.items)


def test_csv_field_size_limit_is_put_back(settings: Settings, tmp_path: Path) -> None:
    import csv

    before = csv.field_size_limit()
    path = write(tmp_path / "x.csv", "id,text\n1,a\n2,b\n")
    batches = CsvConnector(settings.replace(max_item_bytes=5000, batch_size=1)).fetch(str(path))
    next(batches)
    batches.close()  # abandoned half-way
    assert csv.field_size_limit() == before
    read_all(CsvConnector(settings.replace(max_item_bytes=5000)), path)
    assert csv.field_size_limit() == before
