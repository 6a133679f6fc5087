"""The seed scenario of issue 5: after an attack, a spokesman's call on lone wolves to target Jews and
Crusaders in Europe and the United States (al-Ansari's message, seed 000) is re-posted by 200
accounts, 1,000 times, with small edits; news reports quote it; a few ambiguous messages arrive too.

The variants are our own short paraphrases, written for this test; none reproduces the original."""

from __future__ import annotations

import random
from dataclasses import dataclass

CALLS = (
    "Lone wolves, target the Jews and the Crusaders wherever you find them, above all in America and Europe",
    "Brothers acting alone: strike the Jews and Crusaders everywhere, especially in the US and in Europe",
    "Every lone wolf must hit the Crusaders and the Jews in Europe and the United States",
    "O lone wolves, rise and target the Crusaders and Jews in Europe and America, do not wait",
    "lone wolves target jews and crusaders everywhere, especially the united states and europe",
)
DECOR = ("", " 🔥", " #lonewolves", " !!!", " — share before it is deleted", " ⚔️⚔️", " (repost)")
UNCERTAIN = (
    "They will get what is coming to them soon, mark my words",
    "Those people will pay for this, you will see",
    "Wait until Friday and see what happens to them",
    "Someone should teach them a lesson they will not forget",
)
NEWS_QUOTES = (
    'The spokesman urged "lone wolves to target Jews and Crusaders everywhere, especially in the United States '
    'and Europe", the EFE agency reported on Thursday.',
    'In the 41-minute recording, al-Ansari called on lone wolves to strike the Crusaders in Europe and America, '
    'according to analysts who reviewed it.',
)


@dataclass(frozen=True)
class Send:
    account: str
    text: str
    kind: str  # call | uncertain | news


def scenario(accounts: int = 200, per_account: int = 5, uncertain: int = 12, seed: int = 5) -> list[Send]:
    """The calls, interleaved as a flood would arrive, then the ambiguous messages and the news quotes."""
    rng = random.Random(seed)
    sends: list[Send] = []
    for round_ in range(per_account):
        for a in range(accounts):
            text = rng.choice(CALLS)
            text = text.upper() if rng.random() < 0.1 else text
            sends.append(Send(f"acct{a:03d}", f"{text}{rng.choice(DECOR)} {round_}", "call"))
    for i in range(uncertain):
        sends.append(Send(f"other{i:02d}", f"{UNCERTAIN[i % len(UNCERTAIN)]} ({i})", "uncertain"))
    for i, text in enumerate(NEWS_QUOTES):
        sends.append(Send(f"newsdesk{i}", text, "news"))
    return sends
