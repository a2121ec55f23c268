"""Charts as plain SVG drawn on the server: no JavaScript, no CDN, and they print.

Each function returns the SVG as safe HTML to put straight into a template. Men are dark and
women light with an outline, and the figure is written beside every bar, so a chart still reads
on a grey-scale printout. Numbers are written with a dot (SVG's syntax), never localised.
"""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

ROW = 22  # height of one bar's row
TEXT_Y = 15.4  # baseline of a row's text


def _number(n):
    return f"{n:,}".replace(",", ".")  # 12.345, as Indonesian writes thousands


def bars(rows, title, label_width=230, bar_width=300):
    """Horizontal stacked bars (men, women), one per table row (``services.Baris``)."""
    top = max((row.jumlah for row in rows), default=0) or 1
    width, height = label_width + bar_width + 70, max(len(rows), 1) * ROW
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}">']
    for i, row in enumerate(rows):
        men, women = bar_width * row.laki_laki / top, bar_width * row.perempuan / top
        label = row.label if len(row.label) <= 34 else row.label[:33] + "…"
        parts.append(
            f'<g transform="translate(0 {i * ROW})"><text x="{label_width - 6}" y="{TEXT_Y}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="men" x="{label_width}" y="3" width="{men:.1f}" height="16"/>'
            f'<rect class="women" x="{label_width + men:.1f}" y="3" width="{women:.1f}" height="16"/>'
            f'<text x="{label_width + men + women + 4:.1f}" y="{TEXT_Y}">{_number(row.jumlah)}</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def pyramid(rows, side=200, middle=56):
    """A population pyramid from the five-year age rows: oldest on top, men left, women right."""
    top = max((max(row.laki_laki, row.perempuan) for row in rows), default=0) or 1
    width, height = 2 * side + middle, len(rows) * ROW
    parts = [f'<svg class="chart pyramid" viewBox="0 -22 {width} {height + 22}" width="100%" role="img" '
             f'aria-label="{escape(_("Population pyramid"))}">',
             f'<text x="{side - 4}" y="-6" text-anchor="end" class="head">{escape(_("Men"))}</text>',
             f'<text x="{side + middle + 4}" y="-6" class="head">{escape(_("Women"))}</text>']
    for i, row in enumerate(reversed(rows)):
        men, women = side * row.laki_laki / top, side * row.perempuan / top
        label = escape(row.label)
        parts.append(
            f'<g transform="translate(0 {i * ROW})">'
            f'<rect class="men" x="{side - men:.1f}" y="3" width="{men:.1f}" height="16"><title>{label}: {_number(row.laki_laki)}</title></rect>'
            f'<text x="{side + middle / 2}" y="{TEXT_Y}" text-anchor="middle">{label}</text>'
            f'<rect class="women" x="{side + middle}" y="3" width="{women:.1f}" height="16"><title>{label}: {_number(row.perempuan)}</title></rect></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def spark(values, label, width=120, height=28):
    """A small column chart (e.g. a village's age structure) for a table cell."""
    top = max(values, default=0) or 1
    step = width / max(len(values), 1)
    parts = [f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(label)}">']
    for i, value in enumerate(values):
        h = height * value / top
        parts.append(f'<rect x="{i * step:.1f}" y="{height - h:.1f}" width="{step - 1:.1f}" height="{h:.1f}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
