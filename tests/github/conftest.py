"""The GitHub API stand-ins, started once per session and stopped by PID.

- ``prism_mock``: ``prism mock`` on the trimmed api.github.com description: stateless, answers
  every operation with GitHub's own examples and 422 to requests the description rejects.
- ``standin``: the stateful server in ``standin/server.py`` behind ``prism proxy --errors``,
  so that every request *and* response of the comment lifecycle is validated against the same
  description (a violation comes back as 422 or 500 and fails the test).

Both need ``npm ci`` in ``tests/github/standin``. Everything binds 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
STANDIN = HERE / "standin"
PRISM = STANDIN / "node_modules" / ".bin" / "prism"
FULL_SPEC = STANDIN / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"
FIXTURES = HERE / "fixtures"
#: startup times measured in this session (shown by ``pytest -s``, quoted in docs/github.md)
TIMINGS: dict[str, float] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _require_standin() -> None:
    if not PRISM.exists() or not FULL_SPEC.exists():
        pytest.fail(f"the GitHub API stand-in is not installed: run `npm ci` in {STANDIN}")


def trimmed_spec(directory: Path, base_url: str) -> Path:
    target = directory / f"github-{base_url.rsplit(':', 1)[-1]}.json"
    subprocess.run(
        [sys.executable, str(STANDIN / "trim_spec.py"), str(FULL_SPEC), str(target), base_url],
        check=True,
    )
    return target


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=STANDIN
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # its own session: prism and nothing else
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"stand-in exited early:\n{log.read_text(errors='replace')}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"stand-in did not start in {timeout}s:\n{log.read_text(errors='replace')}")


@dataclass
class Prism:
    url: str
    log: Path

    def violations(self) -> list[str]:
        """Request violations Prism logged (GitHub's own examples break response rules)."""
        lines = self.log.read_text(errors="replace").splitlines()
        return [line for line in lines if "✖" in line and "Violation: request" in line]


@pytest.fixture(scope="session")
def prism_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    _require_standin()
    directory = tmp_path_factory.mktemp("prism-mock")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    spec = trimmed_spec(directory, url)
    TIMINGS["trim spec"] = time.perf_counter() - started
    log = directory / "prism.log"
    started = time.perf_counter()
    proc = _start([str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)], log)
    try:
        _wait_ready(f"{url}/repos/o/r/pulls/1", proc, log)
        TIMINGS["prism mock startup"] = time.perf_counter() - started
        yield Prism(url, log)
    finally:
        _stop(proc)


@dataclass
class Standin:
    """The stateful stand-in: ``url`` goes through the validating proxy, ``admin`` does not."""

    url: str
    admin: str
    log: Path

    def _call(self, method: str, path: str, data: Any = None) -> Any:
        body = None if data is None else json.dumps(data).encode()
        request = urllib.request.Request(f"{self.admin}{path}", data=body, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def reset(self, **seed: Any) -> None:
        self._call("POST", "/_standin/reset", {"public_url": self.url, **seed})
        self._mark = len(self.log.read_text(errors="replace").splitlines())

    def faults(self, *faults: dict[str, Any]) -> None:
        self._call("POST", "/_standin/faults", list(faults))

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = self._call("GET", "/_standin/state")
        return state

    def violations(self) -> list[str]:
        """Everything the validating proxy rejected since the last reset."""
        lines = self.log.read_text(errors="replace").splitlines()[getattr(self, "_mark", 0) :]
        return [line for line in lines if "✖" in line or "sl-violations" in line]


@pytest.fixture(scope="session")
def standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standin]:
    _require_standin()
    directory = tmp_path_factory.mktemp("standin")
    proxy_port = free_port()
    url = f"http://127.0.0.1:{proxy_port}"
    spec = trimmed_spec(directory, url)
    server_log = directory / "server.log"
    started = time.perf_counter()
    server = _start(
        [sys.executable, str(STANDIN / "server.py"), str(spec), "--port", "0"], server_log
    )
    proxy = None
    try:
        deadline = time.monotonic() + 20
        while not server_log.read_text().strip() and time.monotonic() < deadline:
            time.sleep(0.05)
        admin = f"http://127.0.0.1:{int(server_log.read_text().split()[0])}"
        proxy_log = directory / "proxy.log"
        proxy = _start(
            [
                str(PRISM),
                "proxy",
                "-h",
                "127.0.0.1",
                "-p",
                str(proxy_port),
                "--errors",
                str(spec),
                admin,
            ],
            proxy_log,
        )
        _wait_ready(f"{url}/_ready", proxy, proxy_log)
        TIMINGS["stateful stand-in + prism proxy startup"] = time.perf_counter() - started
        yield Standin(url, admin, proxy_log)
    finally:
        if proxy is not None:
            _stop(proxy)
        _stop(server)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TIMINGS:
        terminalreporter.write_line(
            "GitHub stand-ins: " + ", ".join(f"{k} {v:.2f}s" for k, v in TIMINGS.items())
        )


@pytest.fixture
def example_report() -> Path:
    return FIXTURES / "example-report.json"
