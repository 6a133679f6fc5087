"""Request bodies. Unknown fields are refused (``extra="forbid"``): a media URL, for instance, is not a
field, so the server can never be made to fetch one."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from vigil.core.records import MediaRef

Id = Annotated[str, Field(min_length=1, max_length=256)]
Surface = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]
_HEX = {"sha256": 64, "md5": 32, "pdq": 64}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MediaIn(Strict):
    """A media file sent with a message: its bytes (base64) or its hashes, never a URL."""

    kind: Literal["image", "video", "audio", "file"] = "image"
    data: str | None = Field(None, description="The file's bytes, base64-encoded (hashed, never stored).")
    sha256: str | None = None
    md5: str | None = None
    pdq: str | None = None
    mime_type: str | None = Field(None, max_length=100)

    @field_validator("sha256", "md5", "pdq")
    @classmethod
    def _hex(cls, value: str | None, info: object) -> str | None:
        if value is None:
            return None
        name = getattr(info, "field_name", "")
        if not re.fullmatch(rf"[0-9a-fA-F]{{{_HEX[name]}}}", value):
            raise ValueError(f"{name} must be {_HEX[name]} hex characters")
        return value.lower()

    @model_validator(mode="after")
    def _something(self) -> MediaIn:
        if not (self.data or self.sha256 or self.md5 or self.pdq):
            raise ValueError("give the media as base64 data or as at least one of sha256, md5, pdq")
        return self

    def to_ref(self) -> MediaRef:
        digests = {k: v for k in ("sha256", "md5", "pdq") if (v := getattr(self, k))}
        size = None
        if self.data:
            try:
                blob = base64.b64decode(self.data, validate=True)
            except (binascii.Error, ValueError) as exc:
                from vigil.core.errors import InvalidInput

                raise InvalidInput("media data is not valid base64") from exc
            size = len(blob)
            digests.setdefault("sha256", hashlib.sha256(blob).hexdigest())
            digests.setdefault("md5", hashlib.md5(blob, usedforsecurity=False).hexdigest())
        return MediaRef(kind=self.kind, mime_type=self.mime_type, size=size, digests=digests)


class ModerateIn(Strict):
    account_id: Id
    chat_id: Id
    surface: Surface = "default"
    text: str = Field(max_length=100_000)
    media: list[MediaIn] = Field(default_factory=list, max_length=20)
    account_created_at: datetime | None = Field(None, description="When the platform created the account (for flood weighting).")


class ItemIn(Strict):
    source_id: Id
    text: str = Field(max_length=1_000_000)
    kind: Literal["message", "article"] = "message"
    account_id: Id | None = None
    chat_id: Id | None = None
    title: str | None = Field(None, max_length=2000)
    published_at: datetime | None = None


class ItemsIn(Strict):
    source: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:\-]+$")] = "api"
    surface: Surface = "analyst"
    items: list[ItemIn] = Field(min_length=1)


class CaseDecisionIn(Strict):
    verdict: Literal["confirm", "overturn"]
    reason: str = Field(min_length=1, max_length=2000)
    bank: str | None = Field(None, max_length=64, description="On confirm: add the item's signals to this hash bank.")


class BankIn(Strict):
    name: str = Field(min_length=1, max_length=64)
    labels: list[str] = Field(default_factory=list, max_length=20)
    group: str | None = Field(None, max_length=200)
    source: str | None = Field(None, max_length=200)
    description: str = Field("", max_length=2000)
    negative: bool = False
    thresholds: dict[str, float] = Field(default_factory=dict)


class BankChangeIn(Strict):
    enabled: bool | None = None
    labels: list[str] | None = Field(None, max_length=20)
    description: str | None = Field(None, max_length=2000)
    thresholds: dict[str, float] | None = None


class BankEntryIn(Strict):
    signal_type: str = Field(min_length=1, max_length=32)
    value: str = Field(min_length=1, max_length=100_000, description="Text or URL for text types; the hash for pdq, md5, sha256.")
    labels: list[str] = Field(default_factory=list, max_length=20)
    note: str | None = Field(None, max_length=2000)


class LookupIn(Strict):
    signal_type: str = Field(min_length=1, max_length=32)
    value: str = Field(min_length=1, max_length=100_000)


class AppealIn(Strict):
    account_id: Id
    decision_id: int
    statement: str | None = Field(None, max_length=2000)
