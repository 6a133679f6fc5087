"""Choosing translators for one text: the best installed full translator for the pair (if any),
plus the glossary's notes on the movement's terms and the gazetteer's names.

Where it sits: `vigil translate` and the exports call `translate_text`.
"""

from __future__ import annotations

from dataclasses import replace

from vigil.core.errors import NotFound
from vigil.core.settings import Settings
from vigil.plugins import default_registry
from vigil.translate.base import Translation, Translator


def guess_language(text: str) -> str | None:
    """A script-based guess for when nothing better is known: Arabic script -> ar, Cyrillic -> ru."""
    letters = [c for c in text[:2000] if c.isalpha()]
    if not letters:
        return None
    arabic = sum("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in letters)
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters)
    latin = sum(c.isascii() for c in letters)
    best = max((arabic, "ar"), (cyrillic, "ru"), (latin, "en"))
    return best[1] if best[0] > len(letters) / 2 else None


def translators(settings: Settings) -> dict[str, Translator]:
    registry = default_registry(settings.plugins_dir)
    return {name: registry.get("translators", name)(settings) for name in registry.names("translators")}


def translate_text(settings: Settings, text: str, source: str | None = None, target: str = "en",
                   backend: str = "auto") -> Translation:
    """Glosses from the glossary, and the full text from the first other translator that serves
    (source, target) (``backend`` names one to force it, or ``glossary`` for glosses alone).

    Raises:
        NotFound: ``backend`` names no installed translator.
        ConfigError: the named backend cannot serve the pair.
    """
    source = source or guess_language(text)
    available = translators(settings)
    if backend not in ("auto", *available):
        raise NotFound("translator", backend, hint="known: auto, " + ", ".join(sorted(available)))
    glossary = available.get("glossary")
    glosses = glossary.translate(text, source, target).glosses if glossary and target == "en" else ()
    notes: list[str] = []
    full: Translation | None = None
    if backend not in ("auto", "glossary"):
        full = available[backend].translate(text, source, target)
    elif backend == "auto" and source != target:
        for name, tr in sorted(available.items()):
            if name != "glossary" and tr.available(source, target):
                full = tr.translate(text, source, target)
                break
        else:
            notes.append(f"no full translator installed for {source or 'unknown'} -> {target}; glosses only")
    if full is None:
        return Translation(text, source, target, text if source == target else None, tuple(glosses),
                           glossary.id if glossary else "", tuple(notes))
    return replace(full, glosses=tuple(glosses), translator=f"{full.translator}+{glossary.id}" if glossary else full.translator,
                   notes=full.notes + tuple(notes))
