"""Charts as plain SVG drawn on the server: no JavaScript, no CDN, and they print.

Each function returns the numbers a template needs to draw the chart (positions in SVG user
units); the templates in templates/statistik/ draw them. Men are dark and women light, with the
figure written beside every bar, so a chart still reads on a grey-scale printout.
"""

LABEL_WIDTH = 230
BAR_WIDTH = 300
ROW_HEIGHT = 22


def bars(rows, label_width=LABEL_WIDTH):
    """Horizontal stacked bars (men, women) for table rows (``Baris``)."""
    top = max((row.jumlah for row in rows), default=0) or 1
    drawn = []
    for i, row in enumerate(rows):
        men = BAR_WIDTH * row.laki_laki / top
        women = BAR_WIDTH * row.perempuan / top
        drawn.append({"y": i * ROW_HEIGHT, "label": row.label, "men": round(men, 1), "women": round(women, 1),
                      "women_x": round(label_width + men, 1), "value_x": round(label_width + men + women + 4, 1),
                      "value": row.jumlah})
    return {"rows": drawn, "width": label_width + BAR_WIDTH + 70, "height": max(len(rows), 1) * ROW_HEIGHT,
            "label_width": label_width, "text_y": ROW_HEIGHT * 0.7}


PYRAMID_SIDE = 200
PYRAMID_MIDDLE = 56


def pyramid(rows):
    """A population pyramid from the five-year age rows: oldest band on top, men left, women right."""
    top = max((max(row.laki_laki, row.perempuan) for row in rows), default=0) or 1
    drawn = []
    for i, row in enumerate(reversed(rows)):
        men = PYRAMID_SIDE * row.laki_laki / top
        women = PYRAMID_SIDE * row.perempuan / top
        drawn.append({"y": i * ROW_HEIGHT, "label": row.label, "men": round(men, 1), "men_x": round(PYRAMID_SIDE - men, 1),
                      "women": round(women, 1), "laki_laki": row.laki_laki, "perempuan": row.perempuan})
    return {"rows": drawn, "side": PYRAMID_SIDE, "middle": PYRAMID_MIDDLE, "women_x": PYRAMID_SIDE + PYRAMID_MIDDLE,
            "width": 2 * PYRAMID_SIDE + PYRAMID_MIDDLE, "height": len(rows) * ROW_HEIGHT, "text_y": ROW_HEIGHT * 0.7,
            "centre": PYRAMID_SIDE + PYRAMID_MIDDLE / 2}


def spark(values, width=120, height=28):
    """A small column chart (e.g. a village's age structure) for the dashboard table."""
    top = max(values, default=0) or 1
    step = width / max(len(values), 1)
    return {"width": width, "height": height,
            "columns": [{"x": round(i * step, 1), "w": round(step - 1, 1), "h": round(height * v / top, 1),
                         "y": round(height - height * v / top, 1), "value": v} for i, v in enumerate(values)]}
