from __future__ import annotations

from tests.helpers.normalize import normalize
from vigil.normalize.entities import extract_handles, extract_hashtags, extract_urls


def test_entities_urls_with_scheme_are_lowercased_host_and_trimmed() -> None:
    assert extract_urls("see https://Example.COM/Video?id=5).") == ("https://example.com/Video?id=5",)
    assert extract_urls("(http://a.org/wiki/X_(y))") == ("http://a.org/wiki/X_(y)",)


def test_entities_defanged_urls_are_refanged() -> None:
    text = "IOC hxxps://evil[.]com/p and hxxp[://]bad(.)net and sub.example[dot]org/x"
    assert extract_urls(text) == ("https://evil.com/p", "http://bad.net", "sub.example.org/x")


def test_entities_bare_domains_and_telegram_links() -> None:
    text = "join t.me/SomeChannel, www.news.org or bit.ly/abc; mirror site.ru"
    assert extract_urls(text) == ("t.me/SomeChannel", "www.news.org", "bit.ly/abc", "site.ru")


def test_entities_sentence_typos_are_not_domains() -> None:
    assert extract_urls("It ended here.It was late. Come.In now. e.g. file.py and 1.5 km") == ()
    assert extract_urls("go to.me") == ()  # a word-like TLD needs a path


def test_entities_urls_are_deduplicated_and_bounded() -> None:
    text = " ".join(f"https://x{i}.com" for i in range(10)) + " https://x1.com"
    assert len(extract_urls(text)) == 10
    assert len(extract_urls(text, limit=3)) == 3


def test_entities_handles_not_emails() -> None:
    assert extract_handles("ask @Amaq_News or @Nashir_EN, mail a@b.com") == ("@amaq_news", "@nashir_en")


def test_entities_hashtags_any_script() -> None:
    text = "#ISIS #الدَّولة_الإسلامية #Россия #1 &#39; #breaking #isis"
    assert extract_hashtags(text) == ("#isis", "#الدوله_الاسلاميه", "#россия", "#breaking")


def test_entities_are_set_on_the_item_and_never_fetched() -> None:
    item = normalize("Follow @channel and t.me/abc #tag")
    assert item.urls == ("t.me/abc",)
    assert item.handles == ("@channel",)
    assert item.hashtags == ("#tag",)
