from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.translation import gettext as _

from sidekel.statistik.privacy import threshold

register = template.Library()


@register.filter
def angka(value):
    """A published count: "<3" (with an explanation) when hidden, else the number with thousands dots."""
    if value is None:
        n = threshold()
        return format_html('<abbr title="{}">&lt;{}</abbr>', _("fewer than %(n)d, hidden to protect privacy") % {"n": n}, n)
    return intcomma(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
