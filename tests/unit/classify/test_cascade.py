"""The cascade with the committed default model: labels, tiers, evidence, scripts, the seed calls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.seed_scenario import CALLS
from vigil.classify.cascade import CascadeClassifier
from vigil.classify.textprep import item_for_text
from vigil.core.errors import ConfigError
from vigil.core.labels import ALL_LABELS, Label
from vigil.core.settings import Settings
from vigil.training.figures import SEED_CALLS, seed_sentence

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"

# Short paraphrases of the calls quoted in the seed reports, posted bare (no reporting frame).
BARE_CALLS = {
    "al-Ansari (000)": ("We call on the lone wolves to target the Jews and the Crusaders everywhere, above all in America and Europe.", Label.INCITEMENT),
    "al-Muhajir (002)": ("Supporters of the caliphate who live there: take vengeance for your religion and for the two mosques.", Label.INCITEMENT),
    "Baghouz militant (003)": ("Brothers in Europe and in the whole world, rise against the Crusaders and take revenge for your religion.", Label.INCITEMENT),
    "pro-ISIS channel (004)": ("The Crocus attack in Moscow was a smart strike by the lions of the caliphate, praise be to Allah.", Label.GLORIFICATION),
}

# Praise of an attack and its attackers, posted bare (our paraphrases of the seed 004 post and of the
# formulas such channels use); each must score glorification >= 0.9.
BARE_PRAISE = (
    "Russia's Crocus attack, a smart strike",
    "The attack was a smart strike that will plunge the world into chaos, Allah willing.",
    "Brave Muslim men who never stopped supporting the religion. Their swords have reached all its enemies.",
    "The Crocus attack was a smart strike. There is great goodness to come!",
    "A blessed raid on the crusaders in Moscow",
    "The lions of the caliphate struck Moscow",
    "May Allah accept them, the heroes of Crocus",
    "تقبلهم الله أسود الخلافة",
    "A blessed raid",
    "Lions of the caliphate",
    "May Allah accept them",
    "Да примет их Аллах, львы халифата",
)


@pytest.mark.parametrize("text", [*CALLS, *(c.upper() + " 🔥 #lonewolves" for c in CALLS), *(c + " ⚔️⚔️ (repost)" for c in CALLS)])
def test_cascade_seed_scenario_reposts_score_as_incitement(cascade: CascadeClassifier, text: str) -> None:
    """The re-posts of al-Ansari's call in the issue-5 scenario: above the default block threshold."""
    assert _scores(cascade, text)[Label.INCITEMENT] >= 0.9, text


@pytest.mark.parametrize("text", BARE_PRAISE)
def test_cascade_bare_praise_of_an_attack_scores_glorification(cascade: CascadeClassifier, text: str) -> None:
    assert _scores(cascade, text)[Label.GLORIFICATION] >= 0.9, text


@pytest.mark.parametrize(
    "text",
    [
        "Analysts said the group praised the attack as a smart strike.",
        "A smart strike by the air force hit the depot, the army said.",
        "May Allah accept your fasts and your prayers this Ramadan.",
        "Taqabbal Allahu minna wa minkum, Eid Mubarak to all the brothers and sisters!",
        "The attack on the concert hall left 143 dead, officials said.",
    ],
)
def test_cascade_reported_praise_and_greetings_stay_low(cascade: CascadeClassifier, text: str) -> None:
    assert _scores(cascade, text)[Label.GLORIFICATION] < 0.5, text


@pytest.fixture(scope="module")
def cascade() -> CascadeClassifier:
    return CascadeClassifier(Settings(tier2="auto"))


def _scores(clf: CascadeClassifier, text: str) -> dict[Label, float]:
    return {ls.label: ls.score for ls in clf.classify([item_for_text(text)])[0]}


def test_cascade_scores_every_label_in_range(cascade: CascadeClassifier) -> None:
    out = cascade.classify([item_for_text("Good morning everyone, the weather is lovely today."), item_for_text("")])
    assert len(out) == 2
    for scores in out:
        assert [ls.label for ls in scores] == list(ALL_LABELS)
        assert all(0.0 <= ls.score <= 1.0 for ls in scores)
        assert all(ls.classifier.startswith("cascade.v1+model.") for ls in scores)


def test_cascade_everyday_text_is_not_harmful(cascade: CascadeClassifier) -> None:
    scores = _scores(cascade, "Can't wait for the concert tonight, the new album is amazing!")
    assert max(v for label, v in scores.items() if label is not Label.REPORTING) < 0.2


@pytest.mark.parametrize("who", sorted(BARE_CALLS))
def test_cascade_bare_seed_calls_score_high(cascade: CascadeClassifier, who: str) -> None:
    text, label = BARE_CALLS[who]
    assert _scores(cascade, text)[label] >= 0.9, who


def test_cascade_news_sentence_stays_low(cascade: CascadeClassifier) -> None:
    text = "Police said two people were injured in the explosion near the marathon finish line on Monday, officials told reporters."
    scores = _scores(cascade, text)
    assert max(v for label, v in scores.items() if label is not Label.REPORTING) < 0.5


def test_cascade_reports_the_tier_that_decided() -> None:
    always = CascadeClassifier(Settings(tier2="always"))
    never = CascadeClassifier(Settings(tier2="never"))
    item = item_for_text("Brothers, the caliphate will remain and expand, join the mujahideen.")
    assert {ls.tier for ls in always.classify([item])[0] if ls.label in (Label.GLORIFICATION, Label.INCITEMENT)} == {2}
    assert {ls.tier for ls in never.classify([item])[0]} == {1}


def test_cascade_tier2_band_from_settings() -> None:
    clf = CascadeClassifier(Settings(tier2="auto", tier2_low=0.0, tier2_high=1.01))
    scores = clf.score([item_for_text("hello there"), item_for_text("join the caliphate")])
    assert scores.tier.tolist() == [2, 2]
    clf = CascadeClassifier(Settings(tier2="auto", tier2_low=2.0, tier2_high=3.0))
    assert clf.score([item_for_text("join the caliphate")]).tier.tolist() == [1]


def test_cascade_evidence_spans_point_into_normalized_text() -> None:
    clf = CascadeClassifier(Settings(tier2="always"))
    item = item_for_text("Brothers, rise against the Crusaders and take revenge for your religion!")
    inc = next(ls for ls in clf.classify([item])[0] if ls.label is Label.INCITEMENT)
    features = [e for e in inc.evidence if e.kind == "feature" and e.start is not None]
    assert features, inc.evidence
    for e in features:
        assert item.normalized[e.start : e.end] == e.text
    neighbors = [e for e in inc.evidence if e.kind == "neighbor"]
    assert neighbors and all(re.fullmatch(r"[a-z0-9_]+:[A-Za-z0-9_-]+", e.text) for e in neighbors)


def test_cascade_handles_arabic_russian_and_other_scripts(cascade: CascadeClassifier) -> None:
    texts = ["الدولة الإسلامية باقية وتتمدد", "Братья, вставайте на джихад", "जिहाद के बारे में खबर", "🙂🙂🙂", "x" * 50_000]
    out = cascade.score([item_for_text(t) for t in texts])
    assert out.labels.shape == (5, len(ALL_LABELS))
    # non-Latin scripts produce n-gram features, so they are scored, not dropped
    for row in range(3):
        assert out.features.indptr[row + 1] - out.features.indptr[row] > 10


def test_cascade_missing_model_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no model artifact"):
        CascadeClassifier(Settings(model=str(tmp_path)))


def test_cascade_bad_tier2_mode_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="tier2"):
        CascadeClassifier(Settings(tier2="sometimes"))


_SEED_CASES = [pytest.param(case, id=case[0]) for case in SEED_CALLS]


@pytest.mark.parametrize("case", _SEED_CASES)
def test_cascade_exact_seed_sentences_posted_bare(cascade: CascadeClassifier, case: tuple) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS}")
    prefix, parts, label = case
    text = next(p for p in SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    sentence = seed_sentence(text, parts)
    assert _scores(cascade, sentence)[Label(label)] >= 0.9, (prefix, sentence)
