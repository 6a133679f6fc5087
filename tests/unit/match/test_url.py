from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.contract.test_signal_type_contract import SignalTypeContract
from vigil.core.errors import InvalidSignal
from vigil.match.url import UrlSignal, extract_urls, normalize_url


class TestUrlSignal(SignalTypeContract):
    signal_type = UrlSignal

    def content(self) -> str:
        return "https://files.example.net/release/part-2.mp4"

    def other_content(self) -> str:
        return "https://news.example.org/2024/03/22/report"


@pytest.mark.parametrize(
    "variant",
    [
        "HTTP://WWW.Files.Example.NET:80/release/./part-2.mp4",
        "https://files.example.net:443/release//part-2.mp4/",
        "hxxps://files[.]example[.]net/release/part-2.mp4",
        "files(dot)example(dot)net/release/part-2.mp4",
        "https://files.example.net/release/part-2.mp4?utm_source=tg&utm_medium=x&fbclid=abc#top",
        "<https://files.example.net/release/part-2.mp4>.",
        "https://user:pw@files.example.net/release/part%2D2.mp4",
    ],
)
def test_url_variants_normalize_to_one_signal(variant: str) -> None:
    assert normalize_url(variant) == "https://files.example.net/release/part-2.mp4"


def test_url_keeps_meaningful_query_sorted_and_path_case() -> None:
    assert normalize_url("https://x.org/Watch?v=AbC&list=2") == "https://x.org/Watch?list=2&v=AbC"


def test_url_telegram_aliases() -> None:
    assert normalize_url("https://telegram.me/somechannel/12") == normalize_url("t.me/somechannel/12")


def test_url_rejects_other_schemes_and_hosts() -> None:
    for bad in ("ftp://x.org/a", "javascript:alert(1)", "https:///nohost", "http://exa mple.com/"):
        with pytest.raises(InvalidSignal):
            normalize_url(bad)


def test_url_extracts_defanged_urls_from_text() -> None:
    found = extract_urls("new release hxxps://files[.]example[.]net/a and www.example.org/b, join t.me/chan.")
    assert [normalize_url(u) for u in found] == [
        "https://files.example.net/a", "https://example.org/b", "https://t.me/chan"
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_url_normalization_is_idempotent_or_rejects(value: str) -> None:
    try:
        once = normalize_url(value)
    except InvalidSignal:
        return
    assert normalize_url(once) == once
