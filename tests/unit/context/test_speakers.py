"""Speaker attribution: reported-speech patterns and resolution of "he", "it", "the spokesman", "the post"."""

from __future__ import annotations

from vigil.context.quotes import find_quotes
from vigil.context.speakers import SpeakerResolver


def _attribute(text: str) -> list[tuple[str, str | None]]:
    quotes = find_quotes(text)
    return [
        (text[q.start : q.end], a.speaker)
        for q, a in zip(quotes, SpeakerResolver(text, quotes).attribute_all(), strict=True)
    ]


def _speaker_of(text: str, fragment: str) -> str | None:
    for quoted, speaker in _attribute(text):
        if fragment in quoted:
            return speaker
    raise AssertionError(f"no quote containing {fragment!r} in {_attribute(text)}")


def test_speakers_pronoun_after_quote_resolves_to_the_named_spokesman() -> None:
    text = (
        "The group's spokesman, Abu Karim al-Fulani, spoke for an hour on Monday.\n\n"
        "“Strike them in their own streets,” he said in the recording."
    )
    assert _speaker_of(text, "Strike them") == "Abu Karim al-Fulani"


def test_speakers_inverted_said_name() -> None:
    text = '"We expect more care from the platform," said Oleg Ivanov, a ministry official.'
    assert _speaker_of(text, "more care") == "Oleg Ivanov"


def test_speakers_name_then_verb_after_quote() -> None:
    text = "“The site was closed at noon,” Maria Lopez said on Tuesday."
    assert _speaker_of(text, "site was closed") == "Maria Lopez"


def test_speakers_called_on_before_quote() -> None:
    text = "In a short video, an unnamed fighter calls on followers to “take revenge for the city.”"
    assert _speaker_of(text, "take revenge") == "an unnamed fighter"


def test_speakers_the_spokesman_resolves_to_the_role() -> None:
    text = (
        "Government spokesman Peter Holm and the opposition leader Ana Berg met on Friday.\n\n"
        "Later the spokesman said that talks would “continue next week.”"
    )
    assert _speaker_of(text, "continue next week") == "Peter Holm"


def test_speakers_the_post_resolves_to_the_channel() -> None:
    text = (
        "On Sunday, Dawn Watch, a pro-militant Telegram channel, shared a post about the raid. "
        'The post argued that the raid was "a clever blow" against the enemy.\n\n'
        '"More will follow," it said.'
    )
    assert _speaker_of(text, "a clever blow") == "Dawn Watch"
    assert _speaker_of(text, "More will follow") == "Dawn Watch"


def test_speakers_reported_that_names_the_inner_speaker() -> None:
    text = "Reuters reported that group spokesman Abu Salim al-Ahmar `welcomed` the attack on Friday."
    assert _speaker_of(text, "welcomed") == "Abu Salim al-Ahmar"


def test_speakers_surname_joins_the_full_name() -> None:
    text = (
        'Militant leader Abu Bakr al-Sami released a statement.\n\nAl Sami asked followers to "stand firm".'
    )
    assert _speaker_of(text, "stand firm") == "Abu Bakr al-Sami"


def test_speakers_paragraph_quote_continues_the_previous_speaker() -> None:
    text = (
        "“The first part of the message,” said Karim Nassar, the group's spokesman.\n\n"
        "“And the second part, which has no attribution of its own.”\n\n"
        "Officials said nothing."
    )
    assert _speaker_of(text, "second part") == "Karim Nassar"


def test_speakers_according_to_after_quote() -> None:
    text = "The fighting needs “more than slogans,” according to the speech."
    assert _speaker_of(text, "more than slogans") == "the speech"


def test_speakers_unknown_when_nothing_names_one() -> None:
    assert _speaker_of('"Strike them all" tonight!', "Strike them") is None
    assert _speaker_of("People are saying “it was staged” everywhere.", "staged") is None


def test_speakers_all_caps_wire_copy() -> None:
    text = '"ESCOBAR IS BEHIND THE VIOLENCE," THE GOVERNMENT MINISTER SAID. MORE FOLLOWS IN THE REPORT TODAY.'
    assert _speaker_of(text, "ESCOBAR") == "THE GOVERNMENT MINISTER"
