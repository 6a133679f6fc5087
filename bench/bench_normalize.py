"""Throughput of the normalizer chain and of the lexicon classifier on a realistic generated mix.

    .venv/bin/python bench/bench_normalize.py [--n 20000] [--repeat 5] [--seed 7]

The mix (seeded, so every run sees the same messages) imitates a messaging platform: mostly ordinary
chat and news in English, Arabic and Russian, some with URLs, handles, hashtags and emoji, and a minority
of obfuscated or extremist-sounding messages (paraphrased, short). Texts are ~40-300 characters, about
150 on average. Each figure is the best of ``--repeat`` runs on one core, because a shared machine adds
noise that only ever slows a run down. Times are CPU time of this process (``time.process_time``), which
on a quiet machine equals wall time for this single-threaded work and on a loaded one is much less
distorted by other processes; ``--wall`` reports wall-clock time instead.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from vigil.classify.lexicon import LexiconClassifier  # noqa: E402
from vigil.core.records import ContentKind, Item, RawItem  # noqa: E402
from vigil.core.settings import Settings  # noqa: E402
from vigil.normalize.arabic import ArabicNormalizer  # noqa: E402
from vigil.normalize.base import NormalizerChain  # noqa: E402
from vigil.normalize.entities import EntitiesNormalizer  # noqa: E402
from vigil.normalize.fold import FoldNormalizer  # noqa: E402
from vigil.normalize.language import LanguageNormalizer  # noqa: E402
from vigil.normalize.unicode import UnicodeNormalizer  # noqa: E402

EN = [
    "Are we still meeting at the cafe tomorrow at ten? I can bring the documents for the project.",
    "The city council voted on Thursday to extend the bus line to the new hospital, officials said.",
    "Police said two people were injured in a shooting near the market late on Friday evening.",
    "Happy birthday brother, may Allah bless you and your family with health and happiness!",
    "Breaking: the ministry announced that schools will reopen next week after the storm.",
    "This new album kills, the band really blew up the stage last night. Best concert of the year.",
    "Reminder: the football match has been moved to Sunday because of the weather forecast.",
    "The attack on the theater left 143 dead; the group claimed responsibility hours later, Reuters reported.",
    "Can someone send me the link to the lecture notes? I missed the class on Monday.",
    "Prices went up again this month, bread and fuel are now twice what they were last year.",
]
AR = [
    "السلام عليكم ورحمة الله وبركاته، هل الاجتماع غدا في الساعة العاشرة؟",
    "أعلنت وزارة الصحة افتتاح مستشفى جديد في المدينة الأسبوع القادم.",
    "رمضان كريم وكل عام وأنتم بخير، تقبل الله منا ومنكم صالح الأعمال.",
    "قُتل ١٤٣ شخصاً في هجوم على قاعة للحفلات في موسكو يوم الجمعة حسب وكالات الأنباء.",
]
RU = [
    "Встречаемся завтра у метро в десять, не забудь документы для проекта.",
    "В пятницу в Москве произошло нападение на концертный зал, погибли 143 человека.",
    "Цены на хлеб и бензин снова выросли, сообщает министерство.",
]
HARMFUL = [
    "we urge the lone w0lves to t@rget the crus@ders everywhere, take revenge for your religion",
    "K I L L them wherever you find them, o muslims rise up",
    "Lions of the caliphate carried out a blessed operation, may Allah accept them 🔥🔥",
    "make hijrah to the lands of the I.S.I.S and join the ranks of the mujahideen t.me/example_channel",
    "donate to the mujahideen, send btc to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
    "ندعو الذئاب المنفردة إلى استهداف الصليبيين في كل مكان",
    "Призываем братьев убивать неверных крестоносцев",
    "іѕіѕ d@esh kiiiill them all",
]
EXTRAS = [
    " https://example.com/news/2024/03/28",
    " @some_channel",
    " #breaking #news",
    " 🙏❤️",
    " t.me/somechannel",
    "",
]


def generate(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        r = rng.random()
        pool = EN if r < 0.55 else AR if r < 0.75 else RU if r < 0.9 else HARMFUL
        text = rng.choice(pool)
        if rng.random() < 0.4:  # a second sentence
            text += " " + rng.choice(pool)
        text += rng.choice(EXTRAS)
        out.append(text[:300])
    return out


CLOCK: Callable[[], float] = time.process_time


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = CLOCK()
        fn()
        times.append(CLOCK() - t0)
    return min(times)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wall", action="store_true", help="measure wall-clock instead of CPU time")
    parser.add_argument(
        "--micro",
        action="store_true",
        help="also time single typical messages with many short repeats (the minimum approximates a quiet core)",
    )
    args = parser.parse_args(argv)
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter

    settings = Settings()
    normalizers = [
        cls(settings)
        for cls in (
            UnicodeNormalizer,
            ArabicNormalizer,
            FoldNormalizer,
            EntitiesNormalizer,
            LanguageNormalizer,
        )
    ]
    chain = NormalizerChain(normalizers, settings)
    lexicon = LexiconClassifier(settings)
    when = datetime(2024, 3, 28, tzinfo=UTC)
    texts = generate(args.n, args.seed)
    raws = [
        RawItem("bench", str(i), ContentKind.MESSAGE, t, b"", "bench.v1", when) for i, t in enumerate(texts)
    ]
    n = len(raws)
    print(
        f"{n} messages, mean {statistics.mean(map(len, texts)):.0f} characters, best of {args.repeat} runs, one core, "
        f"{'wall-clock' if args.wall else 'CPU'} time"
    )

    items: list[Item] = [chain(r) for r in raws]
    chain_s = best_of(args.repeat, lambda: [chain(r) for r in raws])
    print(f"  normalizer chain     {chain_s / n * 1e6:7.1f} µs/message  {n / chain_s:9,.0f} messages/s")
    for norm in chain.normalizers:
        before = [_state_before(chain, norm, r) for r in raws[:5000]]
        s = best_of(args.repeat, lambda norm=norm, before=before: [norm.apply(it) for it in before])
        print(f"    {norm.name:18s} {s / len(before) * 1e6:7.1f} µs/message")
    lex_s = best_of(args.repeat, lambda: lexicon.classify(items))
    print(f"  lexicon classifier   {lex_s / n * 1e6:7.1f} µs/message  {n / lex_s:9,.0f} messages/s")
    both = chain_s + lex_s
    print(f"  chain + lexicon      {both / n * 1e6:7.1f} µs/message  {n / both:9,.0f} messages/s")
    flagged = sum(1 for scores in lexicon.classify(items) if any(ls.score >= 0.5 for ls in scores))
    print(f"  lexicon flags (any label >= 0.5): {flagged / n:.1%} of the mix")
    if args.micro:
        micro(chain, lexicon, when)


def micro(chain: NormalizerChain, lexicon: LexiconClassifier, when: datetime) -> None:
    """Minimum over many short runs per message: what one message costs when nothing else runs."""
    import timeit

    samples = {
        "english": EN[0] + " " + EN[1][:60],
        "arabic": AR[1] + " " + AR[0][:40],
        "russian": RU[0] + " " + RU[2],
    }
    samples["obfuscated"] = HARMFUL[0] + " " + HARMFUL[7]
    for name, text in samples.items():
        raw = RawItem("bench", "1", ContentKind.MESSAGE, text, b"", "bench.v1", when)
        item = chain(raw)
        c = min(timeit.repeat(lambda raw=raw: chain(raw), number=200, repeat=30)) / 200 * 1e6
        lx = min(timeit.repeat(lambda item=item: lexicon.classify([item]), number=200, repeat=30)) / 200 * 1e6
        print(f"  micro {name:11s} {len(text):4d} chars  chain {c:6.1f} µs  lexicon {lx:6.1f} µs")


def _state_before(chain: NormalizerChain, target: object, raw: RawItem) -> Item:
    from vigil.normalize.base import start_item

    item = start_item(raw, chain.settings.max_text_chars)
    for norm in chain.normalizers:
        if norm is target:
            return item
        item = norm.apply(item)
    return item


if __name__ == "__main__":
    main()
