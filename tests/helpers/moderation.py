"""Helpers for the moderation service and API tests: a phrase classifier standing in for the learned
cascade (which is not on main yet), services wired to it, and short texts written for the tests.

The texts are our own short paraphrases; none reproduces real propaganda."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from vigil.assess import Assessor
from vigil.classify.base import Classifier
from vigil.core.labels import Label
from vigil.core.records import Context, Evidence, Item, LabelScore
from vigil.core.registry import Manifest
from vigil.core.settings import Settings
from vigil.moderation.service import ModerationRequest, ModerationService
from vigil.plugins import build_registry
from vigil.store.sql import SqlStore

CALL = "lone wolves, rise and strike the crusaders in europe and america"
UNSURE = "those people will get what is coming to them soon"
NEWS = 'The spokesman called on "lone wolves" to strike the crusaders in Europe, the news agency reported, citing the recording.'
BENIGN = "see you at the football match tomorrow evening"


class PhraseClassifier(Classifier):
    """Incitement 0.95 for a call phrase, 0.6 for an ambiguous threat, reporting 0.9 for news framing."""

    name = "test_phrase"
    labels = (Label.INCITEMENT, Label.REPORTING)

    def classify(self, items: Sequence[Item]) -> list[tuple[LabelScore, ...]]:
        out = []
        for item in items:
            text = item.folded.lower()
            scores = []
            if "lone wolves" in text or "strike the crusaders" in text:
                at = text.find("lone wolves")
                scores.append(LabelScore(Label.INCITEMENT, 0.95, self.id,
                                         evidence=(Evidence("term", "lone wolves", at, at + 11, 0.9),) if at >= 0 else ()))
            elif "coming to them" in text:
                scores.append(LabelScore(Label.INCITEMENT, 0.6, self.id))
            else:
                scores.append(LabelScore(Label.INCITEMENT, 0.02, self.id))
            if "reported" in text or "according to" in text:
                scores.append(LabelScore(Label.REPORTING, 0.9, self.id))
            out.append(tuple(scores))
        return out


class PhraseContext:
    """Stands in for the context stage in unit tests so they do not depend on its tuning: reporting
    0.9 when the text says "reported" or "according to". The real stage runs in the e2e tests."""

    id = "test_phrase_context.v1"

    def assess_many(self, items: Sequence[Item]) -> list[Context]:
        return [Context(reporting=0.9 if ("reported" in i.folded.lower() or "according to" in i.folded.lower()) else 0.0,
                        source_type="news", stage=self.id) for i in items]


def phrase_assessor(settings: Settings) -> Assessor:
    """The real Assessor (normalizers, policy) with the phrase classifier and context above, and no
    extraction: deterministic labels for the service tests."""
    registry = build_registry()
    registry.add(Manifest(classifiers=(PhraseClassifier,)), "tests.helpers.moderation")
    assessor = Assessor(settings.replace(extract="never"), registry=registry)
    assessor.classifiers = [PhraseClassifier(settings)]
    assessor.context = PhraseContext()  # type: ignore[assignment]
    assessor.versions = {**assessor.versions, "classify": "test_phrase.v1", "context": PhraseContext.id, "extract": ""}
    return assessor


class Clock:
    """A settable clock for decay and expiry tests."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2024, 3, 29, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def service(store: SqlStore, clock: Clock | None = None) -> ModerationService:
    return ModerationService(store.settings, store, phrase_assessor(store.settings), clock=clock)


def send(svc: ModerationService, account: str, text: str, surface: str = "private_chat", chat: str = "c1"):
    return svc.moderate(ModerationRequest(account_id=account, chat_id=chat, surface=surface, text=text))


class Api:
    """A TestClient over a real app and store, with one key per role."""

    def __init__(self, store: SqlStore, clock: Clock | None = None, **settings_changes: object) -> None:
        from fastapi.testclient import TestClient

        from vigil.api.app import create_app
        from vigil.moderation.keys import ROLES, create_key

        settings = store.settings.replace(**settings_changes) if settings_changes else store.settings
        self.service = ModerationService(settings, store, phrase_assessor(settings), clock=clock)
        self.app = create_app(settings, service=self.service)
        self.client = TestClient(self.app, raise_server_exceptions=False)
        self.keys = {role: create_key(store, role, f"test {role}")[0] for role in ROLES}

    def headers(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"} if role else {}

    def post(self, path: str, body: object, role: str | None = "platform", **kw: object):
        return self.client.post(path, json=body, headers=self.headers(role), **kw)

    def get(self, path: str, role: str | None = "moderator", **kw: object):
        return self.client.get(path, headers=self.headers(role), **kw)

    def moderate(self, account: str, text: str, surface: str = "private_chat", **extra: object):
        return self.post("/v1/moderate", {"account_id": account, "chat_id": "chat-1", "surface": surface,
                                          "text": text, **extra})
