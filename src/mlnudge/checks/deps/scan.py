"""Which imported top-level modules are the standard library's.

Which distribution provides an import name is :mod:`mlnudge.checks.deps.names`' business; the
standard library comes from ``sys.stdlib_module_names``. The imports themselves are recorded
once per file by :mod:`mlnudge.checks.deps.facts`.
"""

from __future__ import annotations

import sys

#: standard-library modules removed in recent Pythons, and Python 2's names (old scripts)
_FORMER_STDLIB = frozenset(
    {
        "distutils",
        "imp",
        "asynchat",
        "asyncore",
        "smtpd",
        "cgi",
        "cgitb",
        "crypt",
        "imghdr",
        "mailcap",
        "msilib",
        "nis",
        "nntplib",
        "ossaudiodev",
        "pipes",
        "sndhdr",
        "spwd",
        "sunau",
        "telnetlib",
        "uu",
        "xdrlib",
        "lib2to3",
        "urllib2",
        "urlparse",
        "httplib",
        "ConfigParser",
        "cPickle",
        "cStringIO",
        "StringIO",
        "Queue",
        "Tkinter",
        "tkMessageBox",
        "commands",
        "__builtin__",
        "HTMLParser",
        "cookielib",
        "SocketServer",
        "thread",
        "dummy_threading",
        "_thread",
    }
)


def is_stdlib(module: str) -> bool:
    return module in sys.stdlib_module_names or module in _FORMER_STDLIB or module == "__future__"
