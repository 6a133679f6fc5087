"""Text preparation for the text signal types: the one function that turns a text into the form that is
hashed (`matching_text`) and its word list (`matching_tokens`).

Banked texts and incoming messages must be prepared by exactly the same function, or a re-post would
hash differently from its banked original; so the bank CLI, imports, the pipeline and moderator
confirmations all call this module, always on the *original* text.

It undoes what re-posters do to dodge exact matching: case and punctuation changes, zero-width and bidi
characters, compatibility forms (full-width, ligatures), accents and Arabic diacritics, homoglyphs
(Cyrillic/Greek letters that look Latin), leetspeak inside words (``d4esh``), separators inside words
(``I.S.I.S``), emoji and symbols; links, @handles and ``RT`` prefixes are dropped. Changing this function changes every text signal: bump the
``version`` of `TextExactSignal` and `TextNearSignal` when it does.

It starts from the normalize stage's own folding (``clean_text``, ``normalize_arabic``,
``fold_obfuscation``: what ``Item.folded`` holds), then adds what only matching wants: every letter that
looks Latin becomes Latin whatever the rest of the text (the stage keeps real Russian words Russian; a
hash only needs bank and query to agree), accents and digits of other scripts folded, links and handles
dropped, and every non-word character a separator.
"""

from __future__ import annotations

import re
import unicodedata

from vigil.normalize.arabic import normalize_arabic
from vigil.normalize.fold import _ASCII_STRETCHED, _MAYBE_SPLIT, fold_obfuscation
from vigil.normalize.unicode import clean_text

MAX_TEXT_CHARS = 100_000  # longer texts are cut before hashing (a chat message is far shorter)

# Letters from other scripts that render like Latin ones (Unicode confusables, lower case only because
# folding happens after casefold). Mapping whole scripts is safe for matching: bank and query are folded
# by the same table, so two different Cyrillic texts stay different.
_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
        "ӏ": "l", "һ": "h", "ԛ": "q", "ԝ": "w", "ү": "y",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u",
        # Latin lookalikes outside ASCII that NFKD does not decompose
        "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ß": "ss", "æ": "ae", "œ": "oe",
        "ɑ": "a", "ɡ": "g", "ɩ": "i", "ʀ": "r", "ʏ": "y",
        # Arabic letter variants (alef forms, alef maksura, ta marbuta), matching the normalize stage
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    }
)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a", "$": "s"})
# A whole word with a leet character; `_unleet` changes those that also have a Latin letter. The
# look-behind lets a match start only at a word's first character and the look-ahead scans that word
# once: a pattern asking for "a letter and a leet character" in either order (as this once was) was
# tried at every position of every word and backtracked, 24 µs against 4 µs for a 19-word message,
# for the same result (unit tests hold both earlier patterns' results).
_LEET_WORD = re.compile(r"(?<![\w@$])(?=[\w@$]*[0-9@$])[\w@$]+")
_LATIN = re.compile(r"[a-z]")
_SEPARATORS = re.compile(r"(?:[^\w@$]|_)+")  # everything but word characters and leet symbols
_NOT_WORD = re.compile(r"(?:[^\w]|_)+")  # after leet folding, a leftover @ or $ separates
_LINKS = re.compile(
    r"\b(?:h[xt*]{2}ps?|ftp)\b\S*"  # links (defanged too), even with their punctuation edited
    r"|\bwww\b\S*"
    r"|\b[\w-]+(?:\.[\w-]+)+/\S*"  # scheme-less links: t.co/x, pic.twitter.com/x
    r"|(?<![\w@])@\w+"  # @handles
    r"|^\s*rt\b:?",  # a retweet prefix (the text is case-folded by now)
    re.IGNORECASE,
)
_LEET_CHARS = re.compile(r"[0-9@$]")
_SINGLE_RUN = re.compile(r"\b(?:\w ){2,}\w\b")  # "i s i s" after separators became spaces


_ASCII_CONTROLS = {i: None for i in range(32) if chr(i) not in "\n\t\r"} | {ord("\n"): " ", ord("\t"): " ", ord("\r"): " ", 127: None}


def _fold_char_classes(text: str) -> str:
    if text.isascii():  # the common case needs no decomposition: drop controls, keep the rest
        return text.translate(_ASCII_CONTROLS)
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me", "Cf", "Cc", "Co", "Cs"):
            # combining marks (accents, Arabic harakat), format controls (zero-width, bidi), controls
            if ch in "\n\t\r":
                out.append(" ")
            continue
        if ch == "\u0640":  # Arabic tatweel (a letter-category filler)
            continue
        if cat == "Nd" and not ch.isascii():  # digits of other scripts, often used as lookalikes
            ch = str(unicodedata.digit(ch))
        out.append(ch)
    return "".join(out)


def _unleet(match: re.Match[str]) -> str:
    word = match.group(0)
    return word.translate(_LEET) if _LATIN.search(word) else word


_memo: tuple[str, str] = ("", "")  # the last text prepared: text_exact and text_near ask for the same one


def matching_text(text: str) -> str:
    """The prepared form of ``text`` that text signals are computed from: lower-case words separated by
    single spaces, with obfuscation undone, and without links, @handles and a retweet prefix (re-posts
    change those, link shorteners make every copy's link different, and the ``url`` signal matches
    links on its own). Never raises; may return an empty string."""
    global _memo
    last_text, last_result = _memo  # one read: another thread may replace the pair, never half of it
    if text == last_text:
        return last_result
    result = _prepare(text)
    # the stage's folding and the steps below can each expose work for the other ("3ee" -> "eee" ->
    # "ee"), so run to a fixed point: that keeps matching_text idempotent (a property test holds it).
    # Most results are plain ASCII words that `_is_fixed_point` shows stable without the second pass.
    if not _is_fixed_point(result):
        for _ in range(4):
            again = _prepare(result)
            if again == result:
                break
            result = again
    _memo = (text, result)
    return result


_PLAIN_WORDS = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
# what `_LINKS` can match in plain words: a whole word that is a scheme (``h[xt*]{2}ps?``, ``ftp``) or
# ``www``, or a leading ``rt`` (the other forms need ``.``, ``/`` or ``@``)
_LINK_WORDS = frozenset({"ftp", "www"} | {f"h{a}{b}p{s}" for a in "xt" for b in "xt" for s in ("", "s")})
_LEET_DIGITS = frozenset("01345789")  # the digits `_LEET` folds (2 and 6 stay digits)


def _is_fixed_point(prepared: str) -> bool:
    """True only when `_prepare` would give ``prepared`` back unchanged, for a fraction of its cost
    (~4 µs against ~25 µs hot and ~40 µs inside a send, where the fingerprint of a flood check runs
    `matching_text` on every message while an alert is active). False means "not shown", never
    "changes": the caller then runs the pass. Walking `_prepare` over ASCII lower-case letters and
    digits in single-spaced words: ``clean_text``, casefolding, Arabic, the character classes,
    homoglyphs, NFC and the separators leave such a text as it is (no controls, no double or edge
    spaces, nothing outside ASCII, nothing that is not a word character); what can still change it
    is exactly what each check below rules out: the fold stage's split words and stretched letters
    (by their own guards; the split-word guard also finds every run of three single characters that
    `_SINGLE_RUN` would merge), links and a retweet prefix (the words `_LINKS` can match here), a word
    with a Latin letter and a leet digit (both leet passes, the fold stage's and this module's, change
    nothing else in such text), and the length cut. A property test compares this shortcut with the
    full second pass on generated text."""
    if not (len(prepared) <= MAX_TEXT_CHARS and prepared.isascii() and _PLAIN_WORDS.fullmatch(prepared) is not None
            and _ASCII_STRETCHED.search(prepared) is None and _MAYBE_SPLIT.search(prepared) is None):
        return False
    words = prepared.split(" ")
    if words[0] == "rt" or not _LINK_WORDS.isdisjoint(words):
        return False
    # a word with letters and digits: `_unleet` changes it when a digit is one `_LEET` folds
    return all(w.isalpha() or w.isdigit() or _LEET_DIGITS.isdisjoint(w) for w in words)


def _prepare(text: str) -> str:
    # the normalize stage's folding first (the same as ``Item.folded``: NFKC, invisible characters,
    # Arabic forms, homoglyphs, leetspeak, split and stretched words), then what matching adds on top
    staged = fold_obfuscation(normalize_arabic(clean_text(text[:MAX_TEXT_CHARS]).casefold()))
    folded = _fold_char_classes(staged).casefold().translate(_HOMOGLYPHS)
    # links go after folding, so that zero-width characters or homoglyphs inside a link cannot hide it
    folded = _LINKS.sub(" ", unicodedata.normalize("NFC", folded))
    spaced = _SEPARATORS.sub(" ", folded)
    leet = _LEET_CHARS.search(spaced) is not None  # most texts have no digits, @ or $: skip the word pass
    if leet:
        spaced = _LEET_WORD.sub(_unleet, spaced)
    spaced = _NOT_WORD.sub(" ", spaced).strip()
    merged = _SINGLE_RUN.sub(lambda m: m.group(0).replace(" ", ""), spaced)
    # merged runs ("d 4 e s h") may now be leet words themselves; a second pass keeps this idempotent
    return _LEET_WORD.sub(_unleet, merged) if leet else merged


def matching_tokens(text: str) -> list[str]:
    """The words of `matching_text` (``[]`` for a text with no letters or digits)."""
    prepared = matching_text(text)
    return prepared.split(" ") if prepared else []
