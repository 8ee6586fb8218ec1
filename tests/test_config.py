from __future__ import annotations

from pathlib import Path

import pytest

from mlnudge.config import ConfigError, build_config, json_schema, load_config, path_matches
from mlnudge.finding import Severity


@pytest.mark.parametrize(
    ("path", "glob", "expected"),
    [
        ("src/pkg/train.py", "src/", True),
        ("src/pkg/train.py", "src", True),
        ("src/pkg/train.py", "*.py", True),
        ("src/pkg/train.py", "train.py", True),
        ("src/pkg/train.py", "src/*.py", False),
        ("src/pkg/train.py", "src/**/*.py", True),
        ("src/pkg/train.py", "scripts/", False),
        ("notebooks/a.ipynb", "notebooks/**", True),
        ("a/notebooks/a.ipynb", "/notebooks/", False),
    ],
)
def test_path_matches(path: str, glob: str, expected: bool) -> None:
    assert path_matches(path, glob) is expected


def test_defaults_without_any_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.mode == "advisory"
    assert config.fail_on is Severity.WARNING
    assert config.source is None
    assert config.enabled("MLN201")


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mlnudge]\nmode = "strict"\nignore = ["MLN2"]\n[tool.mlnudge.severity]\nMLN401 = "info"\n'
    )
    config = load_config(tmp_path)
    assert config.mode == "strict"
    assert not config.enabled("MLN201")
    assert config.enabled("MLN301")
    assert config.severity_for("MLN401", default=Severity.WARNING) is Severity.INFO


def test_dot_mlnudge_toml_when_pyproject_has_no_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    (tmp_path / ".mlnudge.toml").write_text('select = ["MLN1"]\n')
    config = load_config(tmp_path)
    assert config.source is not None and config.source.endswith(".mlnudge.toml")
    assert config.enabled("MLN101") and not config.enabled("MLN401")


def test_cli_overrides_file(tmp_path: Path) -> None:
    (tmp_path / ".mlnudge.toml").write_text('mode = "strict"\n')
    config = load_config(tmp_path, cli={"mode": "advisory", "select": ["MLN4"]})
    assert config.mode == "advisory"
    assert config.select == ("MLN4",)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('colour = "red"\n', "unknown key 'tool.mlnudge.colour'"),
        ('mode = "loud"\n', "'tool.mlnudge.mode' = 'loud' is not accepted; expected one of"),
        ('select = ["MLN9"]\n', "names no known rule: MLN9"),
        ('max-file-size = "big"\n', "expected a whole number"),
        ('[severity]\nMLN201 = "fatal"\n', "accepted: error, warning, info, off"),
        ("[params]\nunknown-thing = 1\n", "unknown key 'tool.mlnudge.params.unknown-thing'"),
        ('[[overrides]]\npaths = ["a"]\nbogus = 1\n', "overrides[0].bogus"),
    ],
)
def test_bad_configuration_names_file_key_and_accepted_values(
    tmp_path: Path, toml: str, message: str
) -> None:
    body = "\n".join(
        line
        if not line.startswith("[")
        else line.replace("[", "[tool.mlnudge.", 1).replace("[tool.mlnudge.[", "[[tool.mlnudge.")
        for line in toml.splitlines()
    )
    (tmp_path / "pyproject.toml").write_text("[tool.mlnudge]\n" + body + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert str(tmp_path / "pyproject.toml") in str(info.value)
    assert message in str(info.value)


def test_invalid_toml_in_config_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / ".mlnudge.toml").write_text("mode = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(tmp_path)


def test_overrides_by_path() -> None:
    config = build_config(
        {
            "overrides": [
                {"paths": ["scripts/"], "ignore": ["MLN2"]},
                {"paths": ["legacy/*.py"], "severity": {"MLN301": "info"}},
            ]
        }
    )
    assert not config.enabled("MLN201", "scripts/run.py")
    assert config.enabled("MLN201", "src/run.py")
    assert config.severity_for("MLN301", "legacy/x.py", Severity.WARNING) is Severity.INFO
    assert config.severity_for("MLN301", "src/x.py", Severity.WARNING) is Severity.WARNING


def test_severity_off_disables_and_longest_prefix_wins() -> None:
    config = build_config({"severity": {"MLN2": "info", "MLN203": "off"}})
    assert config.severity_for("MLN201", default=Severity.WARNING) is Severity.INFO
    assert not config.enabled("MLN203")


def test_select_all_and_ignore_more_specific() -> None:
    config = build_config({"select": ["ALL"], "ignore": ["MLN201"]})
    assert config.enabled("MLN202") and not config.enabled("MLN201")
    config = build_config({"select": ["MLN201"], "ignore": ["MLN2"]})
    assert config.enabled("MLN201")  # the more specific selector wins, as in ruff


def test_published_schema_is_current_and_validates_defaults() -> None:
    import json

    import jsonschema

    schema = json_schema()
    published = json.loads(
        (Path(__file__).parent.parent / "docs" / "config.schema.json").read_text()
    )
    assert published == schema, "run `python -m mlnudge.docs` to regenerate docs/"
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate({"mode": "strict", "params": {}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"colour": "red"}, schema)
