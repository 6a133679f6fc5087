"""The intel work done as a batch of assessments is saved: story assignment and watch rules.

Both are `SaveHook`s: text vectors are computed before the store's transaction opens; stories,
members and alerts are written inside it, with the assessments; webhooks go out after the commit.

Which items join stories (setting ``stories``): ``auto`` — articles, and items that carry a label,
reporting context, entities or events (the items an analyst follows; small talk in a channel would
only make noise); ``always``; ``never``.

Where it sits: built by `intel_hooks` for `vigil.pipeline.Pipeline`, which passes them to
``SqlStore.save_assessments``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from vigil.core.errors import ConfigError
from vigil.core.records import Assessment, ContentKind
from vigil.core.settings import Settings
from vigil.intel.embed import Embedder, get_embedder
from vigil.intel.stories import ItemSignals, StoryClusterer, StoryConfig, signals_of, text_for_vector
from vigil.store import stories_sql
from vigil.store.base import SaveHook
from vigil.store.codec import carried_labels


def story_config(settings: Settings) -> StoryConfig:
    return StoryConfig(threshold=settings.story_threshold, window=timedelta(days=settings.story_window_days))


class StoryHook(SaveHook):
    def __init__(self, settings: Settings, label_threshold: float = 0.5) -> None:
        if settings.stories not in ("auto", "always", "never"):
            raise ConfigError(f"setting stories is {settings.stories!r}", hint="use auto, always or never")
        self.settings = settings
        self.mode = settings.stories
        self.label_threshold = label_threshold
        self.clusterer = StoryClusterer(story_config(settings))
        self._embedder: Embedder | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings.story_embedder)
        return self._embedder

    def needs_every_item(self) -> bool:
        return self.mode == "always"

    def wants(self, a: Assessment) -> bool:
        if self.mode == "never" or a.item.raw.id is None:
            return False
        if self.mode == "always" or a.item.raw.kind is ContentKind.ARTICLE or a.entities or a.events:
            return True
        return bool(carried_labels(a, self.label_threshold))

    def prepare(self, batch: Sequence[Assessment]) -> list[ItemSignals]:
        chosen = [a for a in batch if self.wants(a)]
        if not chosen:
            return []
        vectors = self.embedder.encode([text_for_vector(a) for a in chosen])
        return [signals_of(a, v) for a, v in zip(chosen, vectors, strict=True)]

    def apply(self, conn: Any, batch: Sequence[Assessment], prepared: list[ItemSignals]) -> None:
        if not prepared:
            return
        done = stories_sql.members_already(conn, [s.raw_id for s in prepared])
        todo = sorted((s for s in prepared if s.raw_id not in done), key=lambda s: s.at)
        if not todo:
            return
        window = self.clusterer.config.window
        dated = [s.at for s in todo if s.dated]
        if len(dated) < len(todo):  # an undated item may join a story of any date: the newest ones
            live = stories_sql.candidates(conn, datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC), timedelta(0))
        else:
            live = stories_sql.candidates(conn, dated[0], dated[-1], window)
        placed = self.clusterer.assign(todo, live)
        touched = list({id(st): st for st, _ in placed}.values())
        stories_sql.save(conn, touched)
        stories_sql.add_members(conn, [
            {"raw_id": s.raw_id, "story_id": st.id, "score": round(score, 4), "seen_at": s.at}
            for s, (st, score) in zip(todo, placed, strict=True)
        ])
        self.merge(conn, touched, live)

    def merge(self, conn: Any, touched: list[Any], live: list[Any]) -> None:
        """Periodic merge, limited to the stories this batch changed and those they may meet."""
        pool = list({id(st): st for st in [*touched, *live]}.values())
        for keep, absorbed in self.clusterer.merge_candidates(pool):
            if absorbed not in touched and keep not in touched:
                continue
            keep.absorb(absorbed)
            stories_sql.save(conn, [keep])
            stories_sql.fold(conn, keep, absorbed)


def intel_hooks(settings: Settings, store: Any, label_threshold: float = 0.5,
                env: Mapping[str, str] | None = None) -> list[SaveHook]:
    """The save hooks a pipeline runs: stories, then watch rules and alerts (with the webhook named
    by the settings, resolved from ``env``; only `cli/` and `api/` pass the process environment)."""
    from vigil.intel.alerts import AlertHook

    return [StoryHook(settings, label_threshold), AlertHook(settings, label_threshold, env=env, store=store)]
