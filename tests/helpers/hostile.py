"""A hostile Telegram Desktop export for the dashboard's safety tests: messages, a channel name, an
author and a forward source that carry script, HTML, CSS, template and bidi-override payloads, a
very long unbroken string, and a media path that tries to leave the export folder.

Each message pairs a payload with a short glorifying sentence taken from the fictional sample corpus
(`examples/`), so that the classifier flags it and it lands in the review queue, where a moderator
would see it. Every payload, if it ever ran, would set ``window.__pwned`` or open a dialog.
"""

from __future__ import annotations

import json
from pathlib import Path

FLAG = "window.__pwned"
PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    '<a href="javascript:window.__pwned=1">click me</a>',
    "</textarea><script>window.__pwned=1</script><textarea>",
    "<style>body{background:url(javascript:window.__pwned=1)} main{display:none}</style>",
    '<div style="width:expression(alert(1));background:url(http://tracker.invalid/x.png)">css</div>',
    "{{ 7*7 }} {% for x in range(3) %}{{ x }}{% endfor %} ${7*7} #{7*7}",
    "invoice\u202egnp.exe \u202eevil reversed text\u202c and \u2067isolate\u2069",
    '"><svg onload="window.__pwned=1"><iframe src="javascript:alert(1)"></iframe>',
    "A" * 6000,
)
CARRIER = "May God accept the lions of the caliphate who struck the crusaders. A blessed raid!"
CHANNEL = 'Echo <img src=x onerror="window.__pwned=1"> \u202eLennahc'
AUTHOR = "<script>alert(1)</script>"
FORWARD = '<b onmouseover="window.__pwned=1">Mirror</b>'
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5d4e6"
    "f60000000049454e44ae426082"
)


def write_hostile_export(folder: Path) -> Path:
    """Write ``folder/result.json`` (and one small photo); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "photos").mkdir(exist_ok=True)
    (folder / "photos" / "p1.png").write_bytes(PNG)
    messages = []
    for i, payload in enumerate(PAYLOADS, start=1):
        text = f"{payload} {CARRIER}"
        msg = {"id": i, "type": "message", "date": f"2024-03-2{4 + i % 5}T1{i % 10}:00:00", "from": AUTHOR,
               "from_id": "user666", "text": text, "text_entities": [{"type": "plain", "text": text}]}
        if i == 2:
            msg["photo"] = "photos/p1.png"
            msg["photo_file_size"] = len(PNG)
        if i == 3:
            msg["forwarded_from"] = FORWARD
            msg["text_entities"] = [{"type": "text_link", "text": text, "href": "javascript:window.__pwned=1"}]
            msg["text"] = [{"type": "text_link", "text": text, "href": "javascript:window.__pwned=1"}]
        if i == 4:
            msg["photo"] = "../../../../etc/passwd"
        messages.append(msg)
    export = {"name": CHANNEL, "type": "public_channel", "id": 6660001, "messages": messages}
    (folder / "result.json").write_text(json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder
