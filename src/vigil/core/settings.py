"""One `Settings` object for the whole process.

Precedence, lowest to highest: the defaults below, ``vigil.toml`` (``--config`` or the working
directory), ``VIGIL_*`` environment variables, then CLI flags. Only ``cli/`` and ``api/`` read the
environment; everything below them receives a `Settings` in its constructor.

Secrets never live here as values: a setting may name an environment variable holding one.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from vigil.core.errors import ConfigError

ENV_PREFIX = "VIGIL_"
CONFIG_FILE = "vigil.toml"
# the config file `vigil serve --config FILE` passes to its worker processes (not a setting: ignored by
# `Settings.load`'s environment pass, which only takes VIGIL_ names of settings)
CONFIG_FILE_ENV = "VIGIL_CONFIG_FILE"


def _setting(default: Any, help: str) -> Any:
    if isinstance(default, dict | list):
        return field(default_factory=lambda: type(default)(default), metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    database_url: str = _setting(
        "sqlite:///vigil.db",
        "Where Vigil stores everything: a SQLite file (sqlite:///path.db) or PostgreSQL "
        "(postgresql+psycopg://user@host/db). `--db FILE` sets it from the command line.",
    )
    max_item_bytes: int = _setting(1_000_000, "Largest single record (message, row, article) read, in bytes.")
    max_text_chars: int = _setting(100_000, "Longest text assessed; longer texts are cut and the cut is recorded.")
    max_file_bytes: int = _setting(4_000_000_000, "Largest input file accepted, in bytes.")
    batch_size: int = _setting(1000, "Records written and assessed per transaction during a scan.")
    workers: int = _setting(1, "Processes that normalize and classify in parallel during a scan (1 = in-process).")
    policy: str = _setting("default", "Policy: a built-in name or the path of a policy YAML file.")
    model: str = _setting("default", "Classifier model: a built-in name or the path of a model artifact folder.")
    classifiers: str = _setting(
        "auto",
        "Classifiers to run, comma-separated (e.g. 'lexicon'); auto = the cascade (which includes the lexicon) "
        "plus any other registered classifier.",
    )
    tier2_low: float = _setting(0.2, "Tier 2 runs when the best tier-1 harm score is at least this ...")
    tier2_high: float = _setting(0.8, "... and below this (the 'unsure' band of the cascade).")
    tier2: str = _setting("auto", "Tier 2 embeddings: auto (when unsure), always, or never.")
    context: bool = _setting(True, "Run the reporting-context stage (framing cues, quotes and speakers).")
    extract: str = _setting(
        "auto",
        "Entity and event extraction: auto (articles and items carrying a label or reporting context), always, or never.",
    )
    stories: str = _setting(
        "auto",
        "Story clustering: auto (articles and items carrying a label, reporting context, entities or events), always, or never.",
    )
    story_embedder: str = _setting("auto", "Text vectors for stories: use (multilingual USE, offline), hashing, or auto.")
    story_threshold: float = _setting(0.5, "An item joins the most similar story at or above this similarity.")
    story_window_days: float = _setting(14.0, "An item only joins a story whose span, widened by this many days, covers its date.")
    alert_webhook_env: str = _setting(
        "", "Name of the environment variable holding the alert webhook URL (empty: alerts are only stored)."
    )
    alert_webhook_secret_env: str = _setting(
        "", "Name of the environment variable holding the secret that signs webhook bodies (HMAC-SHA256)."
    )
    alert_webhook_timeout: float = _setting(5.0, "Seconds before one webhook attempt times out.")
    alert_webhook_retries: int = _setting(3, "Retries of a failed webhook delivery, with exponential backoff.")
    language_min_score: float = _setting(0.3, "Below this language-identification confidence the language is 'und'.")
    data_dir: str = _setting("../shared/data", "Folder of third-party labelled data sets used by `vigil train` and `vigil eval`.")
    plugins_dir: str = _setting("", "Extra folder of plugin modules to load (each must define MANIFEST).")
    kafka_bootstrap: str = _setting("", "Kafka bootstrap servers (host:port,...) for `vigil stream`.")
    kafka_group: str = _setting("vigil", "Kafka consumer group of `vigil stream consume`; members share partitions.")
    log_level: str = _setting("WARNING", "Logging level: DEBUG, INFO, WARNING or ERROR.")
    api_tier2: str = _setting(
        "never",
        "Tier 2 of the cascade at send time (POST /v1/moderate): never keeps every decision on the "
        "millisecond tier-1 path (one embedding costs ~10-20 ms); auto or always trade latency for accuracy.",
    )
    api_extract: str = _setting(
        "never",
        "Entity and event extraction at send time (spaCy costs ~10-40 ms an item); scans and analysts' "
        "ingest extract anyway. auto, always or never.",
    )
    api_host: str = _setting("127.0.0.1", "Address `vigil serve` listens on (loopback by default; put a TLS proxy in front).")
    api_port: int = _setting(8000, "Port `vigil serve` listens on.")
    api_max_body_bytes: int = _setting(2_000_000, "Largest HTTP request body accepted, in bytes (larger: 413).")
    api_max_batch: int = _setting(1000, "Most items in one `POST /v1/items` batch.")
    api_rate_per_s: float = _setting(1000.0, "Requests per second allowed per API key (token bucket; over it: 429).")
    api_rate_burst: float = _setting(2000.0, "Burst size of each API key's token bucket.")
    api_threads: int = _setting(8, "Threads that run API requests in one process (the database pool matches it).")
    api_key_cache_s: float = _setting(5.0, "Seconds a validated API key is cached per process (a revocation takes at most this long).")
    api_balance: bool = _setting(
        False,
        "With `vigil serve --workers N`: a worker much busier than its least busy sibling answers a send now "
        "and then with Connection: close, so the client's next connection lands on an idle worker "
        "(vigil.api.balance). Off by default: it evens the workers' load, but its effect on p99 was not "
        "consistent on the two-vCPU host it was measured on (docs/service.md).",
    )
    web: bool = _setting(True, "Serve the web dashboard under /ui on the same server as the API.")
    web_session_hours: float = _setting(8.0, "A dashboard sign-in lasts at most this many hours (server-side expiry).")
    web_idle_minutes: float = _setting(60.0, "A dashboard session unused this many minutes expires.")
    web_secret_env: str = _setting(
        "", "Name of the environment variable holding the secret that signs dashboard cookies "
            "(empty: a random secret is generated once and kept in the database)."
    )
    web_login_max_failures: int = _setting(5, "Failed sign-ins per user name, or per client address, before sign-in is refused ...")
    web_login_window_minutes: float = _setting(15.0, "... for this many minutes (login rate limiting).")
    web_secure_cookies: bool = _setting(
        False, "Mark dashboard cookies Secure (set it when a TLS proxy serves the dashboard over https)."
    )
    web_media_dirs: str = _setting(
        "", "Export folders (separated by the OS path separator) whose media files the dashboard may show; "
            "empty: media is shown as a placeholder only. Remote media is never fetched."
    )
    plugins: dict[str, Any] = _setting({}, "Options per plugin, under [plugins.<name>] in vigil.toml.")

    # ---- loading -------------------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        *,
        config: str | Path | None = None,
        env: Mapping[str, str] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> Settings:
        """Build settings from defaults < vigil.toml < VIGIL_* env < overrides (CLI flags).

        Raises:
            ConfigError: an unknown key, a value of the wrong type, or an unreadable config file.
        """
        values: dict[str, Any] = {}
        path = Path(config) if config else Path(CONFIG_FILE)
        if config and not path.is_file():
            raise ConfigError(f"config file {str(path)!r} does not exist", hint="check the --config path")
        if path.is_file():
            values.update(cls._from_toml(path))
        if env is not None:
            values.update(cls._from_env(env))
        for key, value in (overrides or {}).items():
            if value is not None:
                values[key] = value
        return cls._build(values, origin="settings")

    @classmethod
    def _from_toml(cls, path: Path) -> dict[str, Any]:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read {str(path)!r}: {exc}", hint="fix the TOML syntax") from exc
        section = data.get("vigil", data)
        return {key.replace("-", "_"): value for key, value in section.items()}

    @classmethod
    def _from_env(cls, env: Mapping[str, str]) -> dict[str, Any]:
        names = {f.name for f in fields(cls)}
        out: dict[str, Any] = {}
        for key, value in env.items():
            if not key.startswith(ENV_PREFIX):
                continue
            name = key[len(ENV_PREFIX) :].lower()
            if name in names and name != "plugins":
                out[name] = value
        return out

    @classmethod
    def _build(cls, values: Mapping[str, Any], origin: str) -> Settings:
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in values.items():
            f = known.get(key)
            if f is None:
                raise ConfigError(
                    f"unknown setting {key!r} in {origin}",
                    hint="run `vigil settings` to list the settings",
                )
            kwargs[key] = _coerce(f, value)
        return cls(**kwargs)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def plugin_options(self, name: str) -> dict[str, Any]:
        options = self.plugins.get(name, {})
        return dict(options) if isinstance(options, dict) else {}

    @classmethod
    def describe(cls) -> list[tuple[str, str, Any]]:
        """(name, help, default) of every setting, for `vigil settings` and the docs test."""
        out = []
        for f in fields(cls):
            default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            out.append((f.name, str(f.metadata.get("help", "")), default))
        return out


def _coerce(f: dataclasses.Field[Any], value: Any) -> Any:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            if isinstance(value, str):
                return value.strip().lower() in {"1", "true", "yes", "on"}
            return bool(value)
        if kind == "str":
            return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"setting {f.name!r} expects {kind}, got {value!r}", hint=f"give {f.name} a valid {kind}"
        ) from exc
    if kind.startswith("dict") and not isinstance(value, dict):
        raise ConfigError(f"setting {f.name!r} expects a table, got {value!r}")
    return value


def database_url_from_path(value: str) -> str:
    """`--db` accepts a file path or a full SQLAlchemy URL."""
    if "://" in value:
        return value
    return f"sqlite:///{value}"
