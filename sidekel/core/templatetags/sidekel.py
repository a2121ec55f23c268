from django import template

from sidekel.core import nik

register = template.Library()


@register.filter
def mask(number):
    """``6201**********0001``: how lists show a NIK or KK number."""
    return nik.mask(number)
