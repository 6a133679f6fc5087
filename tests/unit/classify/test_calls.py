"""The call grammar (directive + violent act + human target) and what it does to the lexicon's
incitement score. Texts are short paraphrases written for these tests, not real propaganda."""

from __future__ import annotations

from functools import lru_cache

import pytest

from tests.helpers.normalize import normalize
from vigil.classify.call_grammar import CallGrammar, load_grammar
from vigil.classify.calls import REPORTED_CAP, CallHit, find_calls
from vigil.classify.lexicon import LexiconClassifier
from vigil.core.errors import ConfigError
from vigil.core.labels import Label
from vigil.core.settings import Settings


@lru_cache(maxsize=1)
def grammar() -> CallGrammar:
    return load_grammar()


@lru_cache(maxsize=1)
def lexicon() -> LexiconClassifier:
    return LexiconClassifier(Settings())


def calls(text: str) -> list[CallHit]:
    return find_calls(grammar(), normalize(text).folded)


def strength(text: str) -> float:
    return max((c.strength for c in calls(text) if not c.negated), default=0.0)


def incitement(text: str) -> float:
    return next((ls.score for ls in lexicon().classify_one(normalize(text)) if ls.label is Label.INCITEMENT), 0.0)


# The seed scenario's re-posts (tests/helpers/seed_scenario.py) and other calls with a named group.
FULL_CALLS = [
    "Lone wolves, target the Jews and the Crusaders wherever you find them, above all in America and Europe",
    "Brothers acting alone: strike the Jews and Crusaders everywhere, especially in the US and in Europe",
    "Every lone wolf must hit the Crusaders and the Jews in Europe and the United States",
    "O lone wolves, rise and target the Crusaders and Jews in Europe and America, do not wait",
    "lone wolves target jews and crusaders everywhere, especially the united states and europe",
    "LONE WOLVES, TARGET THE JEWS AND THE CRUSADERS WHEREVER YOU FIND THEM 🔥 #lonewolves",
    "We call on the lone wolves to target the Jews and the Crusaders everywhere.",
    "It is your duty to kill the kuffar and the murtadeen.",
    "Let us strike the Americans in their homes.",
    "Brothers, if you find a policeman alone, stab him and run over the soldiers.",
    "Target the Jews and kill the Crusaders.",
    "The crusaders must all be killed.",
    "Muslims of Europe, attack the disbelievers in their streets!",
    "اقتلوا اليهود والصليبيين في كل مكان",
    "ندعو الذئاب المنفردة إلى استهداف اليهود والصليبيين",
    "يجب قتل المرتدين",
    "Убивайте неверных крестоносцев везде",
    "Призываем одиноких волков убивать неверных",
    "Неверных надо убивать",
    "Tötet die Ungläubigen überall",
    "Man sollte alle Politiker erschießen!",
    "Als Bulle hat mans verdient - schlachtet das Pack!",
]


@pytest.mark.parametrize("text", FULL_CALLS)
def test_calls_full_call_is_found_and_scores_as_incitement(text: str) -> None:
    assert strength(text) == pytest.approx(1.0), calls(text)
    assert incitement(text) >= 0.95


@pytest.mark.parametrize(
    "text",
    [
        "Do not kill the Jews.",
        "We urge you not to attack the police.",
        "Never target civilians, brothers.",
        "It is forbidden to kill civilians.",
        "You should not kill the Christians.",
        "Had her parents taught her not to go and stab soldiers she would be alive.",
        "لا تقتلوا المدنيين",
        "Не убивайте мирных жителей",
    ],
)
def test_calls_negation_drops_the_call(text: str) -> None:
    assert all(c.negated and c.strength == 0.0 for c in calls(text)), calls(text)
    assert incitement(text) < 0.3


def test_calls_question_keeps_little_strength() -> None:
    assert strength("Brothers, should we really target the Jews?") == 0.0
    assert 0 < strength("Kill the Jews? Who would say such a thing?") <= 0.3


@pytest.mark.parametrize(
    "text",
    [
        'The spokesman urged "lone wolves to target Jews and Crusaders everywhere", the agency reported.',
        "ISIS calls on lone wolves to attack Jews and Crusaders.",
        "In the recording, al-Ansari called on lone wolves to strike the Crusaders in Europe, analysts said.",
    ],
)
def test_calls_reported_call_is_capped(text: str) -> None:
    assert 0 < strength(text) <= REPORTED_CAP
    assert incitement(text) < 0.5


def test_calls_the_authors_own_saying_is_not_reported_speech() -> None:
    assert strength("I say it again: kill the crusaders wherever you find them!") == pytest.approx(1.0)
    assert strength("We said it before, brothers: target the Jews and the Crusaders.") == pytest.approx(1.0)


@pytest.mark.parametrize(
    "text",
    [
        # sports and games
        "We will attack from the first minute and kill the game early.",
        "Attack the ball, hit the target, shoot on sight of goal!",
        "Go in and kill the boss, then attack the zombies on level 3.",
        # idioms
        "Kill it tonight! This song kills.",
        "Hit the road, Jack, and strike a deal before Friday.",
        # history and news
        "The Crusaders attacked Jerusalem in 1099 and killed many Jews.",
        "Attack kills 5 soldiers in Kabul.",
        "Bomb kills police officers outside the embassy.",
        "Fight between Christians and Muslims leaves three dead in Jos.",
        "Later, however, a bomb exploded in the embassy's parking lot.",
        "Gunmen who killed the police officers were arrested, police said.",
        "They then tried to isolate the rebel forces and annihilate them one by one.",
        # religious text and greetings with no call
        "Assalamu alaikum brothers, may Allah protect the Muslims and the Christians of Gaza.",
        "Fight your ego, brothers: the greater jihad is against the self.",
        # a relative clause is not an imperative
        "There are people who want to kill the Jews and Jews who do not.",
        "قتل خمسة جنود في هجوم على نقطة تفتيش",
        "Die Polizei schießt auf die Demonstranten, berichtet die Zeitung.",
        "Das hängt davon ab, ob die Politiker zustimmen.",
        "Man sollte die Politiker nicht erschießen, sondern abwählen.",
    ],
)
def test_calls_everyday_news_and_history_are_not_calls(text: str) -> None:
    assert strength(text) < 0.5, calls(text)
    assert incitement(text) < 0.5


def test_calls_pronoun_object_needs_an_intensifier() -> None:
    assert strength("Kill them.") == pytest.approx(0.45)
    assert strength("Kill them all.") == pytest.approx(0.7)
    assert strength("Kill them wherever you find them.") == pytest.approx(0.9)
    assert strength("Run them over.") == pytest.approx(0.45)
    assert strength("فاقتلوهم حيث وجدتموهم") == pytest.approx(0.9)  # the object is attached to the verb


def test_calls_obfuscation_does_not_hide_the_call() -> None:
    for text in ("L0ne w0lves, t@rget the J.e.w.s and the crus@ders", "lone wolves, t a r g e t the jews",
                 "lone wolves,  🔥 target the jews ⚔️ and the crusaders"):
        assert strength(text) == pytest.approx(1.0), text


def test_calls_wrapped_lines_are_one_sentence() -> None:
    text = ("THE ARMY THEN TRIED TO ISOLATE THE REBEL FORCES FROM ONE ANOTHER AND\n"
            "ANNIHILATE THEM ONE BY ONE, THE COMMANDER SAID IN AN INTERVIEW WITH A\n"
            "REPORTER OF THE STATION THAT BROADCAST FROM THE MOUNTAINS LAST WEEK.\n"
            "HE ADDED THAT THE OFFENSIVE HAD REACHED ITS GOALS IN THE CAPITAL CITY.\n")
    assert strength(text) == 0.0
    assert strength("Brothers, listen\nKill the crusaders everywhere") == pytest.approx(1.0)


def test_calls_evidence_names_the_grammar_and_keeps_the_terms() -> None:
    item = normalize("Lone w0lves, t@rget the crus@ders everywhere")
    (ls,) = [x for x in lexicon().classify_one(item) if x.label is Label.INCITEMENT]
    spans = [ev for ev in ls.evidence if ev.kind == "span"]
    assert spans and "call grammar" in (spans[0].detail or "") and "grammar/en.yaml" in (spans[0].detail or "")
    assert {"t@rget", "crus@ders"} <= {ev.text for ev in ls.evidence if ev.kind == "term"}
    for ev in ls.evidence:
        assert ev.start is not None and ev.end is not None
        assert item.normalized[ev.start : ev.end] == ev.text


def test_calls_grammar_can_be_switched_off() -> None:
    off = LexiconClassifier(Settings(), {"grammar": False})
    text = "Lone wolves, target the Jews and the Crusaders"
    score = next((ls.score for ls in off.classify_one(normalize(text)) if ls.label is Label.INCITEMENT), 0.0)
    assert score < 0.5 < incitement(text)


def test_calls_unknown_list_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown list 'verbz'"):
        load_grammar([("mine.yaml", {"language": "en", "verbz": {1.0: ["kill"]}})])


def test_calls_yaml_booleans_are_rejected() -> None:
    # YAML reads a bare `no` as false: a negation list holding it would silently lose the word
    with pytest.raises(ConfigError, match="quote it"):
        load_grammar([("mine.yaml", {"language": "en", "negations": [False]})])


def test_calls_noun_use_and_negation_words_are_loaded() -> None:
    assert "on" in grammar().noun_use
    assert strength("No, do not attack the Jews.") == 0.0
    assert strength("Attack on the Jews in Paris, police said.") == 0.0
