from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import vigil
from vigil.core import yamlfile

BUNDLED = sorted(p for p in Path(vigil.__file__).parent.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def test_yamlfile_uses_libyaml_when_pyyaml_has_it() -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML was built without libyaml")
    assert yamlfile._LOADER is yaml.CSafeLoader


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_yamlfile_reads_every_bundled_file_as_pyyaml_safe_load_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yamlfile.safe_load(text) == yaml.safe_load(text)


def test_yamlfile_bundled_files_found() -> None:
    names = {p.name for p in BUNDLED}
    assert {"en.yaml", "default.yaml", "glossary.yaml"} <= names


def test_yamlfile_stays_safe_and_reports_where_the_error_is() -> None:
    with pytest.raises(yaml.YAMLError):
        yamlfile.safe_load("!!python/object/apply:os.system ['true']")
    with pytest.raises(yaml.YAMLError) as exc:
        yamlfile.safe_load("a: 1\nb: [2\nc: 3\n")
    assert "line" in str(exc.value)
