"""The dashboard in a real browser (Debian's Chromium driven by Playwright) against a real `vigil
serve` on a database seeded from the bundled examples and a hostile export (`tests.helpers.hostile`).

Skipped with a notice when Chromium is absent; CI sets VIGIL_REQUIRE_BROWSER=1 so it fails instead.
Screenshots of every main page are saved (``VIGIL_SCREENSHOTS=docs/screenshots`` to refresh the
README's two).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.dashboard import CHROMIUM_ARGS, Dashboard, serve, sign_in
from tests.helpers.hostile import PAYLOADS

pytestmark = pytest.mark.slow


@dataclass
class Watch:
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def dash(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[Dashboard]:
    with serve(tmp_path_factory.mktemp("dashboard")) as d:
        yield d


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser: Any, dash: Dashboard) -> Iterator[Callable[[str | None], tuple[Any, Watch]]]:
    contexts = []

    def make(user: str | None) -> tuple[Any, Watch]:
        ctx = browser.new_context(viewport={"width": 1280, "height": 860})
        contexts.append(ctx)
        page = ctx.new_page()
        watch = Watch()
        page.on("request", lambda r: watch.requests.append(r.url))
        page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: watch.errors.append(str(e)))
        page.on("console", lambda m: watch.console.append(f"{m.type}: {m.text}"))
        if user:
            sign_in(page, dash, user)
        return page, watch

    yield make
    for ctx in contexts:
        ctx.close()


def query(dash: Dashboard, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(dash.db) as conn:
        return conn.execute(sql, args).fetchall()


def shot(page: Any, dash: Dashboard, name: str, full: bool = True) -> Path:
    """Save a screenshot; palette-quantized so the PNGs stay small enough to commit."""
    from PIL import Image

    path = dash.shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    with Image.open(path) as im:
        im.convert("RGB").quantize(colors=128).save(path, optimize=True)
    return path


def assert_safe(page: Any, watch: Watch) -> None:
    """Nothing ran, nothing was blocked trying to run, the page is laid out, nothing left the origin."""
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert watch.dialogs == [] and watch.errors == []
    assert not [c for c in watch.console if "Content Security Policy" in c or "Refused" in c], watch.console
    assert page.evaluate("[...document.scripts].map(s => s.src.split('/').pop())") == ["vigil.js"]
    assert page.evaluate("document.querySelectorAll('[onerror],[onload],[onmouseover],iframe,style:not(head style)').length") == 0
    assert page.evaluate("document.querySelectorAll('a[href^=\"javascript:\" i]').length") == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "horizontal overflow"
    assert page.locator("main").is_visible() and page.locator("header.top").is_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundImage") == "none"


def assert_same_origin(dash: Dashboard, watch: Watch) -> None:
    foreign = [u for u in watch.requests if not u.startswith(dash.base + "/") and not u.startswith("data:")]
    assert foreign == [], foreign


def test_dashboard_sign_in_shows_overview_charts(open_page: Any, dash: Dashboard) -> None:
    page, watch = open_page("ana")
    assert page.url == dash.url("/ui/")
    assert page.locator("h1").inner_text() == "Overview"
    for panel in ("#by-label", "#by-action", "#top-channels", "#top-entities"):
        assert page.locator(f"{panel} svg.chart").count() == 1
    assert page.locator("#by-label svg rect.bar").count() > 5
    assert page.locator("#top-channels svg a").count() >= 3
    assert page.context.cookies()[0]["httpOnly"] and page.context.cookies()[0]["sameSite"] == "Strict"
    shot(page, dash, "overview", full=False)
    assert_safe(page, watch)
    assert_same_origin(dash, watch)


def test_dashboard_wrong_role_gets_403_page(open_page: Any, dash: Dashboard) -> None:
    page, _ = open_page("ana")
    for path in ("/ui/queue", "/ui/admin/banks", "/ui/admin/policy"):
        response = page.goto(dash.url(path))
        assert response.status == 403 and page.locator("h1").inner_text() == "Not allowed"
    page, _ = open_page("plat")
    assert page.goto(dash.url("/ui/")).status == 403


def test_dashboard_unsigned_visitor_is_sent_to_sign_in(open_page: Any, dash: Dashboard) -> None:
    page, _ = open_page(None)
    page.goto(dash.url("/ui/search?q=x"))
    assert page.url.startswith(dash.url("/ui/login?next=")) and page.locator("input[name=password]").count() == 1
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", "wrong password!!")
    page.click("form[action='/ui/login'] button[type=submit]")
    assert "Wrong name or password" in page.locator(".error").inner_text()


def test_dashboard_queue_worked_end_to_end_with_keyboard(open_page: Any, dash: Dashboard) -> None:
    page, watch = open_page("mod")
    page.goto(dash.url("/ui/queue"))
    shot(page, dash, "queue")
    page.click("#start")
    first = int(page.url.rsplit("/", 1)[1])
    shot(page, dash, "review", full=False)
    page.keyboard.press("c")
    assert page.evaluate("document.activeElement.id") == "reason"
    assert page.locator("input[value=confirm]").is_checked()
    page.keyboard.type("glorifies the attack; confirmed")
    with page.expect_navigation(url="**/ui/queue/*?done=*"):
        page.keyboard.press("Enter")
    assert f"Case {first} decided" in page.locator(".flash").inner_text()
    assert query(dash, "select status, verdict, moderator from cases where id = ?", first) == [("closed", "confirm", "user:mod")]
    assert query(dash, "select verdict from training_labels where case_id = ?", first) == [("confirm",)]
    second = int(page.url.split("?")[0].rsplit("/", 1)[1])
    assert second != first
    page.keyboard.press("e")
    page.keyboard.type("unsure whether this is reporting")
    with page.expect_navigation(url="**/ui/queue/*?done=*"):
        page.keyboard.press("Enter")
    assert query(dash, "select reason, moderator from case_escalations where case_id = ?", second) == [
        ("unsure whether this is reporting", "user:mod")]
    third = int(page.url.split("?")[0].rsplit("/", 1)[1])
    assert third not in (first, second)  # the moderator's own escalation is handed on, not shown again
    page.keyboard.press("o")
    page.keyboard.type("news report, not propaganda")
    with page.expect_navigation(url="**/ui/queue/*?done=*"):
        page.keyboard.press("Enter")
    assert query(dash, "select verdict from cases where id = ?", third) == [("overturn",)]
    here = page.url.split("?")[0]
    if page.locator("#next-case").count():
        with page.expect_navigation():
            page.keyboard.press("j")
        assert page.url.split("?")[0] != here
        with page.expect_navigation():
            page.keyboard.press("k")
        assert page.url.split("?")[0] == here
    assert_safe(page, watch)
    assert_same_origin(dash, watch)


def test_dashboard_media_is_blurred_until_clicked(open_page: Any, dash: Dashboard) -> None:
    page, watch = open_page("mod")
    [(case_id,)] = query(dash, "select c.id from cases c join raw_items r on r.id = c.raw_id "
                               "where r.text like '<img src=x%' and c.status = 'open'")
    page.goto(dash.url(f"/ui/queue/{case_id}"))
    button = page.locator("button.media").first
    assert "blurred" in button.get_attribute("class")
    assert "blur" in page.evaluate("getComputedStyle(document.querySelector('button.media img')).filter")
    assert page.evaluate("document.querySelector('button.media img').naturalWidth") > 0
    button.click()
    assert "revealed" in button.get_attribute("class") and button.get_attribute("aria-pressed") == "true"
    page.wait_for_function("() => getComputedStyle(document.querySelector('button.media img')).filter === 'none'")  # after the fade
    page.keyboard.press("m")
    assert "blurred" in button.get_attribute("class")
    [(refused,)] = query(dash, "select c.id from cases c join raw_items r on r.id = c.raw_id where r.text like '</textarea>%'")
    page.goto(dash.url(f"/ui/queue/{refused}"))
    assert page.locator(".media.placeholder").count() == 1 and page.locator("button.media").count() == 0
    assert_safe(page, watch)


def test_dashboard_hostile_content_never_executes(open_page: Any, dash: Dashboard) -> None:
    page, watch = open_page("adm")
    rows = query(dash, "select r.id, c.id from raw_items r left join cases c on c.raw_id = r.id "
                       "where r.source like 'telegram:6660001%' order by r.id")
    assert len(rows) == len(PAYLOADS)
    channel = query(dash, "select channel from raw_items where source like 'telegram:6660001%' limit 1")[0][0]
    from urllib.parse import quote

    pages = ["/ui/", "/ui/queue", "/ui/search?q=caliphate", "/ui/search?q=pwned", "/ui/entities", "/ui/stories",
             "/ui/events", "/ui/network", f"/ui/channels/{quote(channel, safe='')}", "/ui/admin/banks", "/ui/admin/policy"]
    pages += [f"/ui/items/{rid}" for rid, _ in rows] + [f"/ui/queue/{cid}" for _, cid in rows if cid]
    for path in pages:
        response = page.goto(dash.url(path))
        assert response.status == 200, path
        assert_safe(page, watch)
    page.goto(dash.url(f"/ui/items/{rows[0][0]}"))
    assert "<script>window.__pwned=1</script>" in page.locator(".content").inner_text()
    page.goto(dash.url(f"/ui/items/{rows[-1][0]}"))  # 6,000 letters without a break
    assert page.evaluate("document.querySelector('.content').scrollWidth <= document.querySelector('.content').clientWidth + 1")
    page.goto(dash.url(f"/ui/items/{rows[6][0]}"))  # template syntax stays text
    assert "{{ 7*7 }}" in page.locator(".content").inner_text()
    shot(page, dash, "hostile_item")
    assert_same_origin(dash, watch)


def test_dashboard_search_saved_and_made_a_watch_rule(open_page: Any, dash: Dashboard) -> None:
    page, watch = open_page("ana")
    page.goto(dash.url("/ui/search"))
    page.fill("#q", "caliphate")
    page.select_option("select[name=label]", "glorification")
    page.click("form.search button[type=submit]")
    assert page.locator("ol.results > li").count() > 0
    assert page.locator("ol.results mark").count() > 0
    shot(page, dash, "search")
    page.fill("form.save-search input[name=name]", "caliphate praise")
    page.click("form.save-search button[type=submit]")
    assert page.url.endswith("/ui/searches?saved=1")
    page.click("form[action$='/watch'] button")
    assert "Watch rule" in page.locator(".flash").inner_text()
    assert query(dash, "select kind, value from watch_rules where name = 'caliphate praise'") == [("term", "caliphate")]
    page.goto(dash.url("/ui/search?channel=Wilayah+Echo&since=2024-03-24&until=2024-03-24"))
    assert page.locator("ol.results > li").count() > 0
    assert_safe(page, watch)


def test_dashboard_story_opens_with_timeline(open_page: Any, dash: Dashboard) -> None:
    page, watch = open_page("ana")
    page.goto(dash.url("/ui/stories"))
    page.locator("a.story-link").first.click()
    page.wait_for_url("**/ui/stories/*")
    assert page.locator("#timeline svg.chart").count() == 1
    assert page.locator("ol.timeline li").count() >= 1
    shot(page, dash, "story")
    page.goto(dash.url("/ui/channels/Wilayah%20Echo"))
    assert page.locator("svg.network circle").count() >= 2
    shot(page, dash, "channel")
    page.goto(dash.url("/ui/network"))
    shot(page, dash, "network")
    page.goto(dash.url("/ui/events"))
    page.locator("table.list a").first.click()
    assert page.locator("svg.chart").count() >= 1
    assert_safe(page, watch)
    assert_same_origin(dash, watch)


def test_dashboard_rtl_and_cyrillic_render(open_page: Any, dash: Dashboard) -> None:
    page, watch = open_page("ana")
    [(arabic,)] = query(dash, "select raw_id from items where language = 'ar' and normalized like 'يا ذئاب%' limit 1")
    page.goto(dash.url(f"/ui/items/{arabic}"))
    assert page.evaluate("getComputedStyle(document.querySelector('.content')).direction") == "rtl"
    box = page.locator(".content").bounding_box()
    text_right = page.evaluate("(() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('.content'));"
                               " return r.getBoundingClientRect().right; })()")
    assert text_right > box["x"] + box["width"] * 0.6  # right-aligned, as Arabic reads
    assert page.locator("dl.glosses dt").count() >= 1  # glossary notes for the Arabic terms
    shot(page, dash, "item_arabic")
    [(russian, text)] = query(dash, "select raw_id, normalized from items where language = 'ru' limit 1")
    page.goto(dash.url(f"/ui/items/{russian}"))
    assert page.evaluate("getComputedStyle(document.querySelector('.content')).direction") == "ltr"
    assert page.locator(".content").inner_text().strip() == text.strip()
    page.goto(dash.url("/ui/entities"))
    assert page.evaluate("[...document.querySelectorAll('td bdi')].every(b => getComputedStyle(b).unicodeBidi === 'isolate')")
    assert_safe(page, watch)


def test_dashboard_admin_banks_and_policy_dry_run(open_page: Any, dash: Dashboard) -> None:
    page, watch = open_page("adm")
    page.goto(dash.url("/ui/admin/banks"))
    page.fill("input[name=name]", "web-confirmed")
    page.fill("input[name=labels]", "glorification")
    page.click("form[action='/ui/admin/banks'] button[type=submit]")
    page.wait_for_url("**/ui/admin/banks/web-confirmed")
    page.set_input_files("input[type=file]", files=[{"name": "hashes.txt", "mimeType": "text/plain",
                                                      "buffer": b"sha256 " + b"ab" * 32 + b"\nmd5 " + b"cd" * 16 + b"\n"}])
    page.click("form[action$='/import'] button[type=submit]")
    assert "2 added" in page.locator(".report").inner_text()
    assert page.locator("table.entries tbody tr").count() == 2
    page.goto(dash.url("/ui/admin/banks"))
    page.click("form[action='/ui/admin/banks/web-confirmed/state'] button")
    assert query(dash, "select enabled from banks where name = 'web-confirmed'") == [(0,)]
    shot(page, dash, "banks")
    page.goto(dash.url("/ui/admin/policy"))
    default = (Path(__file__).resolve().parents[2] / "src/vigil/policy/policies/default.yaml").read_text()
    page.fill("textarea[name=candidate]", default.replace("name: default", "name: stricter").replace("block: 0.9}", "block: 0.5}"))
    page.click("#dry-run button[type=submit]")
    report = page.locator("#dry-run-report").inner_text()
    assert "items change action" in report and "stricter" in report
    shot(page, dash, "policy")
    assert_safe(page, watch)


def test_dashboard_posts_without_csrf_token_or_from_elsewhere_are_refused(open_page: Any, dash: Dashboard) -> None:
    page, _ = open_page("mod")
    [(case_id,)] = query(dash, "select id from cases where status = 'open' order by id limit 1")
    no_token = page.request.post(dash.url(f"/ui/queue/{case_id}"), form={"verdict": "confirm", "reason": "x"})
    assert no_token.status == 403
    page.goto(dash.url(f"/ui/queue/{case_id}"))
    token = page.locator("#decide input[name=csrf_token]").get_attribute("value")
    forged = page.request.post(dash.url(f"/ui/queue/{case_id}"), form={"csrf_token": token, "verdict": "confirm", "reason": "x"},
                               headers={"Origin": "http://attacker.invalid"})
    assert forged.status == 403
    assert query(dash, "select status from cases where id = ?", case_id) == [("open",)]


def test_dashboard_sign_out_ends_the_session_on_the_server(open_page: Any, dash: Dashboard) -> None:
    page, _ = open_page("ana")
    cookies = page.context.cookies()
    page.click("form.logout button")
    page.wait_for_url("**/ui/login")
    page.context.add_cookies(cookies)  # replaying the old cookie does not bring the session back
    page.goto(dash.url("/ui/"))
    assert "/ui/login" in page.url
