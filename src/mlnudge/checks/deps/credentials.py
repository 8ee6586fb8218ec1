"""MLN409: credentials in URLs of dependency files, and keeping them out of every finding.

Any URL user-info with a password (``user:secret@``) or a token-looking user (``ghp_...@``,
long random strings) is a credential; ``${VAR}``/``%VAR%`` placeholders and ``git@`` SSH users
are not. Every finding of the family is scrubbed of the secrets found (:func:`scrub`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from mlnudge.checks.base import CheckContext
from mlnudge.checks.deps.collect import Collected
from mlnudge.checks.deps.facts import PY_FACTS, USERINFO_RE
from mlnudge.checks.deps.rules import CREDENTIAL_IN_URL
from mlnudge.finding import Finding
from mlnudge.project import REQ_NAME_RE

_TOKEN_PREFIXES = ("ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "glpat-", "xox", "AKIA", "pypi-")


def redact(text: str) -> str:
    """``text`` with the user-info of every URL replaced by ``***``."""
    return USERINFO_RE.sub(lambda m: f"{m.group(1)}***@{m.group(3)}", text)


def _is_env(text: str) -> bool:
    return bool(re.fullmatch(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_][A-Za-z0-9_]*%", text))


def secret_in(userinfo: str, scheme: str) -> bool:
    """Whether URL user-info holds a credential (not ``git@`` and not ``${TOKEN}``)."""
    user, sep, password = userinfo.partition(":")
    if sep:
        return bool(password) and not _is_env(password)
    if _is_env(user) or "ssh" in scheme:
        return False
    return user.startswith(_TOKEN_PREFIXES) or (
        len(user) >= 16 and any(c.isdigit() for c in user) and any(c.isalpha() for c in user)
    )


def scan_secrets(
    ctx: CheckContext, collected: Collected
) -> Iterator[tuple[tuple[str, int, str, str, str], str]]:
    for path in collected.files:
        if path.endswith((".py", ".ipynb")):
            facts = ctx.facts(path, PY_FACTS)  # a setup.py is read only when it holds a URL
            if facts is None or not facts.get("u"):
                continue
        text = collected.texts[path] if path in collected.texts else ctx.repo.text(path)
        if text is None or "@" not in text:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for m in USERINFO_RE.finditer(line):
                if secret_in(m.group(2), m.group(1)):
                    yield (path, number, line, m.group(1), m.group(3)), m.group(2)


def credentials(ctx: CheckContext, collected: Collected) -> tuple[list[Finding], list[str]]:
    findings: list[Finding] = []
    secrets: list[str] = []
    for (path, number, line, scheme, host), userinfo in scan_secrets(ctx, collected):
        secrets.append(userinfo)
        hostname = host.split(":", 1)[0]
        label = re.sub(
            r"[^A-Z0-9]+", "_", hostname.split(".")[-2 if "." in hostname else 0].upper()
        )
        replacement = (
            f"${{{label}_USER}}:${{{label}_TOKEN}}" if ":" in userinfo else f"${{{label}_TOKEN}}"
        )
        suggestion = None
        base = path.rsplit("/", 1)[-1]
        if base.endswith((".txt", ".in")) or REQ_NAME_RE.search(path):
            fixed = line.replace(f"{scheme}{userinfo}@", f"{scheme}{replacement}@")
            suggestion = fixed if userinfo not in fixed else None
        findings.append(
            CREDENTIAL_IN_URL.finding(
                path,
                f"A credential is embedded in a URL for {hostname}; revoke it and read it from "
                "the environment, a keyring or ~/.netrc instead.",
                line=number,
                end_line=number,
                anchor=f"credential:{path}:{hostname}",
                suggestion=suggestion,
                details={"host": hostname},
            )
        )
    return findings, secrets


def scrub(finding: Finding, secrets: list[str]) -> Finding:
    """The finding with no trace of a secret in any field (a leaking suggestion is dropped)."""
    if not secrets:
        return finding

    def clean(text: str) -> str:
        for secret in secrets:
            text = text.replace(secret, "***")
        return text

    fields = [finding.message, finding.fix or "", finding.anchor, finding.suggestion or ""]
    fields += [str(v) for v in finding.details.values()]
    if not any(secret in text for text in fields for secret in secrets):
        return finding
    suggestion = finding.suggestion
    if suggestion is not None and any(s in suggestion for s in secrets):
        suggestion = None
    return replace(
        finding,
        message=clean(finding.message),
        fix=clean(finding.fix) if finding.fix else finding.fix,
        anchor=clean(finding.anchor),
        suggestion=suggestion,
        details={k: clean(v) if isinstance(v, str) else v for k, v in finding.details.items()},
    )
