"""The context stage: is this item reporting on terrorism, or is it the thing itself?

Sits after normalize, beside classify:

    RawItem ─► normalize ─► Item ─► classify ─┐
                              └──► context ───┴─► policy (reporting caps the action at label/review)

For each `Item` it returns a `Context`: a `reporting` score in [0, 1], the source type (news, research,
monitoring, social, channel, unknown), the cues that drove the score as `Evidence` (offsets into
``Item.normalized``), and every quoted span as a `Quote` with its speaker when the text states one. The
classifier is injected as a *scorer* (texts in, one ``{label: score}`` per text out) and scores each
quote, so a call to violence quoted inside a news report is still found, attributed and scored while
the item itself is labelled as reporting.

How the pieces fit: `vigil.extract.furniture` masks page widgets (shared with the extractors);
`quotes` finds quoted spans; `speakers` attributes
them; `framing` finds cues in the author's own voice; `scoring` combines them (its docstring explains
the guards against propagandists who dress a call up as a quotation).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from vigil.context.framing import (
    Cue,
    phrase_cues,
    reported_complements,
    speech_cues,
    structural_cues,
    voice_calls,
    words_of,
)
from vigil.context.lexicon import lower_aligned
from vigil.context.quotes import find_quotes
from vigil.context.scoring import score
from vigil.context.speakers import SpeakerResolver
from vigil.core.errors import PluginError
from vigil.core.labels import Label
from vigil.core.records import EMPTY, ContentKind, Context, Evidence, Item, LabelScore, Quote, RawItem
from vigil.core.settings import Settings
from vigil.extract.furniture import furniture_spans, mask

Scorer = Callable[[Sequence[str]], Sequence[Mapping[Any, float]]]

_SPACE = re.compile(r"\s+")
_VOICE_WORD = re.compile(r"[^\W_]\S*")  # a word with a letter or digit; masked quotes are underscores

MAX_CHARS = 200_000  # beyond Settings.max_text_chars anyway; a bound for direct callers
MAX_SCORED_CHARS = 2_000  # a quote longer than this is scored on its first part
EVIDENCE_CHARS = 200


class ContextStage:
    """Reporting-versus-propaganda context for items.

    Args:
        settings: process settings (only ``max_text_chars`` is read).
        scorer: scores quoted spans: ``scorer(texts) -> [{label: score}, ...]``, one mapping per text,
            labels as `Label` or their names; other keys are ignored. None: quotes are not scored.
        scorer_id: provenance recorded on each quote score; defaults to ``scorer.id``, else its name.
        options: ``min_quote_words`` (default 2): shorter quotes ("caliphate") are kept but not scored.
    """

    name: ClassVar[str] = "context"
    version: ClassVar[int] = 1

    def __init__(
        self,
        settings: Settings | None = None,
        scorer: Scorer | None = None,
        *,
        scorer_id: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.scorer = scorer
        self.scorer_id = scorer_id or str(
            getattr(scorer, "id", None) or getattr(scorer, "__name__", "scorer")
        )
        self.options: Mapping[str, Any] = options or EMPTY
        self.min_quote_words = int(self.options.get("min_quote_words", 2))
        self.id = f"{self.name}.v{self.version}"

    def __call__(self, item: Item) -> Context:
        return self.assess(item)

    def assess(self, item: Item) -> Context:
        return self.assess_many([item])[0]

    def assess_many(self, items: Sequence[Item]) -> list[Context]:
        """Contexts for ``items``, in order; the scorer is called once for all their quotes."""
        contexts = [self._frame(item) for item in items]
        if self.scorer is None:
            return contexts
        wanted = [
            (i, j, quote.text[:MAX_SCORED_CHARS])
            for i, context in enumerate(contexts)
            for j, quote in enumerate(context.quotes)
            if len(quote.text.split()) >= self.min_quote_words
        ]
        if not wanted:
            return contexts
        results = self.scorer([text for _, _, text in wanted])
        if len(results) != len(wanted):
            raise PluginError(
                f"scorer {self.scorer_id!r} returned {len(results)} results for {len(wanted)} texts",
                hint="a scorer returns one {label: score} mapping per input text, in order",
            )
        quotes = [list(context.quotes) for context in contexts]
        for (i, j, _), result in zip(wanted, results, strict=True):
            quote = quotes[i][j]
            quotes[i][j] = Quote(
                quote.text,
                quote.start,
                quote.end,
                quote.speaker,
                quote.cue,
                self._label_scores(result, quote),
            )
        return [
            Context(c.reporting, c.source_type, c.cues, tuple(q), c.stage)
            for c, q in zip(contexts, quotes, strict=True)
        ]

    # ---- one item ---------------------------------------------------------------------------------

    def _frame(self, item: Item) -> Context:
        text = item.normalized[: min(MAX_CHARS, self.settings.max_text_chars)]
        # Widgets are whole lines of a scraped page; a one-line post has none (and skipping it is faster).
        furniture = furniture_spans(text) if "\n" in text else []
        masked = mask(text, furniture)
        spans = find_quotes(masked)
        resolver = SpeakerResolver(masked, spans)
        attributions = resolver.attribute_all()
        outside = resolver.outside
        lower = lower_aligned(outside)
        words = words_of(lower)
        # Structure is read on the unmasked text because a byline ("Follow X on Twitter") sits among the
        # widgets; any other structural cue inside furniture is dropped.
        cues: list[Cue] = [
            c for c in structural_cues(text) if c.family == "byline" or not _inside(c, furniture)
        ]
        reported = reported_complements(outside, words)
        cues += [c for c in phrase_cues(outside, lower) if c.family != "in_group" or not _inside(c, reported)]
        cues += speech_cues(outside, spans, attributions, text, words)
        cues += voice_calls(outside, words)
        title = (item.raw.title or "").strip()
        if title and not text.lstrip().startswith(title[:40]):
            cues.append(Cue("headline", title[:EVIDENCE_CHARS], None, None, 0.6))
        quoted = sum(q.end - q.start for q in spans)
        content = len(_SPACE.sub("", masked)) or 1
        voice_words = len(_VOICE_WORD.findall(outside))
        verdict = score(cues, item.raw, min(1.0, quoted / content), voice_words)
        quotes = tuple(
            Quote(text[q.start : q.end], q.start, q.end, a.speaker, a.cue)
            for q, a in zip(spans, attributions, strict=True)
        )
        return Context(verdict.reporting, verdict.source_type, self._evidence(cues), quotes, self.id)

    @staticmethod
    def _evidence(cues: list[Cue]) -> tuple[Evidence, ...]:
        ordered = sorted(cues, key=lambda c: (c.start if c.start is not None else -1, c.family))
        return tuple(
            Evidence("cue", c.text[:EVIDENCE_CHARS], c.start, c.end, round(c.weight, 3), c.family)
            for c in ordered
        )

    def _label_scores(self, result: Mapping[Any, float], quote: Quote) -> tuple[LabelScore, ...]:
        evidence = (
            Evidence("quote", quote.text[:EVIDENCE_CHARS], quote.start, quote.end, 0.0, quote.speaker),
        )
        out: list[LabelScore] = []
        for key, value in result.items():
            label = key if isinstance(key, Label) else _label_or_none(str(key))
            if label is None:
                continue
            number = float(value)
            if math.isnan(number) or number < -1e-6 or number > 1 + 1e-6:
                raise PluginError(
                    f"scorer {self.scorer_id!r} gave {label.value} the score {value!r}",
                    hint="scores are calibrated probabilities in [0, 1]",
                )
            out.append(LabelScore(label, min(1.0, max(0.0, number)), self.scorer_id, 1, evidence))
        return tuple(sorted(out, key=lambda ls: -ls.score))


class ClassifierScorer:
    """Adapts a classifier into the stage's scorer: each quote is scored as if it had been posted bare.

    That is the point of scoring quotes: the call quoted in a news report gets the score the same words
    would get on their own, while the report itself carries the `reporting` context.

    Args:
        classify: a classifier's batch method, ``Classifier.classify``.
        normalize: turns a `RawItem` into an `Item` (the pipeline's `NormalizerChain`).
        scorer_id: provenance for the quote scores, e.g. the classifier's ``id``.
    """

    def __init__(
        self,
        classify: Callable[[Sequence[Item]], Sequence[Sequence[LabelScore]]],
        normalize: Callable[[RawItem], Item],
        scorer_id: str,
    ) -> None:
        self.classify = classify
        self.normalize = normalize
        self.id = scorer_id

    def __call__(self, texts: Sequence[str]) -> list[dict[Label, float]]:
        now = datetime.now(UTC)
        raws = [
            RawItem("context-quote", str(i), ContentKind.MESSAGE, text, b"", self.id, now)
            for i, text in enumerate(texts)
        ]
        out: list[dict[Label, float]] = []
        for scores in self.classify([self.normalize(raw) for raw in raws]):
            best: dict[Label, float] = {}
            for ls in scores:
                best[ls.label] = max(best.get(ls.label, 0.0), ls.score)
            out.append(best)
        return out


def _inside(cue: Cue, spans: list[tuple[int, int]]) -> bool:
    return (
        cue.start is not None
        and cue.end is not None
        and any(s <= cue.start and cue.end <= e for s, e in spans)
    )


def _label_or_none(name: str) -> Label | None:
    try:
        return Label(name.strip().lower())
    except ValueError:
        return None
