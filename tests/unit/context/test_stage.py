"""The context stage end to end: reporting scores, source types, evasions, quote scoring, bounds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.context import KeywordScorer, article, make_item
from vigil.context.stage import ContextStage
from vigil.core.errors import PluginError
from vigil.core.labels import Label
from vigil.core.records import ContentKind

STAGE = ContextStage()

NEWS = (
    'Militant spokesman Abu Omar al-Rahim called on supporters to "attack the crusaders in their homes", '
    "according to a recording released on Telegram. The group's claim could not be independently verified, "
    "Reuters reported. Security officials said they were studying the message."
)


def _score(text: str, **kwargs: object) -> float:
    return STAGE(make_item(text, **kwargs)).reporting  # type: ignore[arg-type]


def test_stage_news_report_quoting_a_call_is_reporting() -> None:
    context = STAGE(make_item(NEWS))
    assert context.reporting >= 0.8
    assert context.source_type == "news"
    quote = next(q for q in context.quotes if "crusaders" in q.text)
    assert quote.speaker == "Abu Omar al-Rahim"


def test_stage_bare_call_is_not_reporting() -> None:
    assert _score("Attack the crusaders in their homes, brothers, and spare none.") < 0.1


@pytest.mark.parametrize(
    "text",
    [
        '"Attack the crusaders in their homes," they said.',  # hollow attribution
        "According to the brothers, the kuffar must be slaughtered tonight.",  # hollow "according to"
        "According to Reuters, brothers, rise up and slaughter them tonight!",  # real outlet, call in voice
        '"Lone wolves, strike them where they live," he said. May Allah accept the lions of the caliphate.',
        "BREAKING via @Reuters: Kill them all tonight, brothers!",  # news dress on a bare call
        "He called on us to kill the kuffar everywhere, according to analysts.",  # no named speaker
        "Sheikh al-Adnani called on the muwahhidin to strike the kuffar, according to the brothers.",
        "Al-Adnani called on the brothers to kill the kuffar everywhere, according to Amaq.",  # official
    ],
)
def test_stage_evasions_stay_low(text: str) -> None:
    assert _score(text) < 0.35, text


@pytest.mark.parametrize(
    "text",
    [
        # the issue-5 scenario's news quotes: a named speaker's call plus an agency or analyst credit
        'The spokesman urged "lone wolves to target Jews and Crusaders everywhere, especially in the United '
        'States and Europe", the EFE agency reported on Thursday.',
        "In the 41-minute recording, al-Ansari called on lone wolves to strike the Crusaders in Europe and "
        "America, according to analysts who reviewed it.",
    ],
)
def test_stage_named_speaker_with_a_credit_is_reporting(text: str) -> None:
    assert _score(text) >= 0.7


def test_stage_speech_verb_before_a_quote_names_its_speaker() -> None:
    context = STAGE(make_item('The spokesman urged "lone wolves to target them everywhere", the EFE agency reported.'))
    assert [q.speaker for q in context.quotes] == ["The spokesman"]


def test_stage_short_news_tweet_is_reporting() -> None:
    assert (
        _score("BREAKING: Police say suspect in custody after shooting at the airport http://t.co/x") >= 0.7
    )


def test_stage_counter_speech_scores_as_reporting() -> None:
    text = "Those who bombed the marathon are cowards, not soldiers of anything. We condemn this barbaric attack."
    assert _score(text) >= 0.5


def test_stage_official_release_is_not_reporting() -> None:
    assert _score("#AmaqAgency #IslamicState fighters destroy three army vehicles west of the city") < 0.1


def test_stage_group_voice_war_news_is_not_reporting() -> None:
    assert _score("The lions of the khilafah stormed the apostate base, may Allah accept our shuhada") < 0.1


def test_stage_source_types() -> None:
    assert STAGE(article("A plain paragraph about the weather and the harvest.")).source_type == "news"
    assert STAGE(make_item("hello all", ContentKind.MESSAGE, "telegram.v1")).source_type == "channel"
    assert STAGE(make_item("hello all")).source_type == "social"
    lab = "Analysts at the Cyber & Jihad Lab monitors, tracks, translates the channels."
    assert STAGE(make_item(lab)).source_type == "monitoring"


def test_stage_article_prior_raises_the_same_text() -> None:
    text = "Officials say the suspect was arrested after the explosion near the station."
    assert (
        STAGE(article(text)).reporting > STAGE(make_item(text, ContentKind.MESSAGE, "telegram.v1")).reporting
    )


def test_stage_page_furniture_is_ignored() -> None:
    body = "A report on the attack, the police said in a statement. " * 10
    with_widgets = body + "\n\nLeave a Reply\nSubscribe\nNotify of\nKill them all, brothers!\n0 Comments"
    assert abs(STAGE(article(with_widgets)).reporting - STAGE(article(body)).reporting) < 1e-6


def test_stage_scorer_scores_quotes_with_provenance() -> None:
    scorer = KeywordScorer()
    context = ContextStage(scorer=scorer)(make_item(NEWS))
    quote = next(q for q in context.quotes if "crusaders" in q.text)
    scores = {ls.label: ls for ls in quote.labels}
    assert scores[Label.INCITEMENT].score == pytest.approx(0.95)
    assert scores[Label.INCITEMENT].classifier == "keyword_test.v1"
    assert scores[Label.INCITEMENT].evidence[0].start == quote.start
    assert len(scorer.calls) == 1


def test_stage_scorer_is_called_once_per_batch_and_skips_tiny_quotes() -> None:
    scorer = KeywordScorer()
    items = [make_item(NEWS), make_item('The so-called "caliphate" fell.'), make_item("no quotes here")]
    contexts = ContextStage(scorer=scorer).assess_many(items)
    assert len(scorer.calls) == 1
    assert all(text != "caliphate" for text in scorer.calls[0])
    assert contexts[1].quotes[0].labels == ()


def test_stage_scorer_that_breaks_its_contract_raises_plugin_error() -> None:
    with pytest.raises(PluginError, match="returned 0 results"):
        ContextStage(scorer=lambda texts: [])(make_item(NEWS))
    with pytest.raises(PluginError, match="score"):
        ContextStage(scorer=lambda texts: [{"incitement": 1.5} for _ in texts])(make_item(NEWS))


def test_stage_evidence_points_at_the_item_text() -> None:
    item = make_item(NEWS)
    for evidence in STAGE(item).cues:
        if evidence.start is not None:
            assert evidence.text == item.normalized[evidence.start : evidence.end][:200]


def test_stage_title_counts_as_a_headline() -> None:
    context = STAGE(article("Officials said the suspect was arrested.", title="Arrest after attack"))
    assert any(e.detail == "headline" and e.start is None for e in context.cues)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_stage_never_raises_and_keeps_offsets_valid(text: str) -> None:
    item = make_item(text)
    context = ContextStage(scorer=KeywordScorer())(item)
    assert 0.0 <= context.reporting <= 1.0
    for quote in context.quotes:
        assert item.normalized[quote.start : quote.end] == quote.text
    for evidence in context.cues:
        if evidence.start is not None:
            assert 0 <= evidence.start <= evidence.end <= len(item.normalized)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(['"', "“", "”", "'", "`", "«", "»", "„", ":", "\n\n", "said", "he", " ", "a"]),
        max_size=80,
    )
)
def test_stage_quote_marks_in_any_order_never_break_it(parts: list[str]) -> None:
    context = STAGE(make_item("".join(parts)))
    assert 0.0 <= context.reporting <= 1.0


def test_stage_classifier_scorer_scores_quotes_as_bare_messages() -> None:
    from vigil.context.stage import ClassifierScorer
    from vigil.core.records import LabelScore
    from vigil.normalize.base import start_item

    seen: list[str] = []

    def classify(items):  # a classifier's batch method: one tuple of LabelScore per item
        seen.extend(item.raw.kind.value for item in items)
        return [
            (LabelScore(Label.INCITEMENT, 0.97 if "attack" in item.normalized else 0.01, "toy.v1"),)
            for item in items
        ]

    scorer = ClassifierScorer(classify, lambda raw: start_item(raw, 10_000), "toy.v1")
    context = ContextStage(scorer=scorer)(make_item(NEWS))
    quote = next(q for q in context.quotes if "crusaders" in q.text)
    assert quote.labels[0].label is Label.INCITEMENT and quote.labels[0].score == pytest.approx(0.97)
    assert quote.labels[0].classifier == "toy.v1"
    assert set(seen) == {"message"}
