"""Which new-side lines a patch adds, and which spans stay inside one hunk."""

from __future__ import annotations

from mlnudge.github.diff import parse_patch

PATCH = """@@ -1,3 +1,4 @@
 import pandas as pd
-x = 1
+x = 2
+y = 3
 z = 4
@@ -10,2 +11,3 @@ def train():
     a = 1
+    b = 2
\\ No newline at end of file"""


def test_added_lines_are_numbered_on_the_new_side() -> None:
    diff = parse_patch(PATCH)
    assert diff.added == {2, 3, 12}
    assert diff.hunks == (range(1, 5), range(11, 14))


def test_spans_must_stay_in_one_hunk() -> None:
    diff = parse_patch(PATCH)
    assert diff.can_span(2, 4)
    assert not diff.can_span(3, 12)
    assert not diff.can_span(4, 5)


def test_hunk_without_count_and_empty_patch() -> None:
    assert parse_patch("@@ -0,0 +1 @@\n+only").added == {1}
    assert parse_patch("").added == frozenset()
    assert parse_patch("Binary files differ").added == frozenset()
