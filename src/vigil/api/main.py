"""The ASGI app for multi-worker `vigil serve --workers N` (uvicorn imports it by name in each worker).
Settings come from the environment and vigil.toml, like any entry point above the library."""

from __future__ import annotations

import os

from vigil.api.app import create_app
from vigil.core.settings import Settings

app = create_app(Settings.load(env=os.environ))
