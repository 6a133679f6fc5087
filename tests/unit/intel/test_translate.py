"""Translators: the glossary glosses the movement's terms and the gazetteer's names in Arabic script
and transliteration; Argos Translate runs only where the user installed a language package."""

from __future__ import annotations

import pytest

from vigil.core.errors import NotFound
from vigil.core.settings import Settings
from vigil.translate.argos import ArgosTranslator, installed_pairs
from vigil.translate.glossary import GlossaryTranslator, glossed_text, load_terms
from vigil.translate.service import guess_language, translate_text


@pytest.fixture(scope="module")
def glossary() -> GlossaryTranslator:
    return GlossaryTranslator(Settings())


def _g(glossary: GlossaryTranslator, text: str) -> dict[str, str]:
    out = {}
    for g in glossary.translate(text, None).glosses:
        assert text[g.start : g.end] == g.term
        out[g.term] = g.gloss
    return out


def test_translate_glossary_arabic_terms_with_clitics(glossary: GlossaryTranslator) -> None:
    text = "على الذئاب المنفردة ضرب الصليبيين والكفار، وبيعة للخلافة"
    found = _g(glossary, text)
    assert found["الذئاب المنفردة"] == "lone wolves"
    assert found["الصليبيين"] == "Crusaders"
    assert found["كفار"] == "unbelievers"  # after the attached و and ال
    assert found["بيعة"] == "pledge of allegiance"
    assert found["خلافة"] == "caliphate"


def test_translate_glossary_transliterations_and_names(glossary: GlossaryTranslator) -> None:
    text = "Brothers, make hijra to the Dawla; the inghimasi of Wilayat Khorasan gave bay'ah. مؤسسة الفرقان"
    found = _g(glossary, text)
    assert found["hijra"] == "emigration" and found["Dawla"] == "the State" and found["inghimasi"] == "one who plunges in"
    assert found["bay'ah"] == "pledge of allegiance"
    assert found["Wilayat Khorasan"] == "Islamic State Khorasan Province (ISIS-K)"  # the longer name wins
    assert found["مؤسسة الفرقان"] == "Al-Furqan Media Foundation"


def test_translate_glossary_word_boundaries(glossary: GlossaryTranslator) -> None:
    assert _g(glossary, "the ansarullah movement and sahwatul stuff") == {}
    assert _g(glossary, "") == {}


def test_translate_glossed_text_inserts_meanings(glossary: GlossaryTranslator) -> None:
    text = "نشر أنصار الدولة"
    assert glossed_text(text, glossary.translate(text, "ar").glosses) == "نشر أنصار [supporters, helpers] الدولة [the State]"


def test_translate_glossary_has_the_core_vocabulary() -> None:
    ids = {t.id for t in load_terms()}
    assert {"dawla", "khilafah", "hijrah", "ghazwa", "inghimasi", "kuffar", "murtaddin", "taghut", "nashir", "ansar",
            "bayah", "istishhad"} <= ids


def test_translate_service_falls_back_to_glosses_without_argos(tmp_path) -> None:
    if ("ar", "en") in installed_pairs():
        pytest.skip("an Argos ar->en package is installed; the fallback is not reachable")
    result = translate_text(Settings(), "الذئاب المنفردة")
    assert result.source_language == "ar" and result.text is None
    assert [g.gloss for g in result.glosses] == ["lone wolves"]
    assert any("glosses only" in n for n in result.notes)
    with pytest.raises(NotFound):
        translate_text(Settings(), "x", backend="nope")


def test_translate_guess_language() -> None:
    assert guess_language("ندعو الذئاب") == "ar" and guess_language("Исламское государство") == "ru"
    assert guess_language("lone wolves") == "en" and guess_language("123 !!") is None


def test_translate_argos_when_a_package_is_installed() -> None:
    pairs = installed_pairs()
    if not pairs:
        pytest.skip("argostranslate or its language packages are not installed (Vigil never downloads them)")
    source, target = sorted(pairs)[0]
    translator = ArgosTranslator(Settings())
    assert translator.available(source, target)
    out = translator.translate("Hello. How are you?" if source == "en" else "مرحبا", source, target)
    assert out.text and out.translator == "argos.v1"


def test_translate_argos_unavailable_without_packages() -> None:
    if installed_pairs():
        pytest.skip("Argos packages installed")
    assert not ArgosTranslator(Settings()).available("ar", "en")
