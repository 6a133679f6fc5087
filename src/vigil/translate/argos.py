"""The ``argos`` translator: full-text machine translation with Argos Translate (OpenNMT models run by
CTranslate2, offline), used when the user has installed argostranslate and the language packages
for the pair (``argospm install translate-ar_en``, done by the user, never by Vigil).

Vigil never downloads a package or updates the package index: with no package for the pair,
`available` is False and `vigil translate` falls back to the glossary alone. Argos Translate is an
optional install (it pulls in stanza and torch), not a Vigil dependency.

Where it sits: a `Translator`; `vigil translate` prefers it for the full text.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from vigil.core.errors import ConfigError
from vigil.core.registry import Manifest
from vigil.translate.base import MAX_CHARS, Translation, Translator


def installed_pairs() -> set[tuple[str, str]]:
    """(from, to) language codes of the installed Argos packages; empty without argostranslate."""
    if importlib.util.find_spec("argostranslate") is None:
        return set()
    import argostranslate.package

    return {(p.from_code, p.to_code) for p in argostranslate.package.get_installed_packages()}


class ArgosTranslator(Translator):
    name = "argos"
    version = 1

    def available(self, source: str | None, target: str) -> bool:
        return source is not None and (source, target) in installed_pairs()

    def _translation(self, source: str, target: str) -> Any:
        import argostranslate.translate

        langs = {lang.code: lang for lang in argostranslate.translate.get_installed_languages()}
        if source not in langs or target not in langs:
            raise ConfigError(
                f"no Argos Translate package installed for {source!r} -> {target!r}",
                hint=f"install one yourself (argospm install translate-{source}_{target}); Vigil never downloads models",
            )
        translation = langs[source].get_translation(langs[target])
        if translation is None:
            raise ConfigError(f"Argos Translate has no model for {source!r} -> {target!r}")
        return translation

    def translate(self, text: str, source: str | None, target: str = "en") -> Translation:
        if source is None:
            raise ConfigError("the argos translator needs the source language", hint="pass --from, e.g. --from ar")
        out = self._translation(source, target).translate(text[:MAX_CHARS])
        notes = ("text cut to the first 20,000 characters",) if len(text) > MAX_CHARS else ()
        return Translation(text, source, target, str(out), (), self.id, notes)


MANIFEST = Manifest(translators=(ArgosTranslator,))
