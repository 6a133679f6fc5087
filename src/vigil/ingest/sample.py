"""The ``sample`` connector: a small built-in set of short items, so ``vigil scan sample`` and the demo
work with no data and no network.

Where it sits: ``vigil scan sample`` ─► SampleConnector.fetch ─► Batch ─► store, like any connector.

The texts are written for this project: short paraphrases in the style of the news reports in
``seeds/`` (praise of an attack, a call on "lone wolves", a call to migrate, a donation appeal, a
media-arm release note), news-style reporting that quotes them, and benign chatter, some of it
deliberately close to the harmful wording ("attack this exam", the Crusaders rugby team). Places and
handles in them are fictional; none gives an instruction. ``meta["expected"]`` holds the labels each
item was written to carry (empty for benign), for demos and smoke tests; it is not ground truth for
evaluation.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from vigil.core.errors import InvalidInput
from vigil.core.records import ContentKind, RawItem
from vigil.core.registry import Manifest
from vigil.ingest.base import Batch, Connector, dumps, now_utc
from vigil.ingest.batching import BatchBuilder

TARGET = "sample"
_START = datetime(2024, 3, 23, 8, 0, tzinfo=UTC)

# (id, language, expected labels, author, text)
SAMPLE_ITEMS: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    # incitement
    ("en-incitement-1", "en", ("incitement",), "nashir_relay",
     "Lone wolves, rise up and strike the crusaders wherever you find them, in America and in Europe."),
    ("ar-incitement-1", "ar", ("incitement",), "nashir_relay",
     "أيها الذئاب المنفردة انفروا واضربوا اليهود والصليبيين في كل مكان"),
    ("ru-incitement-1", "ru", ("incitement",), "vestnik_relay",
     "Одинокие волки, поднимайтесь и бейте крестоносцев везде, где их найдёте."),
    # glorification
    ("en-glorification-1", "en", ("glorification",), "nashir_relay",
     "May God accept the lions who carried out the blessed raid on the concert hall. Heroes of the caliphate!"),
    ("ar-glorification-1", "ar", ("glorification",), "nashir_relay",
     "تقبل الله إخواننا منفذي الغزوة المباركة، أسود الخلافة"),
    ("ru-glorification-1", "ru", ("glorification",), "vestnik_relay",
     "Слава братьям, совершившим благословенный налёт на концертный зал. Герои халифата!"),
    # recruitment
    ("en-recruitment-1", "en", ("recruitment",), "hijra_desk",
     "Young Muslims, make hijra to the lands of the caliphate and join the ranks. Write to our brother here."),
    ("ar-recruitment-1", "ar", ("recruitment",), "hijra_desk",
     "يا شباب الإسلام هاجروا إلى أرض الخلافة وانضموا إلى صفوف المجاهدين"),
    ("ru-recruitment-1", "ru", ("recruitment",), "vestnik_relay",
     "Братья, совершайте хиджру в земли халифата и вступайте в ряды муджахидов."),
    # material support
    ("en-support-1", "en", ("material_support",), "sadaqa_box",
     "Support the mujahideen with your wealth: donate to equip the brothers, details pinned in the channel."),
    ("ar-support-1", "ar", ("material_support",), "sadaqa_box",
     "ادعموا المجاهدين بأموالكم، تبرعوا لتجهيز الإخوة في الثغور"),
    # instruction (named, never given)
    ("en-instruction-1", "en", ("instruction",), "idad_library",
     "New release: part two of the weapons training series for the soldiers of the caliphate is in the channel."),
    ("ar-instruction-1", "ar", ("instruction",), "idad_library",
     "دورة الإعداد الجديدة لصناعة المتفجرات: الجزء الثاني متوفر الآن في القناة"),
    # official propaganda
    ("en-official-1", "en", ("official_propaganda",), "furqan_mirror",
     "Al Furqan Media presents a new audio message from the official spokesman: 'And the Believers Shall Rejoice'."),
    ("ar-official-1", "ar", ("official_propaganda",), "furqan_mirror",
     "مؤسسة الفرقان للإنتاج الإعلامي تقدم: كلمة صوتية جديدة للمتحدث الرسمي"),
    ("en-official-2", "en", ("official_propaganda",), "amaq_mirror",
     "Amaq Agency: soldiers of the Islamic State carried out the attack on the concert hall in Moscow."),
    # threat (fictional place)
    ("en-threat-1", "en", ("threat",), "anon_4471",
     "This Saturday our brothers will be waiting at the Harbor Lights festival in Eastport. You have been warned."),
    ("ru-threat-1", "ru", ("threat",), "anon_4471",
     "В эту субботу на ярмарке в Северограде прольётся кровь неверных, мы будем там."),
    # reporting
    ("en-reporting-1", "en", ("reporting",), "eastport_herald",
     "ISIS spokesman Abu Hudhayfah al-Ansari urged 'lone wolves' to target Jews and Crusaders, according to "
     "the audio message released by Al Furqan, researchers said."),
    ("en-reporting-2", "en", ("reporting",), "monitor_lab",
     "Monitoring brief: a pro-ISIS channel praised the Moscow attack as a 'smart strike'; we archived the post "
     "and reported it to the platform."),
    ("ar-reporting-1", "ar", ("reporting",), "monitor_lab",
     "قال باحثون إن قناة موالية لتنظيم داعش دعت أنصارها إلى شن هجمات في أوروبا، بحسب مجموعة رصد."),
    ("ru-reporting-1", "ru", ("reporting",), "monitor_lab",
     "По данным исследователей, канал сторонников ИГ призвал «одиноких волков» к нападениям после теракта в Москве."),
    ("en-reporting-3", "en", ("reporting",), "eastport_herald",
     "Telegram said it blocked tens of thousands of attempts to send the message and banned thousands of accounts."),
    # benign, some close to the harmful wording
    ("en-benign-1", "en", (), "maya_k", "Does anyone have the bus timetable for the weekend? The harbour festival looks fun."),
    ("en-benign-2", "en", (), "coach_tom", "We are going to attack this exam tomorrow, wish us luck!"),
    ("en-benign-3", "en", (), "rugby_fan", "The Crusaders won the rugby final last night, what a match."),
    ("ar-benign-1", "ar", (), "salma", "صباح الخير، الجو جميل اليوم في المدينة"),
    ("ru-benign-1", "ru", (), "dima", "Кто-нибудь знает хороший рецепт плова на выходные?"),
)


class SampleConnector(Connector):
    """Needs no file: ``vigil scan sample``."""

    name = "sample"
    formats = ("sample",)

    @classmethod
    def sniff(cls, path: object, head: bytes) -> int:
        return 0  # never picked for a file

    def fetch(self, target: str = TARGET, checkpoint: str | None = None) -> Iterator[Batch]:
        if target not in (TARGET, ""):
            raise InvalidInput(
                f"the sample connector reads no file (got {target!r})",
                hint="run `vigil scan sample`, or pick another --format for a file",
            )
        start = _parse_checkpoint(checkpoint)
        builder = BatchBuilder(self.settings.batch_size)
        received = now_utc()
        for index, (item_id, language, expected, author, text) in enumerate(SAMPLE_ITEMS):
            if index < start:
                continue
            published = _START + timedelta(minutes=37 * index)
            record = {"id": item_id, "language": language, "author": author, "text": text,
                      "date": published.isoformat(), "expected": list(expected)}
            builder.add(
                RawItem(
                    source=TARGET,
                    source_id=item_id,
                    kind=ContentKind.MESSAGE,
                    text=text,
                    payload=dumps(record),
                    connector=self.id,
                    received_at=received,
                    published_at=published,
                    author=author,
                    channel="sample",
                    locator=f"sample#{index}",
                    meta={"language": language, "expected": list(expected)},
                )
            )
            if builder.full:
                yield builder.take(f"sample1:{index + 1}")
        if builder.pending:
            yield builder.take(f"sample1:{len(SAMPLE_ITEMS)}")


def _parse_checkpoint(checkpoint: str | None) -> int:
    if not checkpoint:
        return 0
    prefix = "sample1:"
    if checkpoint.startswith(prefix) and checkpoint[len(prefix) :].isdigit():
        return int(checkpoint[len(prefix) :])
    raise InvalidInput(
        f"checkpoint {checkpoint!r} was not written by the sample connector",
        hint="scan without a checkpoint (re-reading is idempotent)",
    )


MANIFEST = Manifest(connectors=(SampleConnector,))
