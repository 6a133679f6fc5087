"""The lexicon classifier on short texts written for these tests (paraphrased, not real propaganda):
calls, praise, recruitment, funding, instructions, outlets and threats in English, Arabic, transliterated
Arabic and Russian; obfuscated variants; and negatives that must stay low."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from tests.helpers.normalize import normalize
from vigil.classify.lexicon import LexiconClassifier
from vigil.classify.lexicon_data import load_lexicon
from vigil.core.errors import ConfigError
from vigil.core.labels import Label
from vigil.core.records import LabelScore
from vigil.core.settings import Settings

HIGH = 0.85
LOW = 0.2


@lru_cache(maxsize=1)
def classifier() -> LexiconClassifier:
    return LexiconClassifier(Settings())


def scores(text: str) -> dict[str, float]:
    return {ls.label.value: ls.score for ls in classifier().classify_one(normalize(text))}


def label_score(text: str, label: str) -> LabelScore:
    found = [ls for ls in classifier().classify_one(normalize(text)) if ls.label.value == label]
    assert found, f"no {label} score for {text!r}: {scores(text)}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # English
        ("We urge the lone wolves to target the crusaders and the jews everywhere.", "incitement"),
        ("Brothers, rise against the crusaders and take revenge for your religion.", "incitement"),
        ("Kill them wherever you find them.", "incitement"),
        ("Lions of the caliphate carried out a blessed operation, may Allah accept them.", "glorification"),
        (
            "Make hijrah to the lands of the Islamic State and join the ranks of the mujahideen.",
            "recruitment",
        ),
        (
            "Donate to the mujahideen, send btc to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
            "material_support",
        ),
        ("How to make an explosive belt with TATP, step by step.", "instruction"),
        (
            "Al Furqan presents a new audio message from the official spokesman of the Islamic State.",
            "official_propaganda",
        ),
        (
            "A security source told Amaq that soldiers of the caliphate carried out the attack.",
            "official_propaganda",
        ),
        ("We will blow up the concert tomorrow, you will see.", "threat"),
        # transliterated Arabic
        ("O muslims, rise up and slaughter the kuffar and the murtadeen.", "incitement"),
        ("Baqiyah wa tatamaddad, the dawlah remains.", "glorification"),
        # Arabic
        ("ندعو الذئاب المنفردة إلى استهداف اليهود والصليبيين في كل مكان", "incitement"),
        ("اقْتُلُوهُمْ حَيْثُ وَجَدْتُمُوهُمْ", "incitement"),
        ("عملية مباركة نفذها أسود الخلافة تقبلهم الله", "glorification"),
        ("هاجروا إلى أرض الخلافة وانضموا إلى المجاهدين", "recruitment"),
        ("طريقة صنع عبوة ناسفة", "instruction"),
        ("مؤسسة الفرقان تقدم كلمة صوتية للمتحدث الرسمي للدولة الإسلامية", "official_propaganda"),
        ("جهزوا غازيا وتبرعوا للمجاهدين", "material_support"),
        # Russian
        ("Призываем одиноких волков убивать неверных крестоносцев", "incitement"),
        ("Убивайте их везде, братья", "incitement"),
        ("Львы халифата провели благословенную операцию", "glorification"),
        ("Совершите хиджру и вступайте в ряды моджахедов", "recruitment"),
    ],
)
def test_lexicon_scores_clear_cases_high(text: str, label: str) -> None:
    assert scores(text).get(label, 0.0) >= HIGH, scores(text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("We urge lone w0lves to t@rget the crus@ders everywhere", "incitement"),
        ("K I L L them wherever you find them", "incitement"),
        ("k1ll th3m wherever you f1nd them", "incitement"),
        ("kiiiill them wherever you find them", "incitement"),
        ("kil\u200bl them wherever you fi\u200bnd them", "incitement"),
        ("k🔪ill them wherever you find them", "incitement"),
        ("ᴋɪʟʟ ᴛʜᴇᴍ ᴡʜᴇʀᴇᴠᴇʀ ʏᴏᴜ ꜰɪɴᴅ ᴛʜᴇᴍ", "incitement"),
        ("Ꮮions of the cаliphate carried out a blеssed operation", "glorification"),
        ("m.a.k.e h.i.j.r.a.h to the lands of the Islamic State", "recruitment"),
        ("عمليـــة مبـــاركة نفذها أسود الخلافة", "glorification"),
    ],
)
def test_lexicon_sees_through_obfuscation(text: str, label: str) -> None:
    assert scores(text).get(label, 0.0) >= HIGH, scores(text)


@pytest.mark.parametrize(
    "text",
    [
        "ISIS calls for attacks against Europe and the United States",
        "The attack on a theater in Moscow left at least 143 dead.",
        "ISIS claimed responsibility for the attack on the concert hall.",
        "Police said the suspect was arrested after the shooting in the mall.",
        "This song kills! The band killed it last night, what a bomb of a show.",
        "Assalamu alaikum brothers, may Allah bless you and your families this Ramadan.",
        "السلام عليكم ورحمة الله وبركاته، رمضان كريم",
        "The Islamic State group was defeated in Baghouz in 2019, officials say.",
        "Join our channel for the latest football news and updates.",
        "Donate to the Red Cross to help the victims of the earthquake.",
        "How to make a cake: step by step instructions with simple ingredients.",
        "We will win the match tomorrow, you will see.",
        "В пятницу в Москве произошло нападение на концертный зал, погибли 143 человека.",
        "قتل ١٤٣ شخصا في هجوم على قاعة للحفلات في موسكو حسب وكالات الأنباء",
        "Researchers study how jihadist groups use Telegram to recruit supporters.",
    ],
)
def test_lexicon_keeps_news_and_everyday_text_low(text: str) -> None:
    assert max(scores(text).values(), default=0.0) < LOW, scores(text)


def test_lexicon_single_cue_is_not_enough() -> None:
    for text in ("attack", "ISIS", "jihad", "crusaders", "we urge you", "explosive"):
        assert max(scores(text).values(), default=0.0) < 0.1, (text, scores(text))


def test_lexicon_combination_raises_the_score() -> None:
    violence = scores("to attack the crusaders").get("incitement", 0.0)
    with_call = scores("we urge you to attack the crusaders").get("incitement", 0.0)
    assert violence < 0.3 < with_call


def test_lexicon_evidence_spans_point_into_the_displayed_text() -> None:
    item = normalize("They wrote: we urge lone w0lves to t@rget the crus@ders everywhere.")
    (ls,) = [x for x in classifier().classify_one(item) if x.label is Label.INCITEMENT]
    shown = {ev.text for ev in ls.evidence}
    assert {"we urge", "lone w0lves", "t@rget", "crus@ders"} <= shown
    for ev in ls.evidence:
        assert ev.start is not None and ev.end is not None
        assert item.normalized[ev.start : ev.end] == ev.text
        assert ev.detail and "en.yaml" in ev.detail


def test_lexicon_evidence_in_arabic_keeps_the_diacritics_shown() -> None:
    ls = label_score("قال: اقْتُلُوهُمْ حَيْثُ وَجَدْتُمُوهُمْ", "incitement")
    assert any(ev.text.startswith("اقْتُلُوهُمْ") for ev in ls.evidence)


def test_lexicon_arabic_clitics_and_suffixes() -> None:
    assert "incitement" in scores("ندعو الذئاب المنفردة لاستهداف الصليبيين")
    assert scores("للدولة الإسلامية مؤسسة الفرقان كلمة صوتية").get("official_propaganda", 0.0) >= HIGH


def test_lexicon_word_boundaries() -> None:
    assert (
        scores("the skill of the killer whale") == {}
        or max(scores("the skill of the killer whale").values()) < 0.1
    )
    assert "isis" not in {
        ev.text.lower() for ls in classifier().classify_one(normalize("crisis")) for ev in ls.evidence
    }


def test_lexicon_scores_are_in_range_and_labelled() -> None:
    for ls in classifier().classify_one(normalize("We urge lone wolves to kill the crusaders, make hijrah")):
        assert 0.0 <= ls.score <= 1.0
        assert ls.classifier == "lexicon.v1" and ls.tier == 1


def test_lexicon_never_raises_on_odd_text() -> None:
    for text in ("", " ", "\x00", "🙏" * 1000, "a" * 50_000, "ب" * 1000, "1" * 40):
        assert isinstance(classifier().classify_one(normalize(text)), tuple)
    assert classifier().classify([]) == []


def test_lexicon_seed_reports_light_up_on_quoted_calls() -> None:
    seeds = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seed reports not found at {seeds}")
    by_name = {p.name[:3]: scores(p.read_text(encoding="utf-8")) for p in seeds.glob("*.txt")}
    assert by_name["000"]["incitement"] >= HIGH  # al-Ansari: "we urge lone wolves to target ..."
    assert by_name["002"]["incitement"] >= HIGH  # al-Muhajir: "take vengeance for their religion"
    assert by_name["003"]["incitement"] >= HIGH  # Baghouz: "rise against the Crusaders ... take revenge"
    assert by_name["004"]["glorification"] >= HIGH  # "our swords have reached them"
    assert max(by_name["001"].values(), default=0.0) < 0.5  # a report with no quoted call in full


def test_lexicon_data_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "language: en\ngroups:\n  - kind: call\n    label: nonsense\n    weight: 0.5\n    terms: [x]\n"
    )
    with pytest.raises(ConfigError, match="bad.yaml.*unknown label 'nonsense'"):
        load_lexicon([bad])
    bad.write_text(
        "language: en\ngroups:\n  - kind: call\n    label: incitement\n    weight: 3\n    terms: [x]\n"
    )
    with pytest.raises(ConfigError, match="outside"):
        load_lexicon([bad])
    bad.write_text(
        "language: en\ngroups:\n  - kind: nonsense\n    label: incitement\n    weight: 0.5\n    terms: [x]\n"
    )
    with pytest.raises(ConfigError, match="no rule"):
        load_lexicon([bad])
    with pytest.raises(ConfigError, match="does not exist"):
        load_lexicon([tmp_path / "missing.yaml"])


def test_lexicon_extra_files_extend_the_lexicon(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "language: en\ngroups:\n  - kind: phrase\n    label: incitement\n    weight: 0.95\n    terms: [zorblax the gadget]\n"
    )
    clf = LexiconClassifier(Settings(), {"extra_files": [str(extra)]})
    (ls,) = clf.classify_one(normalize("now zorblax the gadget"))
    assert ls.label is Label.INCITEMENT and ls.score >= HIGH


def test_lexicon_every_entry_has_term_label_weight_language_kind() -> None:
    lexicon = load_lexicon()
    languages = {e.language for e in lexicon.entries}
    assert {"en", "ar", "ar-Latn", "ru"} <= languages
    for e in lexicon.entries:
        assert e.term and e.labels and 0 < e.weight <= 1 and e.kind


@pytest.mark.parametrize(
    "text",
    [
        "They will get what is coming to them soon, mark my words",
        "Those people will pay for this, you will see",
        "Wait until Friday and see what happens to them",
        "Someone should teach them a lesson they will not forget",
    ],
)
def test_lexicon_veiled_threat_scores_in_the_review_band(text: str) -> None:
    """Harm promised without naming it: uncertain, so between the default policy's review (0.5) and
    block (0.75) thresholds for `threat`: a person decides."""
    assert 0.5 <= scores(text).get("threat", 0.0) < 0.75, scores(text)


@pytest.mark.parametrize(
    "text",
    ["Mark my words, this team wins the league.", "They will not pay for this, the insurer covers it.",
     "Just wait until Friday, the new album drops!"],
)
def test_lexicon_everyday_promises_are_not_veiled_threats(text: str) -> None:
    assert scores(text).get("threat", 0.0) < 0.3, scores(text)
