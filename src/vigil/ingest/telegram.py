"""The Telegram Desktop export connector: ``result.json`` of one chat, or of a whole account.

Where it sits: ``vigil scan result.json`` ─► TelegramConnector.fetch ─► Batch(RawItem...) ─► store.

Two layouts exist:

    one chat       {"name": ..., "type": ..., "id": 123, "messages": [ {...}, ... ]}
    whole account  {"about": ..., "personal_information": {...}, ...,
                    "chats": {"about": ..., "list": [ {"name", "type", "id", "messages": [...]}, ... ]},
                    "left_chats": {"list": [...]}}

Exports run to gigabytes, so the file is streamed with ijson (yajl2_c): a first short pass reads the
chat header and stops at ``"messages"``; the messages are then built one at a time by the C backend.
Memory stays flat in the file size. Telegram writes a chat's header before its messages; a file that
does not (hand-made or tampered) costs one extra pass to find the headers, never more memory.

``source`` = ``telegram:<chat id>``, ``source_id`` = message id, ``channel`` = chat name. Service
messages (joins, pins, title changes) are counted in ``Batch.skipped["service_messages"]``.

The checkpoint is ``tg1:<chat index>:<message index>:<message id>``: a later fetch skips messages up to
that position without converting them, and re-reads the whole file (the store is idempotent) if the
message found there is not the one recorded, i.e. the file changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson

from vigil.core.errors import InvalidInput
from vigil.core.registry import Manifest
from vigil.ingest.base import Batch, Connector, Reject, dumps, now_utc
from vigil.ingest.batching import BatchBuilder
from vigil.ingest.media import MediaFolder
from vigil.ingest.telegram_message import Chat, MessageError, is_service, message_id, to_raw_item

try:  # the C backend builds each message in C: several times faster than the pure-Python one
    _ijson: Any = ijson.get_backend("yajl2_c")
except ImportError:  # pragma: no cover - only where no yajl2_c wheel exists
    _ijson = ijson

_BOM = b"\xef\xbb\xbf"
_SECTIONS = ("chats", "left_chats")
_CHAT_PREFIX = "chats.list.item"
_MESSAGE_PREFIX = _CHAT_PREFIX + ".messages.item"
_HEADER_KEYS = ("name", "type", "id")
_DEFAULT_MAX_MEDIA = 200 * 1024 * 1024
_CHECKPOINT = re.compile(r"tg1:(\d+):(\d+):(.*)")


@dataclass(frozen=True, slots=True)
class _Position:
    chat: int
    message: int
    message_id: str

    def encode(self) -> str:
        return f"tg1:{self.chat}:{self.message}:{self.message_id}"


class _FileChanged(Exception):
    """The message at the checkpoint is not the one recorded there: read the file from the start."""


class TelegramConnector(Connector):
    """Options: ``max_media_bytes`` (int, default 200 MiB): media files larger than this are listed
    but not hashed; ``hash_media`` (bool, default true): hash media files found in the export folder."""

    name = "telegram"
    formats = ("telegram",)
    extensions = (".json",)

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> int:
        if path.suffix.lower() != ".json":
            return 0
        text = head.lstrip(_BOM).lstrip()
        if not text.startswith(b"{"):
            return 0
        if re.search(rb'"(personal_information|frequent_contacts|left_chats)"\s*:', text):
            return 90
        if re.search(rb'"chats"\s*:\s*\{', text) and re.search(rb'"list"\s*:\s*\[', text):
            return 90
        if re.search(rb'"messages"\s*:\s*\[', text):
            return 95 if re.search(rb'"(date_unixtime|from_id|text_entities)"\s*:', text) else 70
        return 0

    def fetch(self, target: str, checkpoint: str | None = None) -> Iterator[Batch]:
        path = self.check_file(target)
        resume = _parse_checkpoint(checkpoint)
        try:
            yield from self._read(path, resume)
        except _FileChanged:
            yield from self._read(path, None)

    # ---- reading ---------------------------------------------------------------------------------

    def _read(self, path: Path, resume: _Position | None) -> Iterator[Batch]:
        layout, header = _scan_layout(path)
        media = None
        if _truthy(self.options.get("hash_media", True)):
            media = MediaFolder(path.parent, int(self.options.get("max_media_bytes", _DEFAULT_MAX_MEDIA)))
        builder = BatchBuilder(self.settings.batch_size)
        received = now_utc()
        last: _Position | None = resume
        reached = resume is None
        with _open(path) as fh:
            chats: _ChatHeaders | _AccountEvents
            if layout == "chat":
                chats = _ChatHeaders(header)
                stream: Iterator[Any] = _ijson.items(fh, "messages.item", use_float=True)
            else:
                chats = _AccountEvents(_ijson.parse(fh, use_float=True), path)
                stream = _ijson.items(chats, _MESSAGE_PREFIX, use_float=True)
            counter = _Counter()
            try:
                for message in stream:
                    chat_index = chats.index
                    position = counter.next(chat_index, message)
                    if not reached:
                        assert resume is not None
                        if (position.chat, position.message) < (resume.chat, resume.message):
                            builder.skip("before_checkpoint")
                            continue
                        if position != resume:
                            raise _FileChanged
                        reached = True
                        builder.skip("before_checkpoint")
                        continue
                    self._one(message, chats.chat(chat_index), position, path, layout, builder, received, media)
                    last = position
                    if builder.full:
                        yield builder.take(last.encode())
            except ijson.JSONError as exc:
                if last is None and counter.total == 0:
                    raise InvalidInput(
                        f"{path}: not valid JSON ({exc})",
                        hint="pass the result.json that Telegram Desktop wrote (Export chat history -> JSON)",
                    ) from exc
                builder.reject(
                    Reject(f"telegram:{path.name}", f"{path}#after message {counter.total}",
                           f"the JSON breaks off or is broken after message {counter.total}: {exc}",
                           b"", code="truncated_file")
                )
        if not reached:
            raise _FileChanged  # the file is shorter than it was: read it again from the start
        if builder.pending:
            yield builder.take(last.encode() if last else None)

    def _one(
        self,
        message: Any,
        chat: Chat,
        position: _Position,
        path: Path,
        layout: str,
        builder: BatchBuilder,
        received: Any,
        media: MediaFolder | None,
    ) -> None:
        locator = _locator(path, layout, position)
        payload = dumps(message)
        if self.bounded_payload(payload) is None:
            builder.reject(self.too_large(chat.source, locator, payload))
            return
        try:
            if not isinstance(message, dict):
                raise MessageError(f"message is a {type(message).__name__}, not an object")
            source_id = message_id(message)
            if is_service(message):
                builder.skip("service_messages")
                return
            item = to_raw_item(
                message, chat, source_id=source_id, payload=payload, locator=locator, connector=self.id, received_at=received, media=media
            )
        except MessageError as exc:
            builder.reject(Reject(chat.source, locator, str(exc), payload))
            return
        builder.add(item)


class _Counter:
    """Position of each message: chat index, index inside the chat, and its id."""

    def __init__(self) -> None:
        self.chat = -1
        self.message = -1
        self.total = 0

    def next(self, chat: int, message: Any) -> _Position:
        if chat != self.chat:
            self.chat, self.message = chat, -1
        self.message += 1
        self.total += 1
        found = message.get("id") if isinstance(message, dict) else None
        return _Position(chat, self.message, str(found) if isinstance(found, int | str) else "-")


class _ChatHeaders:
    """The one chat of a single-chat export."""

    index = 0

    def __init__(self, header: dict[str, Any]) -> None:
        self._chat = _chat_of(header)

    def chat(self, index: int) -> Chat:
        return self._chat


class _AccountEvents:
    """Passes ijson events through to the C item builder while noting each chat's header as it goes
    by, so each message built is known to belong to the chat being read. ``left_chats`` messages are
    renamed to the ``chats`` prefix so one builder reads both sections."""

    def __init__(self, events: Iterator[tuple[str, str, Any]], path: Path) -> None:
        self._events = events
        self._path = path
        self.index = -1
        self._headers: list[dict[str, Any]] = []
        self._prescanned: list[dict[str, Any]] | None = None
        # One dict lookup per event: most events are inside messages and match nothing here.
        self._special: dict[str, tuple[str, str]] = {}
        for section in _SECTIONS:
            self._special[f"{section}.list.item.messages.item"] = ("rename", _MESSAGE_PREFIX)
            self._special[f"{section}.list.item"] = ("chat", "")
            for key in _HEADER_KEYS:
                self._special[f"{section}.list.item.{key}"] = ("header", key)

    def __iter__(self) -> Iterator[tuple[str, str, Any]]:
        special = self._special
        for prefix, event, value in self._events:
            found = special.get(prefix)
            if found is not None:
                action, argument = found
                if action == "rename":
                    prefix = argument
                elif action == "chat":
                    if event == "start_map":
                        self.index += 1
                        self._headers.append({})
                elif event in ("string", "number"):
                    self._headers[self.index][argument] = value
            yield prefix, event, value

    def chat(self, index: int) -> Chat:
        header = self._headers[index]
        if "id" not in header:
            # This chat's id comes after its messages: find every header in one extra pass.
            if self._prescanned is None:
                self._prescanned = _prescan_account(self._path)
            if index < len(self._prescanned):
                header = self._prescanned[index]
        return _chat_of(header)


def _chat_of(header: dict[str, Any]) -> Chat:
    name = header.get("name") if isinstance(header.get("name"), str) else None
    chat_id = header.get("id")
    if isinstance(chat_id, int | str) and not isinstance(chat_id, bool) and str(chat_id):
        source = f"telegram:{chat_id}"
    else:
        source = f"telegram:name:{name or 'unknown'}"  # an export without a chat id; rare
    chat_type = header.get("type") if isinstance(header.get("type"), str) else None
    return Chat(source, name, chat_type)


def _open(path: Path) -> IO[bytes]:
    fh = path.open("rb")
    if fh.read(3) != _BOM:
        fh.seek(0)
    return fh


def _scan_layout(path: Path) -> tuple[str, dict[str, Any]]:
    """('chat', header) or ('account', {}), reading only as far as it must."""
    header: dict[str, Any] = {}
    saw_messages = False
    with _open(path) as fh:
        try:
            for prefix, event, value in _ijson.parse(fh, use_float=True):
                if prefix == "" and event == "start_array":
                    break
                if prefix == "" and event == "map_key":
                    if value in _SECTIONS:
                        return "account", {}
                    if value == "messages":
                        saw_messages = True
                        if "id" in header:
                            return "chat", header
                elif prefix in _HEADER_KEYS and event in ("string", "number"):
                    header[prefix] = value
        except ijson.JSONError as exc:
            raise InvalidInput(
                f"{path}: not valid JSON ({exc})",
                hint="pass the result.json that Telegram Desktop wrote (Export chat history -> JSON)",
            ) from exc
    if saw_messages:
        return "chat", header
    raise InvalidInput(
        f"{path}: not a Telegram Desktop export (no 'messages' list and no 'chats' section)",
        hint="pass a result.json from Telegram Desktop's JSON export, or choose another --format",
    )


def _prescan_account(path: Path) -> list[dict[str, Any]]:
    headers: list[dict[str, Any]] = []
    starts = {f"{s}.list.item" for s in _SECTIONS}
    keys = {f"{s}.list.item.{k}": k for s in _SECTIONS for k in _HEADER_KEYS}
    with _open(path) as fh:
        try:
            for prefix, event, value in _ijson.parse(fh, use_float=True):
                if prefix in starts and event == "start_map":
                    headers.append({})
                elif prefix in keys and event in ("string", "number"):
                    headers[-1][keys[prefix]] = value
        except ijson.JSONError:
            pass  # the main pass reports the broken part
    return headers


def _locator(path: Path, layout: str, position: _Position) -> str:
    if layout == "chat":
        return f"{path}#messages[{position.message}]"
    return f"{path}#chats[{position.chat}].messages[{position.message}]"


def _parse_checkpoint(checkpoint: str | None) -> _Position | None:
    if not checkpoint:
        return None
    m = _CHECKPOINT.fullmatch(checkpoint)
    if not m:
        raise InvalidInput(
            f"checkpoint {checkpoint!r} was not written by the telegram connector",
            hint="scan the file without a checkpoint (re-reading is idempotent)",
        )
    return _Position(int(m.group(1)), int(m.group(2)), m.group(3))


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


MANIFEST = Manifest(connectors=(TelegramConnector,))
