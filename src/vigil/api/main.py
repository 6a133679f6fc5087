"""The ASGI app for multi-worker `vigil serve --workers N` (uvicorn imports it by name in each worker).
Settings come from the environment and vigil.toml, like any entry point above the library, or from the
file `vigil serve --config FILE` named (``VIGIL_CONFIG_FILE``, which is not a setting)."""

from __future__ import annotations

import os

from vigil.api.app import create_app
from vigil.core.settings import CONFIG_FILE_ENV, Settings

app = create_app(Settings.load(config=os.environ.get(CONFIG_FILE_ENV) or None, env=os.environ))
