"""Every `vigil` command imports the CLI and builds the plugin registry: what they load at import time
is paid by each command, and by each `vigil scan` before its first message. Heavy libraries that few
commands need are imported where they are used."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = """
import json, sys
import vigil.cli.app
from vigil.plugins import default_registry
default_registry()
import vigil.moderation.users as users
print(json.dumps({"modules": sorted(m for m in ("trafilatura", "faiss") if m in sys.modules),
                  "hashed": users.dummy_hash.cache_info().currsize}))
"""


def test_startup_leaves_heavy_libraries_and_the_password_hash_for_later() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=120)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"modules": [], "hashed": 0}
