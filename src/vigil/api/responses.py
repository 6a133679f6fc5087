"""`Json`: the JSON response of the send-time path, encoded by orjson.

Starlette's `JSONResponse` encodes with the standard library (``ensure_ascii=False``, compact
separators); for a `/v1/moderate` answer that took ~20 µs of the ~2 ms a send costs the server, orjson
~2 µs (`vigil.core.jsonenc`). The bytes are the same compact UTF-8 JSON except that floats may be
written in another valid form (``1e-05`` as ``1e-5``). A value orjson refuses (a non-string key, an
integer beyond 64 bits) is encoded by the standard library as before.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse


class Json(JSONResponse):
    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content)
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            return super().render(content)
