from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.ingest import chat_export, message, read_all, write_json
from vigil.core.errors import InputTooLarge, InvalidInput
from vigil.core.records import ContentKind
from vigil.core.settings import Settings
from vigil.ingest.telegram import TelegramConnector

NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"


def connector(settings: Settings, **options: object) -> TelegramConnector:
    return TelegramConnector(settings, options)


def test_telegram_single_chat_fields(settings: Settings, tmp_path: Path) -> None:
    export = chat_export(
        [
            message(1, "plain text"),
            message(
                2,
                ["Mixed ", {"type": "bold", "text": "bold"}, " and ",
                 {"type": "text_link", "text": "a link", "href": "https://example.invalid/x"}, " ",
                 {"type": "mention", "text": "@someone"}, " ", {"type": "hashtag", "text": "#tag"}],
                reply_to_message_id=1,
                forwarded_from="Other Channel",
                edited="2024-03-23T00:00:00",
                edited_unixtime="1711141200",
                author="Signed Editor",
            ),
        ],
        name="Echo Channel",
        chat_id=1987654321,
    )
    path = write_json(tmp_path / "result.json", export)
    read = read_all(connector(settings), path)
    assert read.rejects == []
    first, second = read.items
    assert (first.source, first.source_id, first.channel) == ("telegram:1987654321", "1", "Echo Channel")
    assert first.text == "plain text"
    assert first.kind is ContentKind.MESSAGE
    assert first.author == "Channel" and first.author_id == "channel42"
    assert first.published_at == datetime(2024, 3, 22, 20, 16, tzinfo=UTC)  # date_unixtime, not local "date"
    assert first.connector == "telegram.v1"
    assert first.locator == f"{path}#messages[0]"
    assert json.loads(first.payload)["text"] == "plain text"
    assert second.text == "Mixed bold and a link @someone #tag"
    assert second.reply_to == "1"
    assert second.forwarded_from == "Other Channel"
    assert second.edited_at == datetime(2024, 3, 22, 21, 0, tzinfo=UTC)
    assert second.meta["links"] == ["https://example.invalid/x"]
    assert [e["type"] for e in second.meta["entities"]] == ["bold", "text_link", "mention", "hashtag"]
    assert second.meta["signature"] == "Signed Editor"
    assert second.meta["chat_type"] == "public_channel"


def test_telegram_text_entities_used_when_text_is_empty(settings: Settings, tmp_path: Path) -> None:
    msg = message(3, "", text_entities=[{"type": "plain", "text": "from "}, {"type": "italic", "text": "entities"}])
    path = write_json(tmp_path / "result.json", chat_export([msg]))
    (item,) = read_all(connector(settings), path).items
    assert item.text == "from entities"


def test_telegram_poll_becomes_text(settings: Settings, tmp_path: Path) -> None:
    msg = message(3, "", poll={"question": "Which one?", "answers": [{"text": "A"}, {"text": "B"}]})
    path = write_json(tmp_path / "result.json", chat_export([msg]))
    (item,) = read_all(connector(settings), path).items
    assert item.text == "Which one?\nA\nB"


def test_telegram_date_without_unixtime_is_taken_as_utc_and_flagged(settings: Settings, tmp_path: Path) -> None:
    msg = message(4, "old export")
    del msg["date_unixtime"]
    path = write_json(tmp_path / "result.json", chat_export([msg]))
    (item,) = read_all(connector(settings), path).items
    assert item.published_at == datetime(2024, 3, 22, 23, 16, tzinfo=UTC)
    assert item.meta["date_assumed_utc"] is True


def test_telegram_service_messages_are_skipped_and_counted(settings: Settings, tmp_path: Path) -> None:
    service = {"id": 2, "type": "service", "date_unixtime": "1711138560", "actor": "X", "action": "pin_message", "text": ""}
    path = write_json(tmp_path / "result.json", chat_export([message(1), service, dict(service, id=3), message(4)]))
    read = read_all(connector(settings), path)
    assert [i.source_id for i in read.items] == ["1", "4"]
    assert read.skipped["service_messages"] == 2


def test_telegram_media_references_and_digests(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    photo = tmp_path / "photos" / "photo_1@22-03-2024_23-16-00.jpg"
    photo.write_bytes(b"\xff\xd8not really a jpeg\xff\xd9")
    msgs = [
        message(1, "caption", photo="photos/photo_1@22-03-2024_23-16-00.jpg", photo_file_size=999),
        message(2, "", file=NOT_INCLUDED, media_type="voice_message", mime_type="audio/ogg", duration_seconds=41),
        message(3, "", file="stickers/sticker.webp", media_type="sticker", sticker_emoji="X", thumbnail=NOT_INCLUDED),
        message(4, "", file="files/report.pdf", file_name="report.pdf", mime_type="application/pdf"),
    ]
    path = write_json(tmp_path / "result.json", chat_export(msgs))
    items = read_all(connector(settings), path).by_id()

    (ref,) = items["1"].media
    assert (ref.kind, ref.path, ref.size) == ("photo", "photos/photo_1@22-03-2024_23-16-00.jpg", 999)
    assert ref.digests["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert ref.digests["md5"] == hashlib.md5(photo.read_bytes()).hexdigest()
    assert items["1"].kind is ContentKind.MESSAGE  # a caption makes it a message with media

    (voice,) = items["2"].media
    assert (voice.kind, voice.path, voice.mime_type, voice.duration_s) == ("voice_message", None, "audio/ogg", 41)
    assert items["2"].kind is ContentKind.AUDIO
    assert items["2"].meta["media_notes"] == ["file: not included in the export"]

    sticker, thumb = items["3"].media
    assert (sticker.kind, sticker.path, sticker.digests) == ("sticker", "stickers/sticker.webp", {})
    assert thumb.kind == "thumbnail" and thumb.path is None
    assert items["3"].kind is ContentKind.IMAGE
    assert "stickers/sticker.webp" in items["3"].meta["media_notes"][0] and "missing" in items["3"].meta["media_notes"][0]

    (doc,) = items["4"].media
    assert (doc.kind, doc.file_name, doc.mime_type) == ("document", "report.pdf", "application/pdf")
    assert items["4"].kind is ContentKind.FILE


def test_telegram_hash_media_option_off(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "p.jpg").write_bytes(b"x")
    path = write_json(tmp_path / "result.json", chat_export([message(1, "c", photo="p.jpg")]))
    (item,) = read_all(connector(settings, hash_media="false"), path).items
    assert item.media[0].digests == {}


def test_telegram_account_export_with_left_chats(settings: Settings, tmp_path: Path) -> None:
    export = {
        "about": "Here is the data you requested.",
        "personal_information": {"first_name": "A"},
        "contacts": {"list": [{"first_name": "B", "phone_number": "+000"}]},
        "chats": {
            "about": "chats",
            "list": [
                chat_export([message(1, "one"), message(2, "two")], name="First", chat_id=11),
                chat_export([message(1, "other one")], name="Second", chat_id=22, chat_type="private_group"),
            ],
        },
        "left_chats": {"about": "left", "list": [chat_export([message(5, "left behind")], name="Left", chat_id=33)]},
    }
    path = write_json(tmp_path / "result.json", export)
    read = read_all(connector(settings), path)
    assert [(i.source, i.source_id, i.channel, i.text) for i in read.items] == [
        ("telegram:11", "1", "First", "one"),
        ("telegram:11", "2", "First", "two"),
        ("telegram:22", "1", "Second", "other one"),
        ("telegram:33", "5", "Left", "left behind"),
    ]
    assert read.items[2].meta["chat_type"] == "private_group"
    assert read.items[3].locator == f"{path}#chats[2].messages[0]"


def test_telegram_chat_header_after_messages(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"messages": [message(1, "early")], "name": "Late Header", "id": 5}), encoding="utf-8")
    (item,) = read_all(connector(settings), path).items
    assert (item.source, item.channel) == ("telegram:5", "Late Header")

    account = {"chats": {"list": [{"messages": [message(1, "x")], "name": "A", "id": 1},
                                  {"name": "B", "id": 2, "messages": [message(9, "y")]}]}}
    path.write_text(json.dumps(account), encoding="utf-8")
    assert [(i.source, i.channel) for i in read_all(connector(settings), path).items] == [
        ("telegram:1", "A"), ("telegram:2", "B"),
    ]


def test_telegram_malformed_messages_become_rejects(settings: Settings, tmp_path: Path) -> None:
    msgs = [
        message(1, "fine"),
        message(None, "no id"),
        message(3, 42),  # text of the wrong type
        message(4, ["ok ", {"type": "bold"}]),  # entity without text
        message(5, "bad date", date_unixtime=["x"]),
        "not an object",
        message(7, "bad sender", **{"from": {"name": "x"}}),
        message(8, "bad photo", photo=123),
        message(9, "fine too"),
    ]
    path = write_json(tmp_path / "result.json", chat_export(msgs))
    read = read_all(connector(settings), path)
    assert [i.source_id for i in read.items] == ["1", "9"]
    locators = [r.locator for r in read.rejects]
    assert locators == [f"{path}#messages[{n}]" for n in (1, 2, 3, 4, 5, 6, 7)]
    reasons = [r.reason for r in read.rejects]
    assert "no id" in reasons[0]
    assert "'text' is int" in reasons[1]
    assert "'text[1]'" in reasons[2]
    assert "'date_unixtime'" in reasons[3]
    assert "not an object" in reasons[4]
    assert "'from'" in reasons[5]
    assert "'photo'" in reasons[6]
    assert all(r.source == "telegram:42" and r.payload for r in read.rejects)


def test_telegram_oversized_message_is_rejected(settings: Settings, tmp_path: Path) -> None:
    small = settings.replace(max_item_bytes=500)
    path = write_json(tmp_path / "result.json", chat_export([message(1, "x" * 600), message(2, "short")]))
    read = read_all(connector(small), path)
    assert [i.source_id for i in read.items] == ["2"]
    (reject,) = read.rejects
    assert reject.code == "input_too_large" and reject.locator.endswith("#messages[0]")


def test_telegram_not_json_raises_naming_the_file(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text("this is not json at all", encoding="utf-8")
    with pytest.raises(InvalidInput, match="result.json: not valid JSON"):
        read_all(connector(settings), path)


def test_telegram_json_that_is_not_an_export_raises(settings: Settings, tmp_path: Path) -> None:
    path = write_json(tmp_path / "other.json", {"hello": [1, 2, 3]})
    with pytest.raises(InvalidInput, match="not a Telegram Desktop export"):
        read_all(connector(settings), path)
    path = write_json(tmp_path / "list.json", [1, 2])
    with pytest.raises(InvalidInput, match="not a Telegram Desktop export"):
        read_all(connector(settings), path)


def test_telegram_missing_and_oversized_files(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        read_all(connector(settings), tmp_path / "absent.json")
    path = write_json(tmp_path / "result.json", chat_export([message(1)]))
    with pytest.raises(InputTooLarge):
        read_all(connector(settings.replace(max_file_bytes=10)), path)


def test_telegram_truncated_file_keeps_what_was_read(settings: Settings, tmp_path: Path) -> None:
    text = json.dumps(chat_export([message(1, "one"), message(2, "two"), message(3, "three")]))
    path = tmp_path / "result.json"
    path.write_text(text[: text.index('"three"')], encoding="utf-8")
    read = read_all(connector(settings), path)
    assert [i.source_id for i in read.items] == ["1", "2"]
    (reject,) = read.rejects
    assert reject.code == "truncated_file" and str(path) in reject.locator


def test_telegram_utf8_bom_is_accepted(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(chat_export([message(1, "bom")])).encode())
    assert [i.text for i in read_all(connector(settings), path).items] == ["bom"]


def test_telegram_ids_are_stable_across_reads(settings: Settings, tmp_path: Path) -> None:
    path = write_json(tmp_path / "result.json", chat_export([message(n, f"m{n}") for n in range(1, 30)]))
    first = read_all(connector(settings), path)
    second = read_all(connector(settings), path)
    assert first.keys == second.keys
    assert len(set(first.keys)) == 29
    assert [i.payload for i in first.items] == [i.payload for i in second.items]


def test_telegram_batches_and_checkpoint_resume(settings: Settings, tmp_path: Path) -> None:
    service = {"id": 6, "type": "service", "action": "pin_message", "text": ""}
    msgs = [message(n, f"m{n}") for n in range(1, 6)] + [service] + [message(n, f"m{n}") for n in range(7, 13)]
    path = write_json(tmp_path / "result.json", chat_export(msgs))
    small = settings.replace(batch_size=4)
    read = read_all(connector(small), path)
    assert [len(b.items) for b in read.batches] == [4, 4, 3]
    assert all(b.checkpoint for b in read.batches)

    resumed = read_all(connector(small), path, read.batches[0].checkpoint)
    assert [i.source_id for i in resumed.items] == ["5", "7", "8", "9", "10", "11", "12"]
    assert resumed.skipped["before_checkpoint"] == 4
    assert resumed.skipped["service_messages"] == 1

    done = read_all(connector(small), path, read.batches[-1].checkpoint)
    assert done.items == []


def test_telegram_checkpoint_of_a_changed_file_reads_it_again(settings: Settings, tmp_path: Path) -> None:
    path = write_json(tmp_path / "result.json", chat_export([message(n, f"m{n}") for n in range(1, 6)]))
    checkpoint = read_all(connector(settings.replace(batch_size=2)), path).batches[0].checkpoint
    write_json(path, chat_export([message(n, f"m{n}") for n in range(100, 106)]))  # other messages
    assert [i.source_id for i in read_all(connector(settings), path, checkpoint).items] == [
        "100", "101", "102", "103", "104", "105",
    ]
    write_json(path, chat_export([message(1, "m1")]))  # shorter than the checkpoint
    assert [i.source_id for i in read_all(connector(settings), path, checkpoint).items] == ["1"]


def test_telegram_foreign_checkpoint_is_refused(settings: Settings, tmp_path: Path) -> None:
    path = write_json(tmp_path / "result.json", chat_export([message(1)]))
    with pytest.raises(InvalidInput, match="not written by the telegram connector"):
        read_all(connector(settings), path, "csv1:10")


def test_telegram_sniff(tmp_path: Path) -> None:
    export = json.dumps(chat_export([message(1)]), indent=1).encode()
    assert TelegramConnector.sniff(Path("result.json"), export) >= 90
    assert TelegramConnector.sniff(Path("result.json"), b'{"about": "x", "personal_information": {}}') >= 90
    assert TelegramConnector.sniff(Path("result.txt"), export) == 0
    assert TelegramConnector.sniff(Path("data.json"), b'{"a": 1}') == 0
    assert TelegramConnector.sniff(Path("data.json"), b'[{"messages": []}]') == 0
