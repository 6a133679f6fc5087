from __future__ import annotations

from pathlib import Path

import pytest

from vigil.core.errors import ConfigError
from vigil.core.settings import Settings, database_url_from_path


def test_settings_precedence_defaults_toml_env_flags(tmp_path: Path) -> None:
    cfg = tmp_path / "vigil.toml"
    cfg.write_text('batch_size = 200\nworkers = 3\npolicy = "toml"\n[plugins.csv]\ndelimiter = ";"\n')
    s = Settings.load(config=cfg, env={"VIGIL_WORKERS": "4", "VIGIL_POLICY": "env", "OTHER": "x"},
                      overrides={"policy": "flag", "batch_size": None})
    assert s.batch_size == 200  # toml over default; a None flag does not override
    assert s.workers == 4  # env over toml
    assert s.policy == "flag"  # flag over env
    assert s.max_item_bytes == Settings().max_item_bytes
    assert s.plugin_options("csv") == {"delimiter": ";"}


def test_settings_vigil_section_in_toml(tmp_path: Path) -> None:
    cfg = tmp_path / "vigil.toml"
    cfg.write_text('[vigil]\ntier2 = "never"\n')
    assert Settings.load(config=cfg).tier2 == "never"


def test_settings_errors_name_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown setting 'batchsize'"):
        Settings.load(overrides={"batchsize": 3})
    with pytest.raises(ConfigError, match="'workers' expects int, got 'many'"):
        Settings.load(env={"VIGIL_WORKERS": "many"})
    bad = tmp_path / "bad.toml"
    bad.write_text("workers = = 2")
    with pytest.raises(ConfigError, match="cannot read"):
        Settings.load(config=bad)
    with pytest.raises(ConfigError, match="does not exist"):
        Settings.load(config=tmp_path / "missing.toml")


def test_settings_every_setting_has_help() -> None:
    rows = Settings.describe()
    assert rows and all(help_text for _, help_text, _ in rows)


def test_settings_db_flag_accepts_path_or_url() -> None:
    assert database_url_from_path("x/v.db") == "sqlite:///x/v.db"
    assert database_url_from_path("postgresql://u@h/d") == "postgresql://u@h/d"
