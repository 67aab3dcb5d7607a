"""Django's ``{# #}`` comment is one line only: a ``{#`` left open at the end of a line is printed on the page as text
(the plan page showed objective_tree.html's note to developers above the tree). Longer notes use
``{% comment %}``."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_comment_spans_lines():
    open_comments = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.rfind("{#") > line.rfind("#}"):
                open_comments.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert open_comments == []
