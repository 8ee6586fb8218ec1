"""``pip install`` commands read from Dockerfiles: inline snippets in, commands out."""

from __future__ import annotations

import pytest

from mlnudge.checks.deps.docker import is_dockerfile, is_local_or_url, parse_dockerfile


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Dockerfile", True),
        ("docker/Dockerfile", True),
        ("Dockerfile.gpu", True),
        ("serve.Dockerfile", True),
        ("Containerfile", True),
        ("docs/dockerfile.md", False),
        ("Dockerfile_notes.txt", False),
    ],
)
def test_is_dockerfile(path: str, expected: bool) -> None:
    assert is_dockerfile(path) is expected


#: RUN line -> (packages, -r files, constrained) of each pip install command
COMMANDS = [
    ("RUN pip install fastapi uvicorn", [(("fastapi", "uvicorn"), (), False)]),
    ("RUN pip3 install --no-cache-dir -r requirements.txt", [((), ("requirements.txt",), False)]),
    ("RUN python -m pip install -U 'numpy<2' pandas", [(("numpy<2", "pandas"), (), False)]),
    ("RUN python3.11 -m pip install -c constraints.txt boto3", [(("boto3",), (), True)]),
    ("RUN uv pip install --system -r req.txt torch", [(("torch",), ("req.txt",), False)]),
    ("RUN pip install --require-hashes -r requirements.lock", [((), ("requirements.lock",), True)]),
    (
        "RUN pip install torch --index-url https://download.pytorch.org/whl/cpu",
        [(("torch",), (), False)],
    ),
    ("RUN pip install -rrequirements.txt", [((), ("requirements.txt",), False)]),
    ("RUN pip install --requirement=requirements.txt", [((), ("requirements.txt",), False)]),
    (
        "RUN pip install --upgrade pip && pip install -e . ; pip install jupyter",
        [(("pip",), (), False), ((), (), False), (("jupyter",), (), False)],
    ),
    ("RUN --mount=type=cache,target=/root/.cache pip install x", [(("x",), (), False)]),
    ("RUN pip download numpy && conda install scipy", []),
    ("RUN echo pip install numpy > notes.txt", []),
    ("CMD pip install numpy", []),
]


@pytest.mark.parametrize(("line", "expected"), COMMANDS)
def test_pip_install_commands(
    line: str, expected: list[tuple[tuple[str, ...], tuple[str, ...], bool]]
) -> None:
    got = [
        (c.packages, c.requirements, c.constrained)
        for c in parse_dockerfile("Dockerfile", f"FROM python:3.11\n{line}\n")
    ]
    assert got == expected


def test_continuations_comments_and_the_reported_line() -> None:
    text = (
        "FROM python:3.11\n"
        "RUN apt-get update && \\\n"
        "    # python packages\n"
        "    pip install --no-cache-dir \\\n"
        "        scikit-learn \\\n"
        "        lightgbm\n"
    )
    (cmd,) = parse_dockerfile("Dockerfile", text)
    assert cmd.packages == ("scikit-learn", "lightgbm")
    assert (cmd.line, cmd.physical.strip()) == (5, "scikit-learn \\")


def test_constraints_from_the_environment() -> None:
    text = "FROM python:3.11\nENV PIP_CONSTRAINT=/constraints.txt\nRUN pip install pandas\n"
    (cmd,) = parse_dockerfile("Dockerfile", text)
    assert cmd.constrained


@pytest.mark.parametrize(
    ("arg", "local"),
    [
        (".", True),
        ("./libs/shared", True),
        ("/wheels/x-1.0-py3-none-any.whl", True),
        ("dist/churn-0.1.tar.gz", True),
        ("git+https://github.com/a/b.git", True),
        ("$PKG", True),
        ("pandas", False),
        ("uvicorn[standard]>=0.29", False),
        ("pkg @ https://x.invalid/pkg.whl", True),
    ],
)
def test_is_local_or_url(arg: str, local: bool) -> None:
    assert is_local_or_url(arg) is local
