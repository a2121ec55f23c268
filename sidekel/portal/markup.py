"""The tiny, safe markup of news text: no HTML from users, ever.

The text is escaped first. Then a blank line starts a paragraph, a line break stays a line
break, lines starting with "- " become a list, and web addresses become links (rel=nofollow).
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines
from django.utils.html import urlize


def _inline(text):
    return urlize(text, nofollow=True, autoescape=True)


def render(text):
    parts = []
    for block in normalize_newlines(text or "").split("\n\n"):
        lines = [line.rstrip() for line in block.strip("\n").split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:])}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return mark_safe("".join(parts))


def summary(text, length=160):
    """The first words of the text, escaped, for a list."""
    flat = " ".join((text or "").split())
    return escape(flat if len(flat) <= length else flat[: length - 1].rsplit(" ", 1)[0] + "…")


def document(text):
    """A longer text kept in the package (docs such as privasi.md): "# " and "## " lines become
    headings, the rest is rendered as ``render`` does. Written by us, escaped all the same."""
    parts, block = [], []

    def flush():
        if block:
            parts.append(render("\n".join(block)))
            block.clear()

    for line in normalize_newlines(text or "").split("\n"):
        level = len(line) - len(line.lstrip("#"))
        if 1 <= level <= 3 and line[level:level + 1] == " ":  # a heading
            flush()
            tag = f"h{level}"
            parts.append(f"<{tag}>{escape(line[level + 1:].strip())}</{tag}>")
        else:
            block.append(line)
    flush()
    # `name` is code (a setting, a field): the text is escaped already, so only backticks are replaced.
    return mark_safe(CODE.sub(r"<code>\1</code>", "".join(parts)))


CODE = re.compile(r"`([^`<>]+)`")
