"""Reporting to GitHub: the Actions environment, the sticky PR comment, inline reviews, check runs.

Only ``mlnudge github`` imports this package, so PyGithub never loads on the ``mlnudge check``
path (pre-commit hooks run that on every commit).

- :mod:`mlnudge.github.context`: the Actions environment, the pull request, untrusted artifacts;
- :mod:`mlnudge.github.diff`: which lines a pull request changed;
- :mod:`mlnudge.github.comment`: the sticky comment, review comments and the check run (pure);
- :mod:`mlnudge.github.api`: the REST calls through PyGithub, with retries and degradation;
- :mod:`mlnudge.github.cli`: ``main(argv) -> int``.
"""
