"""The `Assessor`: every stage after ingest, for a batch of raw items, with no storage.

Used by scans (`Pipeline`), `vigil assess`, the HTTP API and stream workers alike, so one text gets the
same decision wherever it enters.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from vigil.classify.base import Classifier
from vigil.context.stage import ClassifierScorer, ContextStage
from vigil.core.fastcopy import slot_replacer
from vigil.core.records import Assessment, ContentKind, Context, EntityMention, Item, Match, RawItem
from vigil.core.registry import Registry
from vigil.core.settings import Settings
from vigil.extract.base import Extractor
from vigil.match.matcher import Matcher
from vigil.normalize.base import NormalizerChain
from vigil.plugins import default_registry
from vigil.policy.rules import Policy, load_policy
from vigil.stages import StageFailure, run_batch, run_each

replace_assessment = slot_replacer(Assessment)  # ~1 µs a copy against ~4 for dataclasses.replace


class Assessor:
    def __init__(
        self,
        settings: Settings,
        registry: Registry | None = None,
        policy: Policy | None = None,
        matcher: Matcher | None = None,
    ) -> None:
        """``matcher`` matches items against the hash banks of a store; without one (no store, as in
        `vigil assess` on a fresh machine) no bank is consulted."""
        self.settings = settings
        self.matcher = matcher
        self.registry = registry or default_registry(settings.plugins_dir)
        self.chain = NormalizerChain(
            [cls(settings, settings.plugin_options(name)) for name, cls in self._named("normalizers")], settings
        )
        self.classifiers: list[Classifier] = [
            cls(settings, settings.plugin_options(name)) for name, cls in self._named("classifiers", self.classifier_names())
        ]
        self.extractors: list[Extractor] = (
            [] if settings.extract == "never"
            else [cls(settings, settings.plugin_options(name)) for name, cls in self._named("extractors")]
        )
        primary = self.classifiers[0] if self.classifiers else None
        scorer = ClassifierScorer(primary.classify, self.chain, primary.id) if primary else None
        self.context = ContextStage(settings, scorer=scorer)
        self.policy = policy or load_policy(settings.policy)
        self.versions = {
            "normalize": ",".join(self.chain.ids),
            "classify": ",".join(c.id for c in self.classifiers),
            "context": self.context.id,
            "extract": ",".join(e.id for e in self.extractors),
            "policy": self.policy.id,
        }

    def after_fork(self) -> None:
        """In a forked worker: stop sharing the parent's database connections (SQLAlchemy's
        documented pattern) and keep bank changes flowing with a refresh thread of its own."""
        if self.matcher is not None:
            engine = getattr(getattr(self.matcher.store, "sql", None), "engine", None)
            if engine is not None:
                engine.dispose(close=False)
            self.matcher.start()

    def classifier_names(self) -> list[str]:
        """The classifiers to run: every registered one, except the lexicon when the cascade is installed
        (the cascade runs the lexicon itself)."""
        if self.settings.classifiers != "auto":
            return [n.strip() for n in self.settings.classifiers.split(",") if n.strip()]
        names = self.registry.names("classifiers")
        if "cascade" in names:  # first: it is the one that scores quotes for the context stage
            return ["cascade", *[name for name in names if name not in ("cascade", "lexicon")]]
        return names

    def _named(self, kind: str, only: Sequence[str] | None = None) -> list[tuple[str, Any]]:
        names = list(only) if only is not None else self.registry.names(kind)
        return [(name, self.registry.get(kind, name)) for name in names]

    def assess(self, raws: Sequence[RawItem], surface: str = "default") -> tuple[list[Assessment], list[StageFailure]]:
        """Run every stage on ``raws``; return the assessments and the per-item failures."""
        ok, failed = run_each("normalize", "normalize", raws, raws, self.chain)
        items: list[Item] = [item for _, item in ok]
        kept = [raws[i] for i, _ in ok]
        matches: dict[int, tuple[Match, ...]] = {}
        if self.matcher is not None:
            found, bad = run_each("match", "matcher", items, kept, self.matcher.match)
            if bad:
                failed.extend(bad)
                keep = [i for i, _ in found]
                items, kept = [items[i] for i in keep], [kept[i] for i in keep]
                found = [(j, m) for j, (_, m) in enumerate(found)]
            matches = {i: m for i, m in found if m}
        labels: list[list[Any]] = [[] for _ in items]
        for clf in self.classifiers:
            results, bad = run_batch("classify", clf.id, items, kept, clf.classify)
            failed.extend(bad)
            bad_ids = {id(f.raw) for f in bad}
            for i, scores in results:
                labels[i].extend(scores)
            if bad_ids:
                keep = [i for i, raw in enumerate(kept) if id(raw) not in bad_ids]
                items, kept, labels = [items[i] for i in keep], [kept[i] for i in keep], [labels[i] for i in keep]
        if self.settings.context:
            contexts_ok, bad = run_batch("context", self.context.id, items, kept, self.context.assess_many)
            failed.extend(bad)
            contexts: dict[int, Context | None] = dict(contexts_ok)
        else:
            contexts = dict.fromkeys(range(len(items)))
        out = []
        for i, (item, item_labels) in enumerate(zip(items, labels, strict=True)):
            if i not in contexts:
                continue
            a = Assessment(item=item, labels=tuple(item_labels), context=contexts[i], versions=self.versions,
                           matches=matches.get(i, ()), tier=max((ls.tier for ls in item_labels), default=1))
            out.append(replace_assessment(a, decision=self.policy.decide(a, surface)))
        return self._extract(out, failed), failed

    def wants_extraction(self, a: Assessment) -> bool:
        """Extraction costs ~1 ms (gazetteer) to ~10 ms (spaCy) an item: in ``auto`` mode it runs on
        articles and on items that carry a label or reporting context, not on every chat message."""
        if self.settings.extract == "always":
            return True
        if a.item.raw.kind is ContentKind.ARTICLE:
            return True
        threshold = self.policy.label_threshold
        reporting = a.context.reporting if a.context else 0.0
        return reporting >= threshold or any(ls.score >= threshold for ls in a.labels)

    def _extract(self, assessments: list[Assessment], failed: list[StageFailure]) -> list[Assessment]:
        if not self.extractors:
            return assessments
        out = []
        for a in assessments:
            if not self.wants_extraction(a):
                out.append(a)
                continue
            entities, events, ok = list(a.entities), list(a.events), True
            for ex in self.extractors:
                results, bad = run_each("extract", ex.id, [a.item], [a.item.raw], partial(_extract_one, ex, a.context))
                if bad:
                    failed.extend(bad)
                    ok = False
                    break
                entities.extend(results[0][1][0])
                events.extend(results[0][1][1])
            if ok:
                out.append(replace_assessment(a, entities=_unique(entities), events=tuple(events)))
        return out


def _unique(entities: list[EntityMention]) -> tuple[EntityMention, ...]:
    """Both extractors may report the same mention; keep one per (kind, span)."""
    seen: dict[tuple[str, int, int], EntityMention] = {}
    for e in entities:
        seen.setdefault((e.kind, e.start, e.end), e)
    return tuple(seen.values())


def _extract_one(extractor: Any, context: Context | None, item: Item) -> Any:
    """One extractor on one item, with the item's context (for `run_each`)."""
    return extractor.extract(item, context)
