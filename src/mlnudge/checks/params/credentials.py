"""Credentials in code (MLN208): the part of the params walk that finds them.

A mixin of :class:`~mlnudge.checks.params.analysis.Analyser`: it reads the walk's state
(the module, the nodes already handled, the scope) and reports through the walk's ``_emit``.
The literal itself never reaches any field of a finding.
"""

from __future__ import annotations

import ast

from mlnudge.checks.params import secrets as K
from mlnudge.checks.params.rules import CREDENTIAL
from mlnudge.checks.params.syntax import source_text, target_name
from mlnudge.facts.repo import PyModule
from mlnudge.finding import Detail
from mlnudge.rules import Rule


class CredentialFinder:
    """Reports literal secrets: assignments, keyword arguments, environment writes, URLs."""

    module: PyModule
    #: nodes already reported (their literals get no other finding)
    handled: set[int]

    @property
    def where(self) -> str:
        raise NotImplementedError

    def _emit(
        self,
        rule: Rule,
        node: ast.expr | ast.stmt | ast.AST,
        message: str,
        anchor: str,
        details: dict[str, Detail],
    ) -> None:
        raise NotImplementedError

    def _secret_assignment(self, target: ast.expr, value: ast.expr) -> bool:
        """``PASSWORD = "..."``, ``os.environ["AWS_SECRET_ACCESS_KEY"] = "..."``."""
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            return False
        name = target_name(target)
        text = value.value
        by_name = name is not None and K.secret_name(name) and K.secret_value(text)
        if not (by_name or K.token_shaped(text) or K.url_password(text)):
            return False
        environ = isinstance(target, ast.Subscript) and "environ" in source_text(target)
        where = f"`{source_text(target)}`" if environ else f"`{name or '?'}`"
        self._secret(value, name or "secret", where, environ=environ)
        return True

    def _secret(self, node: ast.expr, name: str, where: str, *, environ: bool = False) -> None:
        """Report a credential; the literal itself never reaches any field of the finding."""
        for child in ast.walk(node):
            self.handled.add(id(child))
        env = K.env_name(name) if name != "secret" else "SECRET"
        verb = "is set to a literal secret" if environ else "holds a literal secret"
        message = (
            f"{where} {verb} (redacted here); read it from the environment "
            f'(`os.environ["{env}"]`), set by your shell or the CI\'s secret store, and '
            "rotate it: it is in the git history."
        )
        details: dict[str, Detail] = {
            "group": f"{self.module.path}:{node.lineno}:secret",
            "name": name,
            "env": env,
        }
        self._emit(CREDENTIAL, node, message, f"secret:{self.where}:{name}", details)

    def _secret_arguments(self, node: ast.Call, callee: str) -> None:
        """``login(token="hf_...")``, ``os.environ.setdefault("X_PASSWORD", "...")``,
        ``set_tracking_uri("https://user:pw@host")``."""
        for kw in node.keywords:
            value = kw.value
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                continue
            if kw.arg is not None and K.secret_name(kw.arg) and K.secret_value(value.value):
                self._secret(value, kw.arg, f"`{kw.arg}=` of `{callee}()`")
            elif K.token_shaped(value.value) or K.url_password(value.value):
                self._secret(value, kw.arg or "secret", f"an argument of `{callee}()`")
        args = node.args
        strings = [a for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        short = callee.rsplit(".", 1)[-1]
        if short in ("setdefault", "putenv", "__setitem__") and len(args) >= 2:
            key, value = args[0], args[1]
            if (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and K.secret_name(key.value)
                and K.secret_value(value.value)
            ):
                self._secret(value, key.value, f"`{key.value}`", environ=True)
                return
        for arg in strings:
            assert isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            if id(arg) in self.handled:
                continue
            if K.token_shaped(arg.value) or K.url_password(arg.value):
                self._secret(arg, "secret", f"an argument of `{callee}()`")
                continue
            # ``os.system("KAGGLE_KEY=<key> kaggle competitions download ...")``: a credential
            # set for the command, in the command's text
            name = K.shell_secret(arg.value)
            if name is not None:
                where = f"`{name}` in the command run by `{callee}()`"
                self._secret(arg, name, where, environ=True)
