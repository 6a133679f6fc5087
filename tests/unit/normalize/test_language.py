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
