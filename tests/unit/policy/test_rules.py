from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.connectors import raw
from vigil.core.errors import ConfigError
from vigil.core.labels import Label
from vigil.core.records import Action, Assessment, Context, Item, LabelScore, Match
from vigil.policy.rules import load_policy


def assessment(scores: dict[str, float], reporting: float = 0.0, matches: tuple[Match, ...] = ()) -> Assessment:
    r = raw("1", "x")
    item = Item(raw=r, text="x", normalized="x", folded="x")
    labels = tuple(LabelScore(Label(k), v, "t.v1") for k, v in scores.items())
    ctx = Context(reporting=reporting) if reporting else None
    return Assessment(item=item, labels=labels, context=ctx, matches=matches)


@pytest.fixture(scope="module")
def policy():
    return load_policy("default")


def test_policy_thresholds_pick_most_restrictive(policy) -> None:
    assert policy.decide(assessment({"incitement": 0.1})).action is Action.ALLOW
    assert policy.decide(assessment({"incitement": 0.45})).action is Action.LABEL
    assert policy.decide(assessment({"incitement": 0.6})).action is Action.REVIEW
    d = policy.decide(assessment({"incitement": 0.92, "glorification": 0.6}))
    assert d.action is Action.BLOCK
    assert "incitement 0.92 >= block threshold 0.80" in d.reasons
    assert d.policy == "default.v1"


def test_policy_reporting_context_caps_action(policy) -> None:
    d = policy.decide(assessment({"incitement": 0.95}, reporting=0.9))
    assert d.action is Action.LABEL
    assert any("reporting context 0.90" in r for r in d.reasons)
    # weak reporting framing does not cap
    assert policy.decide(assessment({"incitement": 0.95}, reporting=0.4)).action is Action.BLOCK


def test_policy_threat_is_never_capped(policy) -> None:
    assert policy.decide(assessment({"threat": 0.9}, reporting=0.95)).action is Action.BLOCK


def test_policy_bank_match_blocks_and_negative_cancels(policy) -> None:
    pos = Match("isis-audio", "text_near", "abc", 0.1)
    neg = Match("news-photos", "pdq", "def", 3, negative=True)
    assert policy.decide(assessment({}, matches=(pos,))).action is Action.BLOCK
    assert policy.decide(assessment({}, matches=(pos,), reporting=0.95)).action is Action.BLOCK
    d = policy.decide(assessment({}, matches=(pos, neg)))
    assert d.action is Action.ALLOW and "cancelled" in d.reasons[0]


def test_policy_surfaces_override(policy) -> None:
    a = assessment({"glorification": 0.92})
    assert policy.decide(a, "public_channel").action is Action.BLOCK
    assert policy.decide(a, "private_chat").action is Action.REVIEW
    assert policy.decide(a, "no_such_surface").action is Action.BLOCK


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "must be a mapping"),
        ("name: x\nversion: 1\n", "lacks 'defaults'"),
        ("name: x\nversion: 1\ndefaults:\n  thresholds:\n    hate: {block: 0.5}\n", "unknown label 'hate'"),
        ("name: x\nversion: 1\ndefaults:\n  thresholds:\n    threat: {block: 1.5}\n", "outside [0, 1]"),
        ("name: x\nversion: 1\ndefaults:\n  thresholds:\n    threat: {ban: 0.5}\n", "unknown action 'ban'"),
        ("name: x\nversion: 1\ndefaults: {bank_match: nuke}\n", "unknown action 'nuke'"),
        ("name: [unclosed\n", "not valid YAML"),
    ],
)
def test_policy_rejects_bad_files_with_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_policy(str(path))


def test_policy_unknown_builtin_and_missing_file() -> None:
    with pytest.raises(ConfigError, match="no built-in policy"):
        load_policy("nope")
    with pytest.raises(ConfigError, match="does not exist"):
        load_policy("/nonexistent/p.yaml")
