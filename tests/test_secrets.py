"""Secrets never leave: the run's token is masked on every path out of ``cli.main`` (reports,
report files, --verbose, usage and configuration errors, the exit-3 bug report, the
sub-commands), and credentials in dependency URLs are masked in every format."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from mlnudge_testing import write_tree

import mlnudge.runner
from mlnudge.cli import main
from mlnudge.redact import MASK, redact

FORMATS = ("text", "json", "sarif", "github", "markdown")


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh GitHub-shaped token in the variables a workflow sets."""
    value = "ghs_" + secrets.token_hex(18)
    monkeypatch.setenv("GITHUB_TOKEN", value)
    monkeypatch.setenv("INPUT_GITHUB-TOKEN", value)
    return value


@pytest.fixture
def odd_token(monkeypatch: pytest.MonkeyPatch) -> str:
    """A token of no known shape: only the environment tells it is one."""
    value = "plain" + secrets.token_hex(8)
    monkeypatch.setenv("MY_SERVICE_API_KEY", value)
    return value


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_reports_files_and_verbose_output_never_hold_the_token(
    tmp_path: Path, token: str, odd_token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(
        tmp_path / "repo",
        {
            # the token written into the repository itself, as a careless user would
            "deploy.py": f'GITHUB = "{token}"\nKEY = "{odd_token}"\nlr = 0.1\n',
            "requirements.txt": "numpy==1.26.4\n",
        },
    )
    for fmt in FORMATS:
        out_file = tmp_path / f"report.{fmt}"
        code, text = _run(
            ["check", str(root), "--format", fmt, "-v", "--output", f"{fmt}={out_file}"], capsys
        )
        assert code == 0
        for secret in (token, odd_token):
            assert secret not in text, fmt
            assert secret not in out_file.read_text(), fmt


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{token}"],  # no such file: the message quotes the argument
        ["check", "--output", "{token}=x.json"],  # unknown format: quoted
        ["explain", "{token}"],  # no such rule: quoted
        ["check", "--mode", "{token}"],  # argparse quotes the bad choice
        ["check", "--config", "{token}.toml"],  # missing configuration file: quoted
    ],
)
def test_usage_errors_never_quote_the_token(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    token: str,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code, text = _run([a.replace("{token}", token) for a in args], capsys)
    assert code == 2
    assert token not in text and MASK in text


def test_configuration_errors_never_quote_the_token(
    tmp_path: Path, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path, {"pyproject.toml": f'[tool.mlnudge]\nmode = "{token}"\n'})
    code, text = _run(["check", str(root)], capsys)
    assert code == 2 and "mode" in text
    assert token not in text


def test_the_exit_3_bug_report_never_holds_the_token(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    token: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError(
            f"401 Bad credentials for {token} at https://x-access-token:{token}@github.com/o/r "
            f"(Authorization: token {token})"
        )

    monkeypatch.setattr(mlnudge.runner, "run", boom)
    code, text = _run(["check", str(tmp_path), "--config", f"{token}"], capsys)
    assert code in (2, 3)
    code, text = _run(["check", str(tmp_path)], capsys)
    assert code == 3 and "mlnudge crashed" in text and "401 Bad credentials" in text
    assert token not in text


@pytest.mark.parametrize("command", ["github", "deps"])
def test_sub_command_crashes_never_hold_the_token(
    monkeypatch: pytest.MonkeyPatch,
    token: str,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    """The sub-commands' own output goes through the same filter (forced here by a crash)."""
    import mlnudge.deps_cli
    import mlnudge.github.cli

    def boom(argv: object) -> int:
        print(f"posting with {token}")
        raise RuntimeError(f"GET /user failed, token={token}")

    module = mlnudge.github.cli if command == "github" else mlnudge.deps_cli
    monkeypatch.setattr(module, "main", boom)
    code, text = _run([command, "--token", token], capsys)
    assert code == 3 and "posting with" in text
    assert token not in text


def test_interrupted_run_prints_no_token(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    token: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        print(f"half-written line with {token}")
        raise KeyboardInterrupt

    monkeypatch.setattr(mlnudge.runner, "run", interrupted)
    code, text = _run(["check", str(tmp_path)], capsys)
    assert code == 130 and "interrupted" in text
    assert token not in text


CREDENTIALS = (
    "s3cr3t-alice",
    "pw-bob-4242",
    "pypi-AgEIcHlwaS5vcmcSECRETSECRET",
    "glpat-SECRETSECRETSECRET00",
)


def test_credentials_in_dependency_urls_are_masked_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(
        tmp_path,
        {
            "requirements.txt": "numpy>=1.26\n"
            "git+https://alice:s3cr3t-alice@github.com/org/repo.git@main#egg=repo\n"
            "--extra-index-url https://__token__:pypi-AgEIcHlwaS5vcmcSECRETSECRET@pypi.example/simple\n"
            "broken @@ https://bob:pw-bob-4242@host.example/x.whl ;;; ===\n",
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'
            'dependencies = ["foo @ git+https://oauth2:glpat-SECRETSECRETSECRET00@gitlab.com/a/b.git"]\n',
            "environment.yml": "name: x\ndependencies:\n  - pip\n  - pip:\n"
            '    - "lib @ git+https://erin:s3cr3t-alice@github.com/o/lib.git"\n',
        },
    )
    for fmt in FORMATS:
        code, text = _run(["check", str(root), "--format", fmt, "-v"], capsys)
        assert code == 0
        assert "MLN409" in text, fmt  # the credentials are reported ...
        for secret in CREDENTIALS:
            assert secret not in text, (fmt, secret)  # ... never shown


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("clone https://user:pa55word@example.com/x.git", "pa55word"),
        ("Authorization: Bearer abc.def.ghi", "abc.def.ghi"),
        ("token github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "github_pat_11ABCDEFG"),
        ("ghp_" + "a" * 36, "ghp_aaaa"),
        # the literal each pattern needs is looked for in any case
        ("AUTHORIZATION: token s3cr3t-value", "s3cr3t-value"),
        ("GIT+HTTPS://deploy:t0ken-value@example.com/x.git", "t0ken-value"),
        ("upload with pypi-" + "A" * 20, "pypi-AAAA"),
        ("post to https://hooks.slack.com/services/T0AB1/B0CD2/q8W2e4R6t8Y0u2I4", "q8W2e4R6"),
        ("https://discord.com/api/webhooks/1122/Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8", "Ab1Cd2Ef3"),
    ],
)
def test_redact_masks_token_shapes_without_any_environment(text: str, secret: str) -> None:
    assert secret not in redact(text, secrets=())
