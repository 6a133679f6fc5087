"""Person names across transliterations: parsing Arabic-style names and deciding whether two
mentions are the same person.

An Arabic name has parts that writers keep, drop or reorder: the kunya (Abu Bakr, Umm Sara), the ism
(given name: Ayman), the nasab (bin Laden), the nisba or laqab with its article (al-Baghdadi,
ad-Dawsari, al-Muhajir). `parse_name` splits a mention into those parts in any script;
`same_person` compares part by part with the transliteration keys of `transliteration`:

* every part that both names have must agree (a different kunya, ism or nisba is a different person);
* at least two parts must agree, so a lone "al-Ansari" never merges globally (inside one item the
  extractor links such short forms to a fuller name, see `resolve_short_form`).

Where it sits: the entity extractor uses it to link PERSON mentions to gazetteer persons and to one
another; the store can use `name_key` to block candidate pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vigil.extract.textfold import fold
from vigil.extract.transliteration import (
    NameToken,
    cyrillic_to_latin,
    script_of,
    token_skeleton,
    tokens_compatible,
)

_KUNYA = {"abu": "abu", "abou": "abu", "abo": "abu", "aboo": "abu", "abi": "abu", "abul": "abu",
          "umm": "umm", "um": "umm", "om": "umm", "oum": "umm",
          "ابو": "abu", "ابي": "abu", "ام": "umm"}  # fmt: skip
_NASAB = {"bin", "ibn", "ben", "bint", "b", "ould", "wuld", "بن", "ابن", "بنت"}
_ARTICLES = {"al", "el", "ul", "il", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an", "ed", "er",
             "es", "esh", "et", "ez", "en"}  # fmt: skip
_ABD = re.compile(r"^abd(?:[aeiou](?:l|r|s|n|z|d|t|sh)?)?$")
_ABD_JOINED = re.compile(r"^(abd[aeiou]?(?:l|r|s|n|z|d|t))([a-z]{3,})$")
_ALLAH = {"allah", "ullah", "llah", "lah", "alla", "ulla", "الله", "لله"}
_SPLIT = re.compile(r"[\s\-‐‑–—_]+")


@dataclass(frozen=True, slots=True)
class NamePart:
    """One part of a name; a compound (Abd al-Aziz) has two tokens."""

    tokens: tuple[NameToken, ...]

    def compatible(self, other: NamePart) -> bool:
        return len(self.tokens) == len(other.tokens) and all(
            tokens_compatible(a, b) for a, b in zip(self.tokens, other.tokens, strict=True)
        )

    @property
    def skeleton(self) -> str:
        return "".join(token_skeleton(t) for t in self.tokens)


@dataclass(frozen=True, slots=True)
class PersonName:
    text: str
    kunya: NamePart | None = None
    kunya_type: str | None = None  # abu | umm
    ism: NamePart | None = None
    nasab: tuple[NamePart, ...] = ()
    nisbas: tuple[NamePart, ...] = ()
    others: tuple[NamePart, ...] = field(default=())

    @property
    def parts(self) -> int:
        return (
            (self.kunya is not None)
            + (self.ism is not None)
            + len(self.nasab)
            + len(self.nisbas)
            + len(self.others)
        )


def _raw_tokens(name: str) -> list[str]:
    text = fold(name)
    if script_of(text) == "cyrillic":
        text = cyrillic_to_latin(text)
    out: list[str] = []
    for tok in _SPLIT.split(text):
        tok = tok.strip(".,;:()[]\"'")
        if not tok:
            continue
        if script_of(tok) == "arabic" and tok.startswith("ال") and len(tok) > 3 and tok not in _ALLAH:
            out.extend(["al", tok[2:]])  # Arabic writes the article attached and unassimilated
            continue
        if script_of(tok) == "arabic" and tok.startswith("وال") and len(tok) > 4:
            out.extend(["al", tok[3:]])
            continue
        joined = _ABD_JOINED.match(tok)
        if joined:
            out.extend(["abd", joined.group(2)])  # Abdulaziz, Abdelkader, Abdurrahman
            continue
        out.append(tok)
    return out


def _is_abd(tok: str) -> bool:
    return tok == "عبد" or bool(_ABD.match(tok))


def _take_name(tokens: list[str], i: int) -> tuple[NamePart | None, int]:
    """The name starting at ``tokens[i]`` (skipping an article; joining Abd + name)."""
    n = len(tokens)
    if i < n and tokens[i] in _ARTICLES and i + 1 < n:
        i += 1
    if i >= n:
        return None, i
    if _is_abd(tokens[i]) and i + 1 < n:
        j = i + 1
        if tokens[j] in _ARTICLES and j + 1 < n:
            j += 1
        second = "allah" if tokens[j] in _ALLAH else tokens[j]
        return NamePart((NameToken.of("abd"), NameToken.of(second))), j + 1
    return NamePart((NameToken.of(tokens[i]),)), i + 1


def parse_name(name: str) -> PersonName:
    """Split a person mention into kunya, ism, nasab, nisbas and other parts, in any script."""
    tokens = _raw_tokens(name)
    kunya = ism = None
    kunya_type = None
    nasab: list[NamePart] = []
    nisbas: list[NamePart] = []
    others: list[NamePart] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if tok in _KUNYA and kunya is None and i + 1 < n:
            kunya_type = _KUNYA[tok]
            kunya, i = _take_name(tokens, i + 1)
        elif tok in _NASAB and i + 1 < n:
            part, i = _take_name(tokens, i + 1)
            if part:
                nasab.append(part)
        elif tok in _ARTICLES and i + 1 < n:
            part, i = _take_name(tokens, i)
            if part:
                nisbas.append(part)
        else:
            part, i = _take_name(tokens, i)
            if part is None:
                break
            if ism is None and kunya is None and not nisbas and not others:
                ism = part
            else:
                others.append(part)
    return PersonName(name, kunya, kunya_type, ism, tuple(nasab), tuple(nisbas), tuple(others))


def _nisbas_agree(a: tuple[NamePart, ...], b: tuple[NamePart, ...]) -> bool:
    """The shorter list's nisbas all appear in the longer one (al-Baghdadi ⊂ al-Baghdadi al-Qurashi)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(s.compatible(x) for x in long) for s in short)


def same_person(a: str | PersonName, b: str | PersonName) -> bool:
    """Whether two mentions name the same person (see the module docstring for the rule)."""
    pa = a if isinstance(a, PersonName) else parse_name(a)
    pb = b if isinstance(b, PersonName) else parse_name(b)
    agreed = 0
    if pa.kunya and pb.kunya:
        if pa.kunya_type != pb.kunya_type or not pa.kunya.compatible(pb.kunya):
            return False
        agreed += 1
    if pa.ism and pb.ism:
        if not pa.ism.compatible(pb.ism):
            return False
        agreed += 1
    if pa.nasab and pb.nasab:
        if not pa.nasab[0].compatible(pb.nasab[0]):
            return False
        agreed += 1
    if pa.nisbas and pb.nisbas:
        if not _nisbas_agree(pa.nisbas, pb.nisbas):
            return False
        agreed += 1
    if pa.others and pb.others:
        if not pa.others[-1].compatible(pb.others[-1]):
            return False
        agreed += 1
    # A name with a nisba and one without it (al-Baghdadi vs none) may still be the same person,
    # but a kunya-only name against an ism-only name shares nothing: the count above stays low.
    return agreed >= 2


def resolve_short_form(short: str, full_names: list[str]) -> str | None:
    """Inside one item, the full name that a short form ("Al Ansari", "al-Muhajir") refers to.

    The short form's parts must all agree with exactly one full name; otherwise None.
    """
    ps = parse_name(short)
    if ps.parts == 0:
        return None
    hits = []
    for full in full_names:
        pf = parse_name(full)
        if _subsumed(ps, pf):
            hits.append(full)
    return hits[0] if len(hits) == 1 else None


def _subsumed(short: PersonName, full: PersonName) -> bool:
    pool = [p for p in (full.kunya, full.ism) if p] + list(full.nasab) + list(full.nisbas) + list(full.others)
    parts = (
        [p for p in (short.kunya, short.ism) if p]
        + list(short.nasab)
        + list(short.nisbas)
        + list(short.others)
    )
    if short.kunya and full.kunya and not short.kunya.compatible(full.kunya):
        return False
    return bool(parts) and all(any(p.compatible(q) for q in pool) for p in parts)


def name_key(name: str | PersonName) -> str:
    """A coarse blocking key (consonant skeletons of kunya/ism and the first nisba): names that can
    be the same person usually share it; compare candidates with `same_person`."""
    p = name if isinstance(name, PersonName) else parse_name(name)
    head = p.kunya or p.ism
    tail = p.nisbas[0] if p.nisbas else (p.nasab[0] if p.nasab else (p.others[-1] if p.others else None))
    return f"{head.skeleton if head else ''}|{tail.skeleton if tail else ''}"
