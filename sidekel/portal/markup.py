"""The tiny, safe markup of news text: no HTML from users, ever.

The text is escaped first. Then a blank line starts a paragraph, a line break stays a line
break, lines starting with "- " become a list (with "1. ", "2. " a numbered one), and web
addresses become links (rel=nofollow).
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
        elif all(NUMBERED.match(line.lstrip()) for line in lines):
            items = "".join(f"<li>{_inline(NUMBERED.sub('', line.lstrip(), count=1))}</li>" for line in lines)
            parts.append(f"<ol>{items}</ol>")
        else:
            parts.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return mark_safe("".join(parts))


def summary(text, length=160):
    """The first words of the text, escaped, for a list."""
    flat = " ".join((text or "").split())
    return escape(flat if len(flat) <= length else flat[: length - 1].rsplit(" ", 1)[0] + "…")


def document(text, image_url=None):
    """A longer text kept in the package (docs such as privasi.md, the operator's guide): "# " and
    "## " lines become headings, the rest is rendered as ``render`` does. Written by us, escaped
    all the same. In it, `name` is code and **words** are strong (a button's label); with
    ``image_url(name) -> URL``, a line ``![caption](name.png)`` is a figure."""
    parts, block = [], []

    def flush():
        if block:
            parts.append(render("\n".join(block)))
            block.clear()

    for line in normalize_newlines(text or "").split("\n"):
        level = len(line) - len(line.lstrip("#"))
        image = IMAGE.fullmatch(line.strip()) if image_url else None
        if 1 <= level <= 3 and line[level:level + 1] == " ":  # a heading
            flush()
            tag = f"h{level}"
            parts.append(f"<{tag}>{escape(line[level + 1:].strip())}</{tag}>")
        elif image:
            flush()
            caption, name = image.groups()
            parts.append(f'<figure><img src="{escape(image_url(name))}" alt="{escape(caption)}" loading="lazy">'
                         f"<figcaption>{escape(caption)}</figcaption></figure>")
        else:
            block.append(line)
    flush()
    # `name` is code (a setting, a field): the text is escaped already, so only backticks are replaced.
    html = CODE.sub(r"<code>\1</code>", "".join(parts))
    return mark_safe(STRONG.sub(r"<strong>\1</strong>", html))


def images(text):
    """The names of the figures ``document`` would show, in order."""
    return [m.group(2) for m in (IMAGE.fullmatch(line.strip()) for line in normalize_newlines(text or "").split("\n"))
            if m]


CODE = re.compile(r"`([^`<>]+)`")
STRONG = re.compile(r"\*\*([^*<>]+)\*\*")
NUMBERED = re.compile(r"\d{1,2}\. ")
IMAGE = re.compile(r"!\[([^\]]+)\]\(([\w.-]+\.png)\)")
