"""A brief per story, in the shape a monitoring lab publishes: who, what, when, where, the quotes with
their speakers, and a timeline chart. HTML (Jinja2, autoescaped: every string in a brief was
written by someone outside, possibly an attacker) and PDF.

PDF: fpdf2, a pure-Python PDF writer that installs from PyPI alone. WeasyPrint would render the
HTML itself but needs Pango and other system libraries from apt, and Chromium-based printing needs a
browser; fpdf2 needs neither. Text is set in DejaVu Sans, which matplotlib ships (Latin, Cyrillic
and Arabic glyphs, so no font download); with uharfbuzz installed, Arabic is shaped right-to-left.

Where it sits: `vigil export brief --story ID [--pdf]`.
"""

from __future__ import annotations

import base64
import importlib.util
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from vigil.core.errors import NotFound
from vigil.extract.gazetteer import load_gazetteer
from vigil.store import intel_queries

WHO_KINDS = ("person", "organisation", "outlet", "channel")


def brief_data(store: Any, story_id: int) -> dict[str, Any]:
    """Everything a brief shows, as plain data.

    Raises:
        NotFound: no story has that id.
    """
    story = intel_queries.get_story(store, story_id)
    if story is None:
        raise NotFound("story", story_id, hint="list stories with `vigil stories`")
    gaz = load_gazetteer()
    who = []
    for e in intel_queries.key_entities({k: v for k, v in _entities(store, story).items() if v["kind"] in WHO_KINDS}, 40):
        entry = gaz.get(e["key"])
        designations = gaz.designations_of(entry.id) if entry else ()
        note = entry.role or entry.description or "" if entry else ""
        if designations:
            note = (note + "; " if note else "") + "designated: " + ", ".join(
                f"{d.list_id} {d.year or ''}".strip() for d in designations)
        if entry is None and e["kind"] != "person" and (e["mentions"] or 0) < 2:
            continue  # a name only the NER found, once: too often a misreading to put under "Who"
        who.append({**e, "note": note, "known": entry is not None})
    who.sort(key=lambda e: (not e["known"], -(e["mentions"] or 0)))
    evs = story["events_detail"]
    what = [_event_line(ev) for ev in evs if ev["kind"] in ("call_to_attack", "attack")][:30]
    when = [f"items from {story['first_seen'][:10]} to {story['last_seen'][:10]}" if story["dated"]
            else "the items carry no publication date"]
    when += sorted({f"{ev['date']}: {intel_queries._event_label(ev)}" for ev in evs if ev["date"]})[:20]
    places = [e["canonical"] for e in intel_queries.key_entities(
        {k: v for k, v in _entities(store, story).items() if v["kind"] == "place"}, 12)]
    places += [ev["place"] for ev in evs if ev.get("place") and ev["place"] not in places]
    return {"story": story, "who": who, "what": what, "when": when, "where": places[:20],
            "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}


def _entities(store: Any, story: dict[str, Any]) -> dict[str, Any]:
    from sqlalchemy import select

    from vigil.store.schema_intel import stories

    with store.begin() as conn:
        return dict(conn.execute(select(stories.c.entities).where(stories.c.id == story["id"])).scalar_one() or {})


def _event_line(ev: dict[str, Any]) -> str:
    f = ev["fields"]
    if ev["kind"] == "call_to_attack":
        parts = [f"Call to attack by {f.get('speaker') or f.get('organisation') or 'an unnamed speaker'}"]
        if f.get("outlet") or f.get("medium"):
            parts.append("via " + " on ".join(x for x in (f.get("outlet"), f.get("medium")) if x))
        if f.get("duration_text"):
            parts.append(f"({f['duration_text']} {f.get('format') or 'message'})")
        if f.get("targets"):
            parts.append("targeting " + ", ".join(map(str, f["targets"])))
        if f.get("trigger"):
            parts.append(f"after the {f['trigger']}")
    else:
        parts = [f"{(f.get('type') or 'attack').capitalize()}" + (f" in {ev['place']}" if ev.get("place") else "")]
        if ev.get("deaths"):
            parts.append(f"{f.get('deaths_qualifier') or ''} {ev['deaths']} dead".strip())
        if f.get("claimed_by"):
            parts.append(f"claimed by {f['claimed_by']}")
    date = ev["date"] or (f"'{f['date_expression']}' (unresolved)" if f.get("date_expression") else "date unknown")
    return ", ".join(parts) + f" — {date} [{ev['source_id']}]"


def timeline_png(data: dict[str, Any]) -> bytes | None:
    """Items per day and dated events on one axis, as PNG; None when nothing is dated."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    rows = [t for t in data["story"]["timeline"] if t["date"] and len(t["date"]) == 10]
    if not rows:
        return None
    items: dict[datetime, int] = {}
    events: list[tuple[datetime, str]] = []
    for t in rows:
        day = datetime.fromisoformat(t["date"])
        if t["what"] == "item":
            items[day] = items.get(day, 0) + 1
        else:
            events.append((day, t["label"]))
    fig, ax = plt.subplots(figsize=(8, 2.6), dpi=110)
    if items:
        ax.bar(list(items), list(items.values()), width=0.8, color="#4a6fa5", label="items")  # type: ignore[arg-type]  # matplotlib plots datetimes
    for i, (day, label) in enumerate(events[:12]):
        ax.axvline(day, color="#a33", linewidth=1, linestyle="--")  # type: ignore[arg-type]
        ax.annotate(label[:40], (day, 0.2 + (i % 4) * 0.25), xycoords=("data", "axes fraction"), fontsize=7,
                    rotation=0, color="#a33")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))  # type: ignore[no-untyped-call]
    ax.set_ylabel("items")
    ax.set_title("Timeline: items per day (bars) and events (dashed)", fontsize=9)
    fig.autofmt_xdate()
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def render_html(data: dict[str, Any]) -> str:
    env = Environment(loader=PackageLoader("vigil.export", "templates"), autoescape=select_autoescape(default=True))
    png = timeline_png(data)
    chart = base64.b64encode(png).decode() if png else None
    return env.get_template("brief.html.j2").render(**data, chart=chart)


def _font_path() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def render_pdf(data: dict[str, Any]) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(_font_path()))
    if importlib.util.find_spec("uharfbuzz") is not None:
        pdf.set_text_shaping(True)  # right-to-left Arabic with joined letter forms
    pdf.add_page()
    story = data["story"]
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def text(s: str, size: int = 10, gap: float = 1.5) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(width, size * 0.5, s, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    text(story["title"], 15, 2)
    span = f"{story['first_seen'][:10]} to {story['last_seen'][:10]}" if story["dated"] else "undated items"
    text(f"Story #{story['id']} · {story['size']} items · {span} · generated {data['generated']} by Vigil", 8, 4)
    text("Who", 12)
    for e in data["who"]:
        text(f"• {e['canonical']} ({e['kind']}, {e['mentions']} mentions){': ' + e['note'] if e['note'] else ''}", 9, 0.5)
    text("What", 12)
    for line in data["what"] or ["no attacks or calls to attack extracted"]:
        text(f"• {line}", 9, 0.5)
    text("When", 12)
    for line in data["when"]:
        text(f"• {line}", 9, 0.5)
    text("Where", 12)
    text(", ".join(data["where"]) or "no places extracted", 9)
    text("Quotes", 12)
    for q in story["quotes"][:30] or [{"text": "no quotes with attribution were found", "speaker": None, "cue": None, "source_id": "-"}]:
        text(f"“{q['text'][:1200]}”", 9, 0)
        text(f"— {q['speaker'] or 'unattributed'}{' (' + q['cue'] + ')' if q.get('cue') else ''}, in {q['source_id']}", 8, 1.5)
    text("Timeline", 12)
    png = timeline_png(data)
    if png:
        pdf.image(io.BytesIO(png), w=width)
        pdf.ln(2)
    for t in story["timeline"][:80]:
        text(f"{t['date'] or 'undated'}  {t['what']}  {t['label'][:150]}  [{t['source_id']}]", 8, 0.3)
    return bytes(pdf.output())
