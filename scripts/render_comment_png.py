"""Render docs/github/example-comment.md's sticky comment to docs/github/comment.png.

A documentation helper, not part of the tests: needs `markdown-it-py` (dev extra) and a
headless Chromium and a colour emoji font (Debian packages `chromium` and
`fonts-noto-color-emoji`: without the font the comment's emoji render as empty boxes).
Run: python scripts/render_comment_png.py

The example is itself generated from a real run of the engine on a realistic pull request
(tests/github/test_docs_example.py). The picture is sized to the comment (a first Chromium
run measures it) and carries the SHA-256 of the markdown it shows in a PNG text chunk
(``mlnudge-source-sha256``), so a test can tell when the picture is stale.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
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
ul, ol { padding-left: 22px; margin: 4px 0; } li { margin: 2px 0; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 3px 12px; } th { background: #f6f8fa; }
pre { background: #f6f8fa; border-radius: 6px; padding: 8px 12px; margin: 6px 0; }
pre code { background: none; padding: 0; }
h3 + p { margin-top: 0; }
details { margin: 8px 0; } summary { cursor: pointer; color: #59636e; }
"""


def sticky_comment(markdown: str) -> str:
    """The first fenced part of the example: from the sticky marker to the next '## ' heading."""
    start = markdown.index("<!-- mlnudge:sticky")
    rest = markdown[start:]
    end = re.search(r"^## ", rest, flags=re.MULTILINE)
    return rest[: end.start()] if end else rest


def source_digest(markdown: str) -> str:
    """What the picture shows, as a hash: the sticky part of the example."""
    return hashlib.sha256(sticky_comment(markdown).encode("utf-8")).hexdigest()


def png_text(data: bytes) -> dict[str, str]:
    """The ``tEXt`` chunks of a PNG (keyword -> text)."""
    out: dict[str, str] = {}
    pos = 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"tEXt" and b"\0" in body:
            key, _, value = body.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        pos += 12 + length
    return out


def _with_text(data: bytes, key: str, value: str) -> bytes:
    """``data`` with one ``tEXt`` chunk inserted before ``IEND``."""
    body = key.encode("latin-1") + b"\0" + value.encode("latin-1")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    end = data.rindex(b"IEND") - 4
    return data[:end] + chunk + data[end:]


def _chromium(chromium: str, tmp: str, *args: str) -> str:
    proc = subprocess.run(
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
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.stdout


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("needs a headless Chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    markdown = SOURCE.read_text(encoding="utf-8")
    html_body = (
        MarkdownIt("commonmark", {"html": True, "breaks": True})
        .enable("table")
        .render(sticky_comment(markdown))
    )
    measure = (
        "<script>addEventListener('load', () => { document.body.dataset.height = "
        "document.querySelector('.comment').getBoundingClientRect().bottom; });</script>"
    )
    page = (
        f"<!doctype html><meta charset=utf-8><style>{CSS}</style>"
        '<div class="comment"><div class="header"><b>github-actions</b> bot commented</div>'
        f'<div class="body">{html_body}</div></div>'
    )
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "comment.html"
        html.write_text(page + measure, encoding="utf-8")
        dom = _chromium(chromium, tmp, "--window-size=900,800", "--dump-dom", html.as_uri())
        found = re.search(r'data-height="([0-9.]+)"', dom)
        height = int(float(found.group(1))) + 16 if found else 1640
        html.write_text(page, encoding="utf-8")
        shot = Path(tmp) / "comment.png"
        _chromium(chromium, tmp, f"--window-size=900,{height}", f"--screenshot={shot}",
                  html.as_uri())  # fmt: skip
        data = _with_text(shot.read_bytes(), "mlnudge-source-sha256", source_digest(markdown))
    TARGET.write_bytes(data)
    print(f"wrote {TARGET} (900x{height})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
