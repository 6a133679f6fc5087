"""`replace_item`: ``dataclasses.replace`` for `Item` at a quarter of its cost (`vigil.core.fastcopy`);
the normalizer chain copies the item once per normalizer on every message."""

from __future__ import annotations

from vigil.core.fastcopy import slot_replacer
from vigil.core.records import Item

replace_item = slot_replacer(Item)
