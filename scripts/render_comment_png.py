"""Render docs/github/example-comment.md's sticky comment to docs/github/comment.png.

A documentation helper, not part of the tests: needs `markdown-it-py` (dev extra) and a
headless Chromium (Debian package `chromium`). Run: python scripts/render_comment_png.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "docs" / "github" / "example-comment.md"
TARGET = ROOT / "docs" / "github" / "comment.png"

CSS = """
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "DejaVu Sans",
       Helvetica, Arial, sans-serif; color: #1f2328; }
.comment { width: 860px; margin: 16px; border: 1px solid #d0d7de; border-radius: 6px;
           background: #fff; }
.header { background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 8px 16px;
          border-radius: 6px 6px 0 0; color: #59636e; }
.header b { color: #1f2328; }
.body { padding: 8px 16px 16px; }
code { background: #eff1f3; border-radius: 4px; padding: 1px 4px; font-size: 12px;
       font-family: "DejaVu Sans Mono", monospace; }
a { color: #0969da; text-decoration: none; }
h3 { font-size: 18px; margin: 12px 0 8px; } h4 { font-size: 15px; margin: 14px 0 6px; }
ul { padding-left: 22px; margin: 4px 0; } li { margin: 2px 0; }
details { margin: 8px 0; } summary { cursor: pointer; color: #59636e; }
"""


def sticky_comment(markdown: str) -> str:
    """The first fenced part of the example: from the sticky marker to the next '## ' heading."""
    start = markdown.index("<!-- mlnudge:sticky")
    rest = markdown[start:]
    end = re.search(r"^## ", rest, flags=re.MULTILINE)
    return rest[: end.start()] if end else rest


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("needs a headless Chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    html_body = MarkdownIt("commonmark", {"html": True}).render(sticky_comment(SOURCE.read_text()))
    page = (
        f"<!doctype html><meta charset=utf-8><style>{CSS}</style>"
        '<div class="comment"><div class="header"><b>github-actions</b> bot commented</div>'
        f'<div class="body">{html_body}</div></div>'
    )
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "comment.html"
        html.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={tmp}/profile",
                "--hide-scrollbars",
                "--window-size=900,1640",
                f"--screenshot={TARGET}",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
