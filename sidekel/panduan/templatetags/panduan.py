from django import template
from django.urls import reverse

from sidekel.panduan.guide import section_for

register = template.Library()


@register.simple_tag(takes_context=True)
def bantuan_url(context):
    """The guide's section about the page being shown, or its contents."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    slug = section_for(match.view_name if match else None)
    return reverse("panduan:section", args=[slug]) if slug else reverse("panduan:index")
