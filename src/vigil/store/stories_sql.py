"""Stories in the database: load the stories an incoming batch may join, write new and changed
stories and their members, and fold merged stories together. All functions take the open
connection of the assessment's transaction.

Where it sits: used by `vigil.intel.hooks.StoryHook` inside ``SqlStore.save_assessments``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, or_, select, update

from vigil.intel.stories import StoryState
from vigil.store.codec import inserted_id
from vigil.store.schema_intel import stories, story_items

MAX_CANDIDATES = 5000  # the most recent stories considered for one batch


def _vector(blob: bytes | None) -> np.ndarray[Any, Any] | None:
    return np.frombuffer(blob, dtype=np.float32).copy() if blob else None


def state_from_row(row: Any) -> StoryState:
    return StoryState(
        id=row.id, title=row.title, first_seen=row.first_seen, last_seen=row.last_seen, size=row.size, dated=row.dated,
        centroid=_vector(row.centroid), entities=dict(row.entities or {}), events=dict(row.events or {}),
    )


def candidates(conn: Connection, lo: datetime, hi: datetime, window: timedelta) -> list[StoryState]:
    """Live (unmerged) stories whose span, widened by ``window``, meets [lo, hi]."""
    rows = conn.execute(
        select(stories)
        .where(
            stories.c.merged_into.is_(None),
            or_(stories.c.dated.is_(False), and_(stories.c.last_seen >= lo - window, stories.c.first_seen <= hi + window)),
        )
        .order_by(stories.c.last_seen.desc())
        .limit(MAX_CANDIDATES)
    ).all()
    return [state_from_row(r) for r in rows]


def members_already(conn: Connection, raw_ids: Sequence[int]) -> set[int]:
    if not raw_ids:
        return set()
    return set(conn.execute(select(story_items.c.raw_id).where(story_items.c.raw_id.in_(raw_ids))).scalars())


def _values(st: StoryState, now: datetime) -> dict[str, Any]:
    return {
        "title": st.title or "(untitled)",
        "first_seen": st.first_seen,
        "last_seen": st.last_seen,
        "size": st.size,
        "dated": st.dated,
        "centroid": st.centroid.astype(np.float32).tobytes() if st.centroid is not None else None,
        "entities": st.entities,
        "events": st.events,
        "updated_at": now,
    }


def save(conn: Connection, changed: Sequence[StoryState]) -> None:
    """Insert new stories (setting their ids) and update changed ones."""
    now = datetime.now(UTC)
    for st in changed:
        if st.id is None:
            st.id = inserted_id(conn.execute(stories.insert().values(**_values(st, now), created_at=now)))
        elif st.dirty:
            conn.execute(update(stories).where(stories.c.id == st.id).values(**_values(st, now)))
        st.dirty = False


def add_members(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(story_items.insert(), list(rows))


def fold(conn: Connection, keep: StoryState, absorbed: StoryState) -> None:
    """Move ``absorbed``'s members to ``keep`` and mark it merged (its row stays, for old links)."""
    conn.execute(update(story_items).where(story_items.c.story_id == absorbed.id).values(story_id=keep.id))
    conn.execute(
        update(stories).where(and_(stories.c.id == absorbed.id)).values(merged_into=keep.id, size=0, updated_at=datetime.now(UTC))
    )
    conn.execute(update(stories).where(stories.c.merged_into == absorbed.id).values(merged_into=keep.id))
