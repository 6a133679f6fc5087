"""Sending alerts to a webhook: JSON over HTTP POST, signed, with retries and backoff.

* The URL and the signing secret come from environment variables named in the settings
  (``alert_webhook_env``, ``alert_webhook_secret_env``); neither is ever logged or put in an error
  message (a URL may carry a token in its path) — errors name only the scheme and host.
* Redirects are followed only to the same scheme, host and port (at most 3); a redirect elsewhere is
  refused, so a compromised receiver cannot bounce alerts, and their signature, to another host.
* Each attempt has a timeout; connection errors, timeouts, 429 and 5xx are retried with exponential
  backoff (``Retry-After`` honoured up to ``max_backoff``); other 4xx fail at once.
* With a secret, the body is signed: ``X-Vigil-Signature: sha256=<hex HMAC-SHA256 of the body>``,
  and ``X-Vigil-Timestamp`` is part of the signed message to stop replays.

Where it sits: `alerts.AlertHook.committed` and `vigil alerts send` deliver stored alerts with it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from vigil.core.errors import ConfigError, MissingCredentials

MAX_REDIRECTS = 3
RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Delivery:
    ok: bool
    attempts: int
    status: int | None = None
    error: str | None = None


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def redacted(url: str) -> str:
    """Scheme and host only: what error messages may show of a webhook URL."""
    scheme, host, port = _origin(url)
    return f"{scheme}://{host}{f':{port}' if port else ''}/…"


class WebhookNotifier:
    def __init__(self, url: str, secret: str | None = None, *, timeout: float = 5.0, retries: int = 3,
                 backoff: float = 0.5, max_backoff: float = 30.0, sleep: Callable[[float], None] = time.sleep) -> None:
        scheme, host, _ = _origin(url)
        if scheme not in ("http", "https") or not host:
            raise ConfigError(f"the alert webhook URL must be http(s) with a host, got {redacted(url)}",
                              hint="fix the URL in the environment variable named by alert_webhook_env")
        self._url = url
        self._secret = secret.encode() if secret else None
        self.timeout, self.retries, self.backoff, self.max_backoff = timeout, max(0, retries), backoff, max_backoff
        self._sleep = sleep
        self.target = redacted(url)

    def __repr__(self) -> str:  # never show the URL
        return f"WebhookNotifier({self.target})"

    def headers(self, body: bytes) -> dict[str, str]:
        out = {"Content-Type": "application/json", "User-Agent": "vigil-alerts/1"}
        if self._secret:
            stamp = str(int(time.time()))
            mac = hmac.new(self._secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            out.update({"X-Vigil-Timestamp": stamp, "X-Vigil-Signature": f"sha256={mac}"})
        return out

    def send(self, payload: Mapping[str, Any]) -> Delivery:
        body = json.dumps(payload, ensure_ascii=False, default=str).encode()
        error, status = None, None
        with httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=False) as client:
            for attempt in range(1, self.retries + 2):
                wait = self.backoff * (2 ** (attempt - 1))
                try:
                    response = self._post(client, body)
                    status = response.status_code
                    if 200 <= status < 300:
                        return Delivery(True, attempt, status)
                    error = f"{self.target} answered HTTP {status}"
                    if status not in RETRY_STATUS:
                        return Delivery(False, attempt, status, error)
                    wait = max(wait, _retry_after(response))
                except _Refused as exc:
                    return Delivery(False, attempt, None, str(exc))
                except httpx.HTTPError as exc:
                    error = f"{self.target} failed: {type(exc).__name__}"
                if attempt <= self.retries:
                    self._sleep(min(wait, self.max_backoff))
        return Delivery(False, self.retries + 1, status, error)

    def _post(self, client: httpx.Client, body: bytes) -> httpx.Response:
        url = self._url
        for _ in range(MAX_REDIRECTS + 1):
            response = client.post(url, content=body, headers=self.headers(body))
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            location = response.headers.get("location", "")
            nxt = urljoin(url, location)
            if _origin(nxt) != _origin(self._url):
                raise _Refused(f"{self.target} redirected to another host ({redacted(nxt)}); refused")
            url = nxt
        raise _Refused(f"{self.target} redirected more than {MAX_REDIRECTS} times; refused")


class _Refused(Exception):
    pass


def _retry_after(response: httpx.Response) -> float:
    try:
        return float(response.headers.get("retry-after", "0"))
    except ValueError:
        return 0.0


def notifier_from_settings(settings: Any, env: Mapping[str, str] | None) -> WebhookNotifier | None:
    """The configured webhook, or None when ``alert_webhook_env`` is empty.

    Raises:
        MissingCredentials: the settings name a variable that is not set.
    """
    name = settings.alert_webhook_env
    if not name:
        return None
    env = env or {}
    url = env.get(name, "")
    if not url:
        raise MissingCredentials("the alert webhook", name)
    secret = env.get(settings.alert_webhook_secret_env, "") if settings.alert_webhook_secret_env else ""
    if settings.alert_webhook_secret_env and not secret:
        raise MissingCredentials("signing alert webhooks", settings.alert_webhook_secret_env)
    return WebhookNotifier(url, secret or None, timeout=settings.alert_webhook_timeout,
                           retries=settings.alert_webhook_retries)
