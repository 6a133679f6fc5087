"""The only conftest. Shared fixtures: settings, stores on SQLite and PostgreSQL, the third-party data
folder (tests that need it skip when it is absent).

PostgreSQL runs use the server named by ``VIGIL_TEST_POSTGRES_URL`` (``.ci/run`` starts one on
loopback with ``scripts/pg-start``). Without it they are skipped with a notice at the end of the run;
with ``VIGIL_REQUIRE_POSTGRES=1`` (set by CI) a missing server is a failure instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from vigil.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("VIGIL_DATA_DIR", ROOT.parent / "shared" / "data"))
SEEDS_DIR = Path(os.environ.get("VIGIL_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))
PG_URL = os.environ.get("VIGIL_TEST_POSTGRES_URL", "")
KAFKA = os.environ.get("VIGIL_TEST_KAFKA", "")
REQUIRE_KAFKA = os.environ.get("VIGIL_REQUIRE_KAFKA", "") == "1"
REQUIRE_PG = os.environ.get("VIGIL_REQUIRE_POSTGRES", "") == "1"
CHROMIUM = os.environ.get("VIGIL_TEST_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("VIGIL_REQUIRE_BROWSER", "") == "1"
_pg_skipped: list[str] = []


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """``../shared/data``, or skip: the third-party sets are never committed to the repository."""
    if not DATA_DIR.is_dir():
        pytest.skip(f"third-party data not found at {DATA_DIR} (set VIGIL_DATA_DIR)")
    return DATA_DIR


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """``../shared/seeds``: the five news reports the project started from, or skip."""
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS_DIR} (set VIGIL_SEEDS_DIR)")
    return SEEDS_DIR


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'vigil.db'}")


def postgres_admin_url() -> str:
    if not PG_URL:
        reason = "PostgreSQL not configured (set VIGIL_TEST_POSTGRES_URL, e.g. from scripts/pg-start)"
        if REQUIRE_PG:
            pytest.fail(reason + " and VIGIL_REQUIRE_POSTGRES=1 requires it")
        _pg_skipped.append(reason)
        pytest.skip(reason)
    return PG_URL


def fresh_postgres_database() -> tuple[str, str]:
    """Create an empty database on the test server; return (url, name)."""
    import psycopg

    admin = postgres_admin_url()
    name = "vigil_t_" + uuid.uuid4().hex[:12]
    dsn = admin.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL at {admin} unreachable: {exc}")
        _pg_skipped.append(str(exc))
        pytest.skip(f"PostgreSQL at {admin} unreachable")
    base = admin.rsplit("/", 1)[0]
    return f"{base}/{name}", name


def drop_postgres_database(name: str) -> None:
    import psycopg

    dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL on each backend: the store contract runs on both."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'vigil.db'}"
        return
    url, name = fresh_postgres_database()
    yield url
    drop_postgres_database(name)


@pytest.fixture
def store_settings(db_url: str) -> Settings:
    return Settings(database_url=db_url)


@pytest.fixture
def store(store_settings: Settings) -> Iterator[object]:
    from vigil.store.sql import SqlStore

    s = SqlStore(store_settings)
    yield s
    s.close()


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    """The Kafka-compatible broker named by VIGIL_TEST_KAFKA (``scripts/kafka-start``), or skip;
    with VIGIL_REQUIRE_KAFKA=1 (CI) a missing broker fails instead."""
    if not KAFKA:
        reason = "Kafka broker not configured (set VIGIL_TEST_KAFKA, e.g. from scripts/kafka-start)"
        if REQUIRE_KAFKA:
            pytest.fail(reason + " and VIGIL_REQUIRE_KAFKA=1 requires it")
        _pg_skipped.append(reason)
        pytest.skip(reason)
    return KAFKA


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium (``apt-get install chromium``; never ``playwright install``) and the
    playwright package, or skip with a notice; with VIGIL_REQUIRE_BROWSER=1 (CI) a missing browser fails."""
    import importlib.util

    reason = None
    if importlib.util.find_spec("playwright") is None:
        reason = "the playwright package is not installed (pip install -e '.[dev]')"
    elif not Path(CHROMIUM).is_file():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install -y --no-install-recommends chromium)"
    if reason:
        if REQUIRE_BROWSER:
            pytest.fail(reason + " and VIGIL_REQUIRE_BROWSER=1 requires it")
        _pg_skipped.append(reason)
        pytest.skip(reason)
    return CHROMIUM


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _pg_skipped:
        terminalreporter.write_sep(
            "!", f"NOTICE: {len(_pg_skipped)} PostgreSQL/Kafka/browser test runs were SKIPPED: {sorted(set(_pg_skipped))}", yellow=True
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/**/*.out.json from the current code (review the diff before committing)",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True under ``--update-golden``: golden tests rewrite their expected output instead of comparing."""
    return bool(request.config.getoption("--update-golden"))
