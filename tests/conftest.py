"""The only conftest. Shared fixtures: settings, temporary SQLite and PostgreSQL stores, the
third-party data folder (tests that need it skip when it is absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vigil.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _data_dir() -> Path:
    return Path(os.environ.get("VIGIL_DATA_DIR", ROOT.parent / "shared" / "data"))


DATA_DIR = _data_dir()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """``../shared/data``, or skip: the third-party sets are never committed to the repository."""
    if not DATA_DIR.is_dir():
        pytest.skip(f"third-party data not found at {DATA_DIR} (set VIGIL_DATA_DIR)")
    return DATA_DIR


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'vigil.db'}")


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
