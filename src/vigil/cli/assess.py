"""`vigil assess`: one text through every stage, under a policy, without storing it."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from vigil.assess import Assessor
from vigil.cli.common import ConfigOption, JsonOption, console, load_settings, print_json
from vigil.cli.render import safe
from vigil.core.errors import InputTooLarge, InvalidInput
from vigil.core.records import Assessment, ContentKind, RawItem
from vigil.ingest.base import content_id
from vigil.store.codec import context_json, evidence_json, plain


def assessment_json(a: Assessment) -> dict[str, Any]:
    """The public JSON shape of one assessment (`vigil assess --json`, the API)."""
    return {
        "action": a.action.value,
        "labels": {k: round(v, 4) for k, v in sorted(a.scores().items())},
        "context": context_json(a),
        "evidence": [
            {"label": ls.label.value, "classifier": ls.classifier, "tier": ls.tier, **evidence_json(e)}
            for ls in a.labels for e in ls.evidence
        ],
        "matches": [plain(m) for m in a.matches],
        "entities": [plain(e) for e in a.entities],
        "events": [plain(e) for e in a.events],
        "reasons": list(a.decision.reasons) if a.decision else [],
        "tier": a.tier,
        "language": a.item.language,
        "policy": a.decision.policy if a.decision else None,
    }


def assess(
    text: Annotated[str, typer.Argument(help="The text to assess, or - to read standard input.")],
    surface: Annotated[str, typer.Option("--surface", help="Policy surface, e.g. public_channel or private_chat.")] = "default",
    kind: Annotated[str, typer.Option("--kind", help="message or article.")] = "message",
    policy: Annotated[str | None, typer.Option("--policy", help="Policy name or YAML path (default: settings).")] = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Assess one text under the policy and print the action, label scores, context and evidence."""
    settings = load_settings(None, config, policy=policy)
    if text == "-":
        data = sys.stdin.buffer.read(settings.max_item_bytes + 1)
        if len(data) > settings.max_item_bytes:
            raise InputTooLarge("standard input", len(data), settings.max_item_bytes, "max_item_bytes")
        text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise InvalidInput("nothing to assess: the text is empty", hint="pass the text as an argument or on stdin with -")
    try:
        content_kind = ContentKind(kind)
    except ValueError as exc:
        raise InvalidInput(f"unknown kind {kind!r}", hint="use message or article") from exc
    raw = RawItem(source="cli", source_id=content_id(text), kind=content_kind, text=text,
                  payload=text.encode("utf-8", "surrogatepass"), connector="cli.v1", received_at=datetime.now(UTC))
    done, failed = Assessor(settings).assess([raw], surface=surface)
    if failed:
        f = failed[0]
        raise InvalidInput(f"stage {f.stage} ({f.plugin}) failed on this text: {f.message}")
    out = assessment_json(done[0])
    if as_json:
        print_json(out)
        return
    console.print(f"action: [bold]{out['action']}[/bold]  (tier {out['tier']}, {out['policy']}, language {out['language']})")
    for label, score in sorted(out["labels"].items(), key=lambda kv: -kv[1]):
        console.print(f"  {label:<20} {score:.2f}")
    for reason in out["reasons"]:
        console.print(f"  reason: {safe(reason)}")
    for ev in out["evidence"][:12]:
        console.print(f"  evidence [{ev['label']}] {ev['kind']}: {safe(ev['text'], 120)}")
    ctx = out["context"]
    if ctx:
        console.print(f"  reporting context {ctx['reporting']:.2f} ({ctx.get('source_type')})")
        for q in ctx["quotes"][:8]:
            console.print(f"    quote ({safe(q.get('speaker') or 'unattributed')}): {safe(q['text'], 140)}")
