"""``[tool.mlnudge]`` (or ``.mlnudge.toml``) -> a frozen :class:`Config`.

Precedence: built-in defaults < configuration file < command line. Unknown keys and bad
values raise :class:`ConfigError` naming the file, the key and what is accepted; the CLI
turns that into exit code 2.

Options are declared as data (:class:`Option`): the top-level ones here, each family's in its
``checks`` module. The JSON schema of the configuration is generated from the same tables.
"""

from __future__ import annotations

import builtins
import datetime
import functools
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import pathspec

from mlnudge.finding import FAMILIES, Family, Severity
from mlnudge.rules import iter_unknown_selectors, matches

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

Kind = Literal["bool", "int", "float", "str", "date", "choice", "list", "table", "tables"]
Mode = Literal["advisory", "ratchet", "strict"]
MODES: tuple[Mode, ...] = ("advisory", "ratchet", "strict")
PROFILES = ("auto", "application", "library")
CONFIG_FILES = ("pyproject.toml", ".mlnudge.toml")


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file, the key and the fix."""


@dataclass(frozen=True)
class Option:
    """One configuration key: its type, default and help, the single source for docs and schema."""

    name: str
    kind: Kind
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    #: for ``table``: the type of the values (``str``, ``list``, ``int``, ``float``)
    value_kind: str = "str"
    #: for ``tables`` (an array of tables): the keys each table accepts
    fields: tuple[Option, ...] = ()

    def accepted(self) -> str:
        match self.kind:
            case "choice":
                return "one of " + ", ".join(repr(c) for c in self.choices)
            case "list":
                return "a list of strings"
            case "table":
                return f"a table of {self.value_kind} values"
            case "tables":
                return "an array of tables with keys " + ", ".join(f.name for f in self.fields)
            case "bool":
                return "true or false"
            case "int":
                return "a whole number"
            case "float":
                return "a number"
            case "str":
                return "a string"
            case "date":
                return "a date, YYYY-MM-DD"


SEVERITY_CHOICES = ("error", "warning", "info", "off")

OVERRIDE_FIELDS = (
    Option("paths", "list", [], "Globs (relative to the root) the override applies to."),
    Option("ignore", "list", [], "Rule codes or prefixes to ignore in those paths."),
    Option(
        "severity",
        "table",
        {},
        "Per-rule severity in those paths (`error`, `warning`, `info`, `off`).",
        value_kind="str",
    ),
)

WAIVER_FIELDS = (
    Option("rules", "list", [], "Rule codes or prefixes the waiver covers."),
    Option("paths", "list", [], "Globs it is limited to (empty: everywhere)."),
    Option("reason", "str", "", "Why: shown next to the waived findings (required)."),
    Option(
        "expires",
        "date",
        None,
        "Date from which the waiver no longer waives (optional); the findings then come back "
        "and say so.",
    ),
)

#: exploration code by default: notebooks, scratch and sandbox folders at the root, and code
#: its owners retired, at any depth (`deprecated/`, `legacy/`, `archive/`, `old/`, a package's
#: `*_old/` copy): a nudge there asks to maintain what nobody runs (docs/engine.md)
EXPLORATION = (
    "notebooks/**",
    "scratch/**",
    "sandbox/**",
    "deprecated/",
    "legacy/",
    "archive/",
    "archived/",
    "obsolete/",
    "attic/",
    "old/",
    "*_old/",
)

TOP_LEVEL: tuple[Option, ...] = (
    Option(
        "select",
        "list",
        ["MLN"],
        "Rule codes or prefixes to run (`MLN2` is the params family, `ALL` or `MLN` everything).",
    ),
    Option("ignore", "list", [], "Rule codes or prefixes to skip."),
    Option(
        "severity",
        "table",
        {},
        'Per-rule severity, e.g. `MLN201 = "info"`; `off` disables the rule.',
    ),
    Option(
        "mode",
        "choice",
        "advisory",
        "`advisory` always exits 0; `ratchet` fails on new findings (not in the baseline) at or "
        "above `fail-on`; `strict` fails on any finding at or above `fail-on`.",
        choices=MODES,
    ),
    Option(
        "fail-on",
        "choice",
        "warning",
        "Lowest severity that blocks in `ratchet` and `strict` modes.",
        choices=("error", "warning", "info"),
    ),
    Option(
        "profile",
        "choice",
        "auto",
        "`application` (an ML project) or `library` (a reusable package); `auto` detects it.",
        choices=PROFILES,
    ),
    Option("exclude", "list", [], "Extra globs to leave out of the scan."),
    Option("notebooks-dir", "str", "notebooks", "Where notebooks are expected to live."),
    Option(
        "max-file-size",
        "int",
        1_000_000,
        "Files larger than this many bytes (a notebook: 25 times this, its outputs being most of "
        "it) are reported as too large and skipped.",
    ),
    Option("baseline", "str", ".mlnudge-baseline.json", "Baseline file used by `ratchet` mode."),
    Option(
        "overrides",
        "tables",
        [],
        "Per-path overrides: `[[tool.mlnudge.overrides]]` with `paths`, `ignore`, `severity`.",
        fields=OVERRIDE_FIELDS,
    ),
    Option(
        "warn-until",
        "table",
        {},
        'Enforcement on a date, per rule, prefix or family: `warn-until = { MLN2 = "2027-03-01" '
        "}`. Until that date those findings never block (each says when it will); from it on "
        "they block under `ratchet`/`strict`.",
        value_kind="date",
    ),
    Option(
        "waivers",
        "tables",
        [],
        "Ignores with a reason and an optional end: `[[tool.mlnudge.waivers]]` with `rules`, "
        "`paths`, `reason`, `expires`. An expired waiver stops waiving and says so.",
        fields=WAIVER_FIELDS,
    ),
    Option(
        "exploration",
        "list",
        list(EXPLORATION),
        "Globs of exploration code (the stage of a finding): findings there are `info` at "
        "most; everything else is production and gets the configured severities. The default "
        "also holds retired code at any depth (`deprecated/`, `legacy/`, `archive/`, `old/`, ...).",
    ),
)


@dataclass(frozen=True)
class Options:
    """The validated options of one section, with typed getters for rule code."""

    values: Mapping[str, Any]

    def str(self, name: builtins.str) -> builtins.str:
        value = self.values[name]
        assert isinstance(value, builtins.str)
        return value

    def bool(self, name: builtins.str) -> builtins.bool:
        value = self.values[name]
        assert isinstance(value, builtins.bool)
        return value

    def int(self, name: builtins.str) -> builtins.int:
        value = self.values[name]
        assert isinstance(value, builtins.int)
        return value

    def float(self, name: builtins.str) -> builtins.float:
        value = self.values[name]
        assert isinstance(value, builtins.int | builtins.float)
        return builtins.float(value)

    def list(self, name: builtins.str) -> tuple[builtins.str, ...]:
        value = self.values[name]
        assert isinstance(value, tuple)
        return value

    def table(self, name: builtins.str) -> Mapping[builtins.str, Any]:
        value = self.values[name]
        assert isinstance(value, Mapping)
        return value


@dataclass(frozen=True)
class Override:
    paths: tuple[str, ...]
    ignore: tuple[str, ...]
    severity: Mapping[str, str]


@dataclass(frozen=True)
class WaiverRule:
    """One ``[[tool.mlnudge.waivers]]`` entry."""

    rules: tuple[str, ...]
    paths: tuple[str, ...]
    reason: str
    expires: datetime.date | None = None

    def covers(self, code: str, path: str) -> bool:
        if not matches(code, self.rules) and "ALL" not in self.rules:
            return False
        return not self.paths or any(path_matches(path, glob) for glob in self.paths)


FAMILY_PREFIX = {"structure": "MLN1", "params": "MLN2", "transforms": "MLN3", "deps": "MLN4"}


@dataclass(frozen=True)
class Config:
    """Everything a run needs to know about the user's wishes. Immutable."""

    select: tuple[str, ...] = ("MLN",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    mode: Mode = "advisory"
    fail_on: Severity = Severity.WARNING
    profile: str = "auto"
    exclude: tuple[str, ...] = ()
    notebooks_dir: str = "notebooks"
    max_file_size: int = 1_000_000
    baseline: str = ".mlnudge-baseline.json"
    overrides: tuple[Override, ...] = ()
    sections: Mapping[str, Options] = field(default_factory=dict)
    #: rule code or prefix -> the date from which its findings block
    warn_until: Mapping[str, datetime.date] = field(default_factory=dict)
    waivers: tuple[WaiverRule, ...] = ()
    exploration: tuple[str, ...] = EXPLORATION
    #: the file the configuration came from, if any (for messages)
    source: str | None = None

    def section(self, family: Family) -> Options:
        return self.sections[family]

    def enabled(self, code: str, path: str | None = None) -> bool:
        """Whether a rule runs (for ``path`` if given) after select/ignore, severity, overrides."""
        return self.severity_for(code, path, default=Severity.INFO) is not None

    def severity_for(
        self, code: str, path: str | None = None, default: Severity | None = None
    ) -> Severity | None:
        """The effective severity, or ``None`` when the rule is off (for this path)."""
        selectors = tuple("MLN" if s == "ALL" else s for s in self.select)
        chosen = matches(code, selectors)
        if not chosen or matches(code, self.ignore) >= chosen:
            return None
        level = _severity_lookup(self.severity, code)
        if path is not None:
            for override in self.overrides:
                if any(path_matches(path, glob) for glob in override.paths):
                    if matches(code, override.ignore):
                        return None
                    level = _severity_lookup(override.severity, code) or level
        if level == "off":
            return None
        return Severity.parse(level) if level else default

    def warn_until_for(self, code: str) -> datetime.date | None:
        """The ``warn-until`` date of the longest matching rule prefix (family names count)."""
        best = ""
        for key in self.warn_until:
            if code.startswith(key) and len(key) > len(best):
                best = key
        return self.warn_until[best] if best else None

    def stage_of(self, path: str) -> Literal["exploration", "production"]:
        """``exploration`` when ``path`` matches an exploration glob, else ``production``."""
        if any(path_matches(path, glob) for glob in self.exploration):
            return "exploration"
        return "production"

    def cache_key(self) -> str:
        """A stable text that changes whenever an option that could change findings changes."""
        parts = [
            repr(self.select),
            repr(self.ignore),
            repr(sorted(self.severity.items())),
            self.profile,
            self.notebooks_dir,
            repr(self.exclude),
        ]
        for name in sorted(self.sections):
            parts.append(name + repr(sorted(self.sections[name].values.items())))
        return "\n".join(parts)


def _severity_lookup(table: Mapping[str, str], code: str) -> str | None:
    best = ""
    for key in table:
        if code.startswith(key) and len(key) > len(best):
            best = key
    return table[best] if best else None


@functools.lru_cache(maxsize=1 << 16)
def path_matches(path: str, glob: str) -> bool:
    """Gitignore-flavoured glob match on a POSIX relative path (git's own rules, via pathspec).

    ``dir/`` and ``dir`` match everything below ``dir``; ``**`` crosses directories; a glob
    without a slash (other than a trailing one) matches the name at any depth; a leading ``/``
    or a slash inside anchors the glob at the root. Answers are cached: the families ask the
    same (path, glob) questions of every file, on every run.
    """
    spec = _glob_spec(glob.strip().rstrip("/") or "*")
    if spec.match_file(path):
        return True
    return any(spec.match_file(prefix + "/") for prefix in _prefixes(path))


def _prefixes(path: str) -> Iterable[str]:
    parts = path.split("/")
    for i in range(1, len(parts)):
        yield "/".join(parts[:i])


@functools.lru_cache(maxsize=4096)
def _glob_spec(glob: str) -> pathspec.GitIgnoreSpec:
    """One glob compiled with git's wildmatch rules (``pathspec``), cached."""
    return pathspec.GitIgnoreSpec.from_lines([glob])


@dataclass(frozen=True)
class Catalog:
    """What configuration is validated against: each family's options and every rule code.

    The registry of families (:mod:`mlnudge.checks`) builds it and hands it over; this module
    knows no family.
    """

    options: Mapping[Family, tuple[Option, ...]]
    codes: tuple[str, ...]


def find_config(root: Path) -> tuple[Path, dict[str, Any]] | None:
    """The config file of ``root`` and its mlnudge table, each file read and parsed once."""
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError, RecursionError):
            data = {}  # not ours to report here: the run's syntax check reports it
        tool = data.get("tool")
        if isinstance(tool, dict) and "mlnudge" in tool:
            return pyproject, _mlnudge_table(pyproject, data)
    dotfile = root / ".mlnudge.toml"
    return (dotfile, load_table(dotfile)) if dotfile.is_file() else None


def _mlnudge_table(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("mlnudge", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.mlnudge] must be a table")
        return table
    # .mlnudge.toml: the whole file, or a [tool.mlnudge] table inside it
    tool = data.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("mlnudge"), dict) and len(data) == 1:
        return dict(tool["mlnudge"])
    return data


def load_table(path: Path) -> dict[str, Any]:
    """The mlnudge table of a config file (``[tool.mlnudge]`` or the whole ``.mlnudge.toml``)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a BOM is no reason to fail
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply to read") from None
    return _mlnudge_table(path, data)


def load_config(
    root: Path,
    config_path: Path | None = None,
    cli: Mapping[str, Any] | None = None,
    *,
    catalog: Catalog,
) -> Config:
    """Build the configuration for ``root``: defaults < config file < ``cli`` values."""
    if config_path is not None:
        found: tuple[Path, dict[str, Any]] | None = (config_path, load_table(config_path))
    else:
        found = find_config(root)
    source, table = found if found else (None, {})
    where = str(source) if source is not None else "command line"
    prefix = "tool.mlnudge." if source is not None and source.name == "pyproject.toml" else ""
    return build_config(table, where=where, prefix=prefix, cli=cli or {}, catalog=catalog)


def build_config(
    table: Mapping[str, Any],
    *,
    where: str = "configuration",
    prefix: str = "",
    cli: Mapping[str, Any] | None = None,
    catalog: Catalog,
) -> Config:
    families = catalog.options
    known = {opt.name for opt in TOP_LEVEL} | set(families)
    for key in table:
        if key not in known:
            raise ConfigError(
                f"{where}: unknown key '{prefix}{key}'. Accepted keys: {', '.join(sorted(known))}"
            )
    top = _validate_section(
        {k: v for k, v in table.items() if k not in families}, TOP_LEVEL, where, prefix
    )
    family_cli: dict[str, dict[str, Any]] = {}
    for key, value in (cli or {}).items():
        if value is None:
            continue
        if "." in key:  # "transforms.run-tests": a family option set on the command line
            family, _, option = key.partition(".")
            family_cli.setdefault(family, {})[option] = value
        else:
            top[key] = _coerce({o.name: o for o in TOP_LEVEL}[key], value, "command line", "--")
    sections: dict[str, Options] = {}
    for name in FAMILIES:
        sub = table.get(name, {})
        if not isinstance(sub, dict):
            raise ConfigError(f"{where}: '{prefix}{name}' must be a table")
        values = _validate_section(sub, families[name], where, f"{prefix}{name}.")
        by_name = {o.name: o for o in families[name]}
        for option, value in family_cli.get(name, {}).items():
            values[option] = _coerce(by_name[option], value, "command line", f"{name}.")
        sections[name] = Options(MappingProxyType(values))

    codes = catalog.codes
    overrides = tuple(
        Override(
            paths=tuple(item["paths"]),
            ignore=tuple(item["ignore"]),
            severity=MappingProxyType(dict(item["severity"])),
        )
        for item in top["overrides"]
    )
    for table_name, severities in [("severity", top["severity"])] + [
        ("overrides.severity", o.severity) for o in overrides
    ]:
        for code, level in severities.items():
            if not any(c.startswith(code) for c in codes):
                raise ConfigError(f"{where}: '{prefix}{table_name}' names no known rule: {code}")
            if level not in SEVERITY_CHOICES:
                raise ConfigError(
                    f"{where}: '{prefix}{table_name}.{code}' = {level!r}; accepted: "
                    + ", ".join(SEVERITY_CHOICES)
                )
    selectors = [("select", top["select"]), ("ignore", top["ignore"])] + [
        ("overrides.ignore", o.ignore) for o in overrides
    ]
    for key, values in selectors:
        unknown = list(iter_unknown_selectors(values, codes))
        if unknown:
            raise ConfigError(
                f"{where}: '{prefix}{key}' names no known rule: {', '.join(unknown)}. "
                "Use a rule code (MLN201), a prefix (MLN2) or ALL; `mlnudge rules` lists them."
            )
    warn_until: dict[str, datetime.date] = {}
    for key, when in top["warn-until"].items():
        prefix_key = FAMILY_PREFIX.get(key, key)
        if not any(c.startswith(prefix_key) for c in codes):
            raise ConfigError(
                f"{where}: '{prefix}warn-until' names no known rule or family: {key}. Use a rule "
                "code (MLN201), a prefix (MLN2) or a family (params)."
            )
        warn_until[prefix_key] = when
    waivers = []
    for i, item in enumerate(top["waivers"]):
        entry = f"{prefix}waivers[{i}]"
        if not item["rules"]:
            raise ConfigError(f"{where}: '{entry}' needs `rules`, e.g. rules = [\"MLN201\"]")
        if not item["reason"].strip():
            raise ConfigError(f"{where}: '{entry}' needs a `reason` (it is shown with the finding)")
        unknown = list(iter_unknown_selectors(tuple(item["rules"]), codes))
        if unknown:
            raise ConfigError(f"{where}: '{entry}.rules' names no known rule: {', '.join(unknown)}")
        waivers.append(
            WaiverRule(item["rules"], item["paths"], item["reason"].strip(), item["expires"])
        )
    return Config(
        select=top["select"],
        ignore=top["ignore"],
        severity=MappingProxyType(dict(top["severity"])),
        mode=top["mode"],
        fail_on=Severity.parse(top["fail-on"]),
        profile=top["profile"],
        exclude=top["exclude"],
        notebooks_dir=top["notebooks-dir"].strip("/") or "notebooks",
        max_file_size=top["max-file-size"],
        baseline=top["baseline"],
        overrides=overrides,
        sections=MappingProxyType(sections),
        source=None if where == "command line" else where,
        warn_until=MappingProxyType(warn_until),
        waivers=tuple(waivers),
        exploration=top["exploration"],
    )


def _validate_section(
    table: Mapping[str, Any], options: Sequence[Option], where: str, prefix: str
) -> dict[str, Any]:
    by_name = {opt.name: opt for opt in options}
    for key in table:
        if key not in by_name:
            accepted = ", ".join(sorted(by_name)) or "(none)"
            raise ConfigError(f"{where}: unknown key '{prefix}{key}'. Accepted keys: {accepted}")
    values: dict[str, Any] = {}
    for opt in options:
        raw = table.get(opt.name, opt.default)
        values[opt.name] = _coerce(opt, raw, where, prefix)
    return values


def _coerce(opt: Option, raw: Any, where: str, prefix: str) -> Any:
    def bad() -> ConfigError:
        return ConfigError(
            f"{where}: '{prefix}{opt.name}' = {raw!r} is not accepted; expected {opt.accepted()}"
        )

    match opt.kind:
        case "bool":
            if not isinstance(raw, bool):
                raise bad()
            return raw
        case "int":
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise bad()
            return raw
        case "float":
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise bad()
            return float(raw)
        case "str":
            if not isinstance(raw, str):
                raise bad()
            return raw
        case "date":
            if raw is None and opt.default is None:
                return None
            parsed = parse_date(raw)
            if parsed is None:
                raise bad()
            return parsed
        case "choice":
            if raw not in opt.choices:
                raise bad()
            return raw
        case "list":
            if isinstance(raw, str):
                raw = [raw]
            if not isinstance(raw, list | tuple) or not all(isinstance(x, str) for x in raw):
                raise bad()
            return tuple(raw)
        case "table":
            if not isinstance(raw, Mapping):
                raise bad()
            for name, value in raw.items():
                if not _value_ok(opt.value_kind, value):
                    if opt.value_kind == "date":
                        raise ConfigError(
                            f"{where}: '{prefix}{opt.name}.{name}' = {value!r} is not accepted; "
                            "expected a date, YYYY-MM-DD"
                        )
                    raise bad()
            if opt.value_kind == "date":
                return MappingProxyType({k: parse_date(v) for k, v in raw.items()})
            return MappingProxyType(
                {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
            )
        case "tables":
            if not isinstance(raw, list) or not all(isinstance(x, Mapping) for x in raw):
                raise bad()
            return tuple(
                _validate_section(item, opt.fields, where, f"{prefix}{opt.name}[{i}].")
                for i, item in enumerate(raw)
            )


def parse_date(value: Any) -> datetime.date | None:
    """A TOML date (``2027-03-01``) or an ISO date string; ``None`` when it is neither."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _value_ok(kind: str, value: Any) -> bool:
    match kind:
        case "date":
            return parse_date(value) is not None
        case "str":
            return isinstance(value, str)
        case "list":
            return isinstance(value, list) and all(isinstance(x, str) for x in value)
        case "int":
            return isinstance(value, int) and not isinstance(value, bool)
        case "float":
            return isinstance(value, int | float) and not isinstance(value, bool)
        case _:
            return True


def json_schema(catalog: Catalog) -> dict[str, Any]:
    """The JSON schema of ``[tool.mlnudge]``, generated from the option tables."""

    def prop(opt: Option) -> dict[str, Any]:
        schema: dict[str, Any] = {"description": opt.help}
        match opt.kind:
            case "bool":
                schema["type"] = "boolean"
            case "int":
                schema["type"] = "integer"
            case "float":
                schema["type"] = "number"
            case "str":
                schema["type"] = "string"
            case "date":
                schema["type"] = "string"
                schema["format"] = "date"
            case "choice":
                schema["enum"] = list(opt.choices)
            case "list":
                schema["type"] = "array"
                schema["items"] = {"type": "string"}
            case "table":
                kinds: dict[str, dict[str, Any]] = {
                    "str": {"type": "string"},
                    "list": {"type": "array", "items": {"type": "string"}},
                    "int": {"type": "integer"},
                    "float": {"type": "number"},
                    "date": {"type": "string", "format": "date"},
                }
                schema["type"] = "object"
                schema["additionalProperties"] = kinds.get(opt.value_kind, {})
            case "tables":
                schema["type"] = "array"
                schema["items"] = {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {f.name: prop(f) for f in opt.fields},
                }
        if opt.kind not in ("tables",) and opt.default is not None:
            schema["default"] = list(opt.default) if isinstance(opt.default, tuple) else opt.default
        return schema

    properties: dict[str, Any] = {opt.name: prop(opt) for opt in TOP_LEVEL}
    for name, options in catalog.options.items():
        properties[name] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {opt.name: prop(opt) for opt in options},
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "mlnudge-config.schema.json",
        "title": "[tool.mlnudge] configuration",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
