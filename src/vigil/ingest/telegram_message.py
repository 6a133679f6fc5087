"""One Telegram Desktop export message (a dict from ``result.json``) -> `RawItem`.

Where it sits: `vigil.ingest.telegram` streams the export and hands each message here with the chat it
belongs to. This module knows the message layout Telegram Desktop writes:

    {"id": 7, "type": "message", "date": "2024-03-22T20:16:00", "date_unixtime": "1711138560",
     "edited_unixtime": "...", "from": "Name", "from_id": "channel123", "reply_to_message_id": 5,
     "forwarded_from": "Other", "photo": "photos/photo_1@22-03-2024_20-16-00.jpg",
     "file": "files/x.pdf", "media_type": "voice_message", "mime_type": "audio/ogg",
     "duration_seconds": 41, "thumbnail": "...", "sticker_emoji": "...",
     "text": "plain" | ["mixed ", {"type": "bold", "text": "parts"}], "text_entities": [...]}

A message with a field of the wrong type raises `MessageError`; the connector turns it into a
`Reject` and reads on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from vigil.core.records import ContentKind, MediaRef, RawItem
from vigil.ingest.media import MediaFolder

_MAX_ENTITIES = 100  # kept in meta; the text itself always holds every entity's text
_KIND_OF_MEDIA = {
    "photo": ContentKind.IMAGE,
    "sticker": ContentKind.IMAGE,
    "animation": ContentKind.VIDEO,
    "video_file": ContentKind.VIDEO,
    "video_message": ContentKind.VIDEO,
    "voice_message": ContentKind.AUDIO,
    "audio_file": ContentKind.AUDIO,
}
# Optional scalar fields kept in meta as they are, when of the right type.
_META_FIELDS = {
    "author": "signature",  # a channel post's signature, not the account that posted it
    "via_bot": "via_bot",
    "saved_from": "saved_from",
    "forwarded_from_id": "forwarded_from_id",
    "reply_to_peer_id": "reply_to_peer_id",
    "sticker_emoji": "sticker_emoji",
}


class MessageError(ValueError):
    """A message that cannot be read; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class Chat:
    """The chat a message belongs to."""

    source: str  # telegram:<chat id>
    name: str | None
    type: str | None


def message_id(message: Mapping[str, Any]) -> str:
    value = message.get("id")
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        raise MessageError(f"message has no id (got {_shown(value)}); every message needs an integer 'id'")
    return str(value)


def is_service(message: Mapping[str, Any]) -> bool:
    return message.get("type") == "service"


def to_raw_item(
    message: Mapping[str, Any],
    chat: Chat,
    *,
    source_id: str,
    payload: bytes,
    locator: str,
    connector: str,
    received_at: datetime,
    media: MediaFolder | None,
) -> RawItem:
    """Build the `RawItem` of one (non-service) message; ``source_id`` is its `message_id`.

    Raises:
        MessageError: a field has a type Telegram never writes there.
    """
    meta: dict[str, Any] = {}
    if chat.type:
        meta["chat_type"] = chat.type
    text, entities = _text(message)
    if entities:
        meta["entities"] = entities[:_MAX_ENTITIES]
        links = [e["href"] for e in entities if "href" in e]
        if links:
            meta["links"] = links[:_MAX_ENTITIES]
    published = _date(message, "date_unixtime", "date", meta, "date_assumed_utc")
    edited = _date(message, "edited_unixtime", "edited", meta, "edited_assumed_utc")
    for key, name in _META_FIELDS.items():
        value = message.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            meta[name] = value
    refs, notes = _media(message, media)
    if notes:
        meta["media_notes"] = notes
    reply = message.get("reply_to_message_id")
    return RawItem(
        source=chat.source,
        source_id=source_id,
        kind=_kind(text, refs),
        text=text,
        payload=payload,
        connector=connector,
        received_at=received_at,
        published_at=published,
        author=_optional_str(message, "from"),
        author_id=_optional_str(message, "from_id"),
        channel=chat.name,
        reply_to=str(reply) if isinstance(reply, int | str) and not isinstance(reply, bool) else None,
        forwarded_from=_optional_str(message, "forwarded_from"),
        edited_at=edited,
        media=refs,
        locator=locator,
        meta=meta,
    )


def _text(message: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    value = message.get("text")
    field = "text"
    if value is None or value == "":
        entities = message.get("text_entities")
        if entities:
            value, field = entities, "text_entities"
    text, found = _flatten(value if value is not None else "", field)
    if not text and isinstance(message.get("poll"), Mapping):
        text = _poll_text(message["poll"])
    return text, found


def _flatten(value: object, field: str) -> tuple[str, list[dict[str, Any]]]:
    if isinstance(value, str):
        return value, []
    if not isinstance(value, list):
        raise MessageError(f"'{field}' is {_shown(value)}; expected a string or a list of text parts")
    parts: list[str] = []
    entities: list[dict[str, Any]] = []
    for index, part in enumerate(value):
        if isinstance(part, str):
            parts.append(part)
            continue
        if not isinstance(part, Mapping) or not isinstance(part.get("text"), str):
            raise MessageError(f"'{field}[{index}]' is {_shown(part)}; expected a string or an object with a 'text' string")
        parts.append(part["text"])
        kind = part.get("type")
        if isinstance(kind, str) and kind != "plain":
            entity: dict[str, Any] = {"type": kind, "text": part["text"]}
            for extra in ("href", "user_id", "document_id"):
                if isinstance(part.get(extra), str | int):
                    entity[extra] = part[extra]
            entities.append(entity)
    return "".join(parts), entities


def _poll_text(poll: Mapping[str, Any]) -> str:
    lines = [poll["question"]] if isinstance(poll.get("question"), str) else []
    answers = poll.get("answers")
    if isinstance(answers, list):
        lines += [a["text"] for a in answers if isinstance(a, Mapping) and isinstance(a.get("text"), str)]
    return "\n".join(lines)


def _date(message: Mapping[str, Any], unix_key: str, iso_key: str, meta: dict[str, Any], flag: str) -> datetime | None:
    unix = message.get(unix_key)
    if unix is not None:
        if isinstance(unix, bool) or not isinstance(unix, int | str) or not str(unix).lstrip("-").isdigit():
            raise MessageError(f"'{unix_key}' is {_shown(unix)}; expected unix seconds as a string of digits")
        try:
            return datetime.fromtimestamp(int(unix), UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise MessageError(f"'{unix_key}' {unix!r} is out of range") from exc
    iso = message.get(iso_key)
    if iso is None:
        return None
    if not isinstance(iso, str):
        raise MessageError(f"'{iso_key}' is {_shown(iso)}; expected an ISO date string")
    try:
        found = datetime.fromisoformat(iso)
    except ValueError as exc:
        raise MessageError(f"'{iso_key}' {iso[:40]!r} is not an ISO date") from exc
    if found.tzinfo is None:
        # Older exports have no date_unixtime; their dates are in the exporting computer's local time.
        meta[flag] = True
        return found.replace(tzinfo=UTC)
    return found.astimezone(UTC)


def _media(message: Mapping[str, Any], folder: MediaFolder | None) -> tuple[tuple[MediaRef, ...], list[str]]:
    if "photo" not in message and "file" not in message and "thumbnail" not in message:
        return (), []  # most messages carry none: skip the work below
    refs: list[MediaRef] = []
    notes: list[str] = []
    mime = _optional_str(message, "mime_type")
    duration = message.get("duration_seconds")
    duration = duration if isinstance(duration, int) and not isinstance(duration, bool) else None
    wanted = (
        ("photo", "photo", "photo_file_size", None, None),
        ("file", _optional_str(message, "media_type") or "document", "file_size", mime, duration),
        ("thumbnail", "thumbnail", "thumbnail_file_size", None, None),
    )
    for key, kind, size_key, ref_mime, ref_duration in wanted:
        if key not in message:
            continue
        reference = message[key]
        if not isinstance(reference, str):
            raise MessageError(f"'{key}' is {_shown(reference)}; expected a relative file path")
        size = message.get(size_key)
        size = size if isinstance(size, int) and not isinstance(size, bool) else None
        path: str | None = reference
        digests: dict[str, str] = {}
        if reference.startswith("(") and reference.endswith(")"):
            # "(File not included. Change data exporting settings to download.)"
            path = None
            notes.append(f"{key}: not included in the export")
        elif folder is not None:
            checked = folder.check(reference)
            digests = checked.digests
            size = size if size is not None else checked.size
            if checked.note:
                notes.append(f"{key} {reference[:200]!r}: {checked.note}")
        refs.append(
            MediaRef(
                kind=kind,
                path=path,
                mime_type=ref_mime,
                file_name=_optional_str(message, "file_name") if key == "file" else None,
                size=size,
                duration_s=ref_duration,
                digests=digests,
            )
        )
    return tuple(refs), notes


def _kind(text: str, media: tuple[MediaRef, ...]) -> ContentKind:
    if text.strip() or not media:
        return ContentKind.MESSAGE
    return _KIND_OF_MEDIA.get(media[0].kind, ContentKind.FILE)


def _optional_str(message: Mapping[str, Any], key: str) -> str | None:
    value = message.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise MessageError(f"'{key}' is {_shown(value)}; expected a string")


def _shown(value: object) -> str:
    if value is None:
        return "missing"
    kind = type(value).__name__
    text = repr(value)
    return f"{kind} {text if len(text) <= 40 else text[:37] + '...'}"
