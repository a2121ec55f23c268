"""Panels that apps add to the officials' home pages (a village's page, the list of villages, the
camat's dashboard) without the page's app knowing them: core and penduduk import no later app.

An app registers ``panel(request, desa_ids)`` in its AppConfig.ready; it returns HTML (already
escaped, e.g. from ``render_to_string``) or "" when it has nothing to show for this user.
"""

from django.utils.safestring import mark_safe

PANELS = []


def register(panel):
    if panel not in PANELS:
        PANELS.append(panel)


def render(request, desa_ids=None):
    """Every registered panel's HTML for these villages (None: every village the user sees)."""
    return mark_safe("".join(str(panel(request, desa_ids) or "") for panel in PANELS))
