"""A realistic generated Telegram Desktop export for benchmarks: a channel's mix of chatter, news
links, forwarded posts, Arabic and Russian messages, replies, edits, media and a small share of
paraphrased propaganda-like lines (short, written for this benchmark, never real material).

    .venv/bin/python bench/gen_telegram.py OUT.json --messages 100000 [--seed 7]

The file is written as a stream, so generating 1M messages needs no memory.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

CHATTER = [
    "Anyone watching the match tonight?", "good morning brothers and sisters", "Thanks for sharing this",
    "The weather here is terrible again, rain all week.", "Does anyone have the link to yesterday's lecture?",
    "lol that's exactly what I said", "Ramadan Mubarak to everyone", "I will be offline for a few days.",
    "Prices went up again at the market, bread is twice what it was last year.",
    "Can someone translate this for me please?", "Happy birthday bro!", "ok", "Ameen",
]
NEWS = [
    "Breaking: explosion reported near the central station, police ask people to avoid the area {url}",
    "Officials say at least {n} people were killed in the attack on {place}, according to Reuters.",
    "The ministry said on Thursday that {n} suspects had been detained after the shooting.",
    "Analysts warn the group is trying to rebuild its online presence after the crackdown. {url}",
    "Video: residents of {place} clear rubble after overnight strikes {url}",
]
ARABIC = ["صباح الخير يا إخوة", "اللهم انصر إخواننا المستضعفين", "أخبار عاجلة من {place_ar}", "تقبل الله منا ومنكم"]
RUSSIAN = ["Доброе утро всем", "Новости из {place_ru}: взрыв в центре города", "Спасибо за информацию"]
HARMFUL = [
    "Brothers, rise up and strike the crusaders wherever you find them",
    "A blessed raid by the lions of the caliphate, may Allah accept them",
    "Make hijrah and join the ranks of the soldiers of the khilafah",
    "Donate to support the mujahideen, contact the admin for the wallet",
    "New release from the official outlet, share before it is deleted",
]
PLACES = ["Moscow", "Kabul", "Paris", "Mosul", "Raqqa", "Maiduguri", "Marawi", "Brussels"]
PLACES_AR = ["الموصل", "الرقة", "دمشق"]
PLACES_RU = ["Москвы", "Казани", "Грозного"]


def text_for(rng: random.Random) -> object:
    roll = rng.random()
    fill = {
        "url": f"https://t.me/news_{rng.randint(1, 99)}/{rng.randint(1, 9999)}", "n": rng.randint(2, 150),
        "place": rng.choice(PLACES), "place_ar": rng.choice(PLACES_AR), "place_ru": rng.choice(PLACES_RU),
    }
    if roll < 0.45:
        base = rng.choice(CHATTER)
    elif roll < 0.70:
        base = rng.choice(NEWS).format(**fill)
    elif roll < 0.82:
        base = rng.choice(ARABIC).format(**fill)
    elif roll < 0.90:
        base = rng.choice(RUSSIAN).format(**fill)
    elif roll < 0.93:
        base = rng.choice(HARMFUL)
    else:
        base = " ".join(rng.choice(CHATTER) for _ in range(rng.randint(2, 5)))
    if rng.random() < 0.2:  # rich text entities, as Telegram exports them
        cut = len(base) // 2
        return [base[:cut], {"type": "bold", "text": base[cut:]}, " ", {"type": "hashtag", "text": "#news"}]
    return base


def message(i: int, rng: random.Random) -> dict[str, object]:
    ts = 1711100000 + i * 7
    msg: dict[str, object] = {
        "id": i, "type": "message", "date": "2024-03-22T12:00:00", "date_unixtime": str(ts),
        "from": f"user{rng.randint(1, 500)}", "from_id": f"user{rng.randint(1, 500)}", "text": text_for(rng),
    }
    r = rng.random()
    if r < 0.10 and i > 1:
        msg["reply_to_message_id"] = rng.randint(max(1, i - 50), i - 1)
    elif r < 0.15:
        msg["forwarded_from"] = f"channel {rng.randint(1, 40)}"
    elif r < 0.18:
        msg["photo"] = f"photos/photo_{i}@22-03-2024_12-00-00.jpg"
        msg["width"], msg["height"] = 1280, 720
    if rng.random() < 0.03:
        msg["edited"] = "2024-03-22T12:05:00"
        msg["edited_unixtime"] = str(ts + 300)
    return msg


def write_export(path: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{\n "name": "Bench Channel",\n "type": "public_channel",\n "id": 1000001,\n "messages": [\n')
        for i in range(1, count + 1):
            if i % 997 == 0:
                fh.write(json.dumps({"id": i, "type": "service", "date": "2024-03-22T12:00:00",
                                     "date_unixtime": "1711100000", "action": "pin_message", "text": ""}))
            else:
                fh.write(json.dumps(message(i, rng), ensure_ascii=False))
            fh.write(",\n" if i < count else "\n")
        fh.write(" ]\n}\n")
    return path


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    write_export(args.out, args.messages, args.seed)
