"""The classifier cascade: lexicon and linear model on every message, sentence embeddings where unsure.

Where it sits: normalize ─► Item ─► **cascade** ─► context ─► policy. It is the `Classifier` the
pipeline runs (registry name ``cascade``); the lexicon (`vigil.classify.lexicon`) is one of its parts.

Per batch of items:

1. **Tier 1** (every item): the canonical folded text (`textprep.canon`) is featurised with hashed
   character and word n-grams (`features`), and the linear heads give calibrated probabilities
   (`linear`). The lexicon scores every harm label from its terms.
2. **Tier 2** (items whose tier-1 score for a learned harm label, or the milieu head, lies in
   ``[settings.tier2_low, settings.tier2_high)``; all items with ``settings.tier2 = "always"``, none with
   ``"never"``): the multilingual sentence embedding (`embedding`) of the *folded* text (so homoglyphs,
   leetspeak and inserted symbols do not move it) refines each head, stacked with tier 1.
3. **Labels**: a learned head and the lexicon are combined as independent evidence (noisy-OR:
   ``1 - (1 - head) * (1 - lexicon)``), so a known call phrase is caught even where the head has little
   data, and the head catches what no term list holds. Labels without a learned head are the lexicon's.
   ``reporting`` is the reporting head's probability (the context stage refines it).

   Why noisy-OR and not a learned combiner: the combined score is never below either input, so a
   confident lexicon call (the call grammar of `vigil.classify.calls`: 0.97 for "Lone wolves, target the
   Jews ...") cannot be averaged away by a head trained on weak labels (GermEval, ETHOS) that has never
   seen a jihadist call. A logistic stacker fitted on held-out data (the calibration fold) cannot learn
   to trust the lexicon, because that data holds almost no lexicon calls: it gives the lexicon's
   log-odds a weight of about 0.16 and would turn "head 0.01, lexicon 0.97" into 0.04
   (``bench/combination.py`` measures this, and the lexicon's precision per score band on the test
   side; ``docs/evaluation.md`` reports both). Tier 2 refines the heads only, before the combination.

Which head reports which label, and why, is in the artifact's ``model.json`` and model card. The
``milieu`` head (content typical of pro-ISIS accounts, Fifth Tribe) is not a harm label on its own: it is
shown as evidence on ``glorification`` and available to `vigil eval --label milieu`.

Every score says which tier decided it (``LabelScore.tier``); evidence is the lexicon's terms, the n-grams
that raised a head most (as spans of ``Item.normalized``), and for tier 2 the nearest labelled training
examples by data set and row id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from vigil.classify import artifact as artifacts
from vigil.classify.base import Classifier
from vigil.classify.embedding import Encoder
from vigil.classify.features import Features
from vigil.classify.lexicon import LexiconClassifier
from vigil.classify.textprep import canon, canon_tracked, strip_symbols
from vigil.core.errors import ConfigError
from vigil.core.labels import ALL_LABELS, HARM_LABELS, Label
from vigil.core.records import Evidence, Item, LabelScore
from vigil.core.registry import Manifest
from vigil.core.settings import Settings
from vigil.normalize.offsets import fold_map

_TIER2_MODES = ("auto", "always", "never")
_LABEL_INDEX = {label: i for i, label in enumerate(ALL_LABELS)}
_HARM_INDEX = np.array([_LABEL_INDEX[label] for label in HARM_LABELS])


@dataclass(frozen=True)
class CascadeScores:
    """Scores of a batch as arrays (for evaluation and benchmarks)."""

    labels: np.ndarray[Any, Any]  # (n, len(ALL_LABELS)) final label scores, in ALL_LABELS order
    heads: np.ndarray[Any, Any]  # (n, n_heads) head probabilities after the tier that decided
    tier: np.ndarray[Any, Any]  # (n,) 1 or 2
    lexicon: list[dict[Label, LabelScore]]
    features: Features
    embeddings: dict[int, np.ndarray[Any, Any]]  # row -> tier-2 embedding, for the rows tier 2 ran on

    def any_harm(self) -> np.ndarray[Any, Any]:
        harm: np.ndarray[Any, Any] = self.labels[:, _HARM_INDEX].max(axis=1)
        return harm


class CascadeClassifier(Classifier):
    """Options (``[plugins.cascade]``): ``lexicon`` (default true), ``evidence_min`` (scores below it
    carry no evidence, default 0.2), ``neighbors`` (default 3), ``threads`` (tier-2 BLAS threads, 1)."""

    name = "cascade"
    version = 1
    tier = 1
    labels = ALL_LABELS

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(settings, options)
        if settings.tier2 not in _TIER2_MODES:
            raise ConfigError(f"setting tier2 is {settings.tier2!r}", hint="use one of: " + ", ".join(_TIER2_MODES))
        self.model = artifacts.load(settings.model)
        self.id = f"{self.id}+model.{self.model.version}"
        self.lexicon = LexiconClassifier(settings, settings.plugin_options("lexicon")) if self.options.get("lexicon", True) else None
        self.evidence_min = float(self.options.get("evidence_min", 0.2))
        self.n_neighbors = int(self.options.get("neighbors", 3))
        self.encoder = Encoder(threads=int(self.options.get("threads", 1)))
        names = self.model.heads
        self._head_of_label: dict[Label, int] = {}
        for h, head in enumerate(names):
            label = self.model.head_label(head)
            if label:
                self._head_of_label[Label(label)] = h
        self._milieu = names.index("milieu") if "milieu" in names else None

    # ---- scoring ---------------------------------------------------------------------------------

    def score(self, items: Sequence[Item], tier2: str | None = None) -> CascadeScores:
        """Arrays of scores for ``items``; ``tier2`` overrides ``settings.tier2`` for this call."""
        mode = tier2 or self.settings.tier2
        texts = [canon(item.folded) for item in items]
        feats = self.model.linear.featurizer.transform(texts)
        logits = self.model.linear.logits(feats)
        heads = self.model.linear.calibrate(logits)
        tier = np.ones(len(items), dtype=np.int8)
        lex = self._lexicon(items)
        labels = self._labels(heads, lex)
        todo = self._tier2_rows(labels, heads, mode)
        embeddings: dict[int, np.ndarray[Any, Any]] = {}
        if len(todo) and self.model.embedding is not None:
            emb = self.encoder.encode([strip_symbols(items[i].folded) for i in todo])
            refined = self.model.embedding.combine(logits[todo], self.model.embedding.logits(emb))
            heads[todo] = refined
            labels[todo] = self._labels(refined, [lex[i] for i in todo])
            tier[todo] = 2
            embeddings = {int(i): emb[j] for j, i in enumerate(todo)}
        return CascadeScores(labels, heads, tier, lex, feats, embeddings)

    def _lexicon(self, items: Sequence[Item]) -> list[dict[Label, LabelScore]]:
        if self.lexicon is None:
            return [{} for _ in items]
        # the lexicon reads the folded text without emoji between words, so an inserted emoji does not
        # break a phrase; its evidence offsets still map back (through the normalize stage's aligner)
        view = [item if item.folded.isascii() else replace(item, folded=strip_symbols(item.folded)) for item in items]
        return [{ls.label: ls for ls in scores} for scores in self.lexicon.classify(view)]

    def _labels(self, heads: np.ndarray[Any, Any], lex: Sequence[dict[Label, LabelScore]]) -> np.ndarray[Any, Any]:
        out = np.zeros((len(heads), len(ALL_LABELS)), dtype=np.float32)
        for i, scores in enumerate(lex):
            for label, ls in scores.items():
                out[i, _LABEL_INDEX[label]] = ls.score
        for label, h in self._head_of_label.items():
            j = _LABEL_INDEX[label]
            out[:, j] = heads[:, h] if label is Label.REPORTING else 1.0 - (1.0 - heads[:, h]) * (1.0 - out[:, j])
        return out

    def _tier2_rows(self, labels: np.ndarray[Any, Any], heads: np.ndarray[Any, Any], mode: str) -> np.ndarray[Any, Any]:
        """Rows where a learned harm label (after the lexicon) or the milieu head is in the unsure band."""
        n = len(labels)
        if mode == "never" or self.model.embedding is None or n == 0:
            return np.zeros(0, dtype=np.int64)
        if mode == "always":
            return np.arange(n)
        cols = [_LABEL_INDEX[lab] for lab in self._head_of_label if lab is not Label.REPORTING]
        watched = labels[:, cols]
        if self._milieu is not None:
            watched = np.concatenate([watched, heads[:, [self._milieu]]], axis=1)
        unsure = ((watched >= self.settings.tier2_low) & (watched < self.settings.tier2_high)).any(axis=1)
        return np.flatnonzero(unsure)

    # ---- the Classifier contract -------------------------------------------------------------------

    def classify(self, items: Sequence[Item]) -> list[tuple[LabelScore, ...]]:
        if not items:
            return []
        scores = self.score(items)
        # Python lists once per batch: indexing numpy scalars label by label costs more than the model
        rows = np.round(np.clip(scores.labels, 0.0, 1.0), 4).tolist()
        tiers = scores.tier.tolist()
        return [self._label_scores(items, i, rows[i], tiers[i], scores) for i in range(len(items))]

    def _label_scores(
        self, items: Sequence[Item], i: int, row: list[float], tier: int, scores: CascadeScores
    ) -> tuple[LabelScore, ...]:
        out = []
        lex = scores.lexicon[i]
        for j, label in enumerate(ALL_LABELS):
            value = row[j]
            h = self._head_of_label.get(label)
            found = lex.get(label)
            evidence: list[Evidence] = list(found.evidence) if found is not None else []
            # n-gram evidence costs a slow-path offset map: only for harm scores an analyst will look at
            # (the context stage gives `reporting` its cues)
            if h is not None and label is not Label.REPORTING and value >= self.evidence_min:
                evidence.extend(self._ngram_evidence(items[i], scores.features, i, h))
                if i in scores.embeddings:
                    evidence.extend(self._neighbor_evidence(scores.embeddings[i], h))
                if label is Label.GLORIFICATION and self._milieu is not None:
                    evidence.append(self._milieu_evidence(float(scores.heads[i, self._milieu])))
            out.append(LabelScore(label, value, self.id, tier if h is not None else 1, tuple(evidence)))
        return tuple(out)

    def _ngram_evidence(self, item: Item, feats: Features, row: int, head: int) -> list[Evidence]:
        text, offsets = canon_tracked(item.folded)
        contributions = self.model.linear.contributions(feats, row, head, text)
        if not contributions:
            return []
        fmap = fold_map(item.normalized, item.folded)
        name = self.model.heads[head]
        out = []
        for c in contributions:
            ngram = text[c.start : c.start + c.length]
            inside = [o for o in offsets[c.start : c.start + c.length] if o >= 0]
            start: int | None = None
            end: int | None = None
            shown = ngram.strip()
            if inside:
                start, end = fmap.span(inside[0], inside[-1] + 1)
                shown = item.normalized[start:end]
            out.append(
                Evidence(kind="feature", text=shown, start=start, end=end, weight=round(c.weight, 4), detail=f"tier 1 {name}: n-grams of {ngram!r}")
            )
        return out

    def _neighbor_evidence(self, emb: np.ndarray[Any, Any], head: int) -> list[Evidence]:
        assert self.model.embedding is not None
        found = self.model.embedding.neighbors(emb[None, :], head, self.n_neighbors)[0]
        name = self.model.heads[head]
        return [
            Evidence(kind="neighbor", text=nb.id, weight=round(nb.similarity, 4), detail=f"tier 2 {name}: training example labelled {nb.target}")
            for nb in found
        ]

    @staticmethod
    def _milieu_evidence(p: float) -> Evidence:
        return Evidence(kind="feature", text="milieu", weight=round(p, 4), detail="tier 1 milieu head: content typical of pro-ISIS accounts (not a harm label on its own)")


MANIFEST = Manifest(classifiers=(CascadeClassifier,))
