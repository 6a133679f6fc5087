"""Webhook delivery against a real HTTP server on loopback: signing, retries with backoff, no
redirects to other hosts, timeouts, and the URL never shown."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from tests.helpers.webhook import Script, webhook_server
from vigil.core.errors import ConfigError, MissingCredentials
from vigil.core.settings import Settings
from vigil.intel.webhook import WebhookNotifier, notifier_from_settings


def _notifier(url: str, **kw: object) -> tuple[WebhookNotifier, list[float]]:
    waits: list[float] = []
    kw.setdefault("timeout", 2.0)
    return WebhookNotifier(url, sleep=waits.append, **kw), waits  # type: ignore[arg-type]


def test_webhook_delivers_signed_json() -> None:
    script = Script()
    with webhook_server(script) as base:
        notifier, _ = _notifier(base + "/hook/s3cr3t-token", secret="k3y")
        result = notifier.send({"alert": {"id": 1, "summary": "lone wolves"}})
    assert result.ok and result.attempts == 1 and result.status == 200
    (req,) = script.requests
    assert req.path == "/hook/s3cr3t-token" and json.loads(req.body) == {"alert": {"id": 1, "summary": "lone wolves"}}
    stamp = req.headers["x-vigil-timestamp"]
    expected = hmac.new(b"k3y", stamp.encode() + b"." + req.body, hashlib.sha256).hexdigest()
    assert req.headers["x-vigil-signature"] == f"sha256={expected}"


def test_webhook_retries_with_backoff_then_succeeds() -> None:
    script = Script([(503, {}, 0.0), (429, {"Retry-After": "2"}, 0.0), (200, {}, 0.0)])
    with webhook_server(script) as base:
        notifier, waits = _notifier(base + "/h", retries=3, backoff=0.5)
        result = notifier.send({"alert": {}})
    assert result.ok and result.attempts == 3 and len(script.requests) == 3
    assert waits == [0.5, 2.0]  # exponential backoff, Retry-After honoured


def test_webhook_gives_up_after_retries_and_hides_url() -> None:
    script = Script([(500, {}, 0.0)])
    with webhook_server(script) as base:
        notifier, waits = _notifier(base + "/hook/s3cr3t-token", retries=2, backoff=0.1)
        result = notifier.send({"alert": {}})
    assert not result.ok and result.attempts == 3 and len(script.requests) == 3 and waits == [0.1, 0.2]
    assert "s3cr3t" not in (result.error or "") and "s3cr3t" not in repr(notifier)
    assert "500" in (result.error or "")


def test_webhook_client_error_is_not_retried() -> None:
    script = Script([(403, {}, 0.0)])
    with webhook_server(script) as base:
        result = _notifier(base + "/h", retries=3)[0].send({})
    assert not result.ok and result.attempts == 1 and len(script.requests) == 1


def test_webhook_refuses_redirect_to_another_host() -> None:
    script = Script([(307, {"Location": "http://127.0.0.2:9/steal"}, 0.0)])
    with webhook_server(script) as base:
        result = _notifier(base + "/h", retries=3)[0].send({"alert": {}})
    assert not result.ok and "another host" in (result.error or "") and len(script.requests) == 1


def test_webhook_follows_same_host_redirect() -> None:
    script = Script([(308, {"Location": "/moved"}, 0.0), (204, {}, 0.0)])
    with webhook_server(script) as base:
        result = _notifier(base + "/h")[0].send({"alert": {}})
    assert result.ok and [r.path for r in script.requests] == ["/h", "/moved"]


def test_webhook_times_out_and_retries() -> None:
    script = Script([(200, {}, 1.5), (200, {}, 0.0)])
    with webhook_server(script) as base:
        notifier, waits = _notifier(base + "/h", timeout=0.3, retries=1, backoff=0.01)
        result = notifier.send({})
    assert result.ok and result.attempts == 2 and waits == [0.01]


def test_webhook_settings_name_env_variables() -> None:
    settings = Settings(alert_webhook_env="HOOK_URL", alert_webhook_secret_env="HOOK_KEY")
    with pytest.raises(MissingCredentials) as err:
        notifier_from_settings(settings, {"HOOK_KEY": "x"})
    assert "HOOK_URL" in str(err.value)
    assert notifier_from_settings(Settings(), {}) is None
    n = notifier_from_settings(settings, {"HOOK_URL": "https://hooks.example/abc/TOKEN", "HOOK_KEY": "x"})
    assert n is not None and "TOKEN" not in repr(n) and n.target == "https://hooks.example/…"
    with pytest.raises(ConfigError) as bad:
        WebhookNotifier("file:///etc/passwd")
    assert "passwd" not in str(bad.value)
