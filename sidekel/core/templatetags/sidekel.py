import functools

from django import template
from django.urls import get_script_prefix, reverse

from sidekel.core import nik

register = template.Library()


@register.simple_tag
def url_of(name):
    """``{% url_of "penduduk:list" %}``: what ``{% url "penduduk:list" %}`` gives for a page without
    arguments, reversed once per process (a reverse costs about as much as printing ten values,
    and the menu of every page has a dozen)."""
    return _reversed(name, get_script_prefix())


@functools.lru_cache(maxsize=512)
def _reversed(name, prefix):
    return reverse(name)  # reverse reads the prefix itself; it is in the key of the cache


@register.filter
def mask(number):
    """``620102**********``: how lists show a NIK or KK number."""
    return nik.mask(number)


@register.filter
def nomor(number, revealed):
    """A NIK or KK number: whole when the view has ``identity.reveal``-ed it, masked otherwise."""
    from sidekel.core.identity import shown

    return shown(number, revealed)


@register.filter
def mask_numbers(text):
    """Free text (a reason, an import finding) with any NIK or KK number in it masked."""
    from sidekel.core.identity import mask_numbers

    return mask_numbers(text)


@register.simple_tag
def sparkline(values, width=90, height=22, low=0, high=100):
    """A tiny inline SVG line of ``values`` (oldest first) between ``low`` and ``high``: no
    JavaScript, no CDN. One value draws a dot; none draws nothing."""
    from django.utils.html import format_html

    values = [v for v in values if v is not None]
    if not values:
        return ""
    span = (high - low) or 1
    step = width / max(1, len(values) - 1)
    points = [(round(i * step, 1), round(height - 2 - (v - low) / span * (height - 4), 1)) for i, v in enumerate(values)]
    if len(points) == 1:
        points = [(0, points[0][1]), (width, points[0][1])]
    path = " ".join(f"{x},{y}" for x, y in points)
    last_x, last_y = points[-1]
    return format_html(
        '<svg class="spark" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/>'
        '<circle cx="{}" cy="{}" r="2" fill="currentColor"/></svg>',
        width, height, width, height, " → ".join(f"{v:g}" for v in values[-5:]), path, last_x, last_y)


@register.simple_tag(takes_context=True)
def permits(context, action, desa=None):
    """``{% permits "import" as can_import %}``: may the page's user take ``action`` (core.scope)
    in ``desa``, or, without a village, in at least one (a menu link shows only where it opens)."""
    from sidekel.core import scope

    user = context.get("user") or getattr(context.get("request"), "user", None)
    if desa is None:
        return scope.permits_somewhere(user, action)
    return scope.permits(user, action, desa)
