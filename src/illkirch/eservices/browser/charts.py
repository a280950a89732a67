"""The dashboard's charts (``@@tableau-de-bord``), drawn on the server as
inline SVG: no script, nothing to load, the same in every browser.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and
described by its ``<desc>`` (``aria-labelledby``); the figures themselves
are in the data table the page shows beside it (its accessible version).
The series differ by their fill (solid, hatched) and by the value written
at the end of each bar, never by their colour alone (WCAG 1.4.1); both
colours reach 6:1 and more on white (1.4.11 asks 3:1).

The charts keep their size (their text stays readable): on a phone, their
box scrolls sideways in its own region (``statistics.css``), never the page
(1.4.10).
"""

from xml.sax.saxutils import escape


# The two series' colours on white: #0a3d7a 11.5:1, #8a4b00 6.3:1.
COLOURS = ("#0a3d7a", "#8a4b00")
TEXT = "#212529"
AXIS = "#495057"
FONT = 'font-family="system-ui, sans-serif"'


def _number(value):
    """A figure as written on a chart: ``3``, ``2,5``, or « – » (none)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return str(value)


def _magnitude(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0  # « < 5 », None: no bar


def _scale_top(values):
    """A round top of the axis, at or above the largest value: four
    graduations of 1, 2, 5, 10, 20, 50… each."""
    top = max([_magnitude(v) for v in values] + [4.0])
    step = 1
    factors = (2, 2.5, 2)
    index = 0
    while step * 4 < top:
        step *= factors[index % 3]
        index += 1
    return step * 4


def _defs(chart_id):
    """The hatched fill of the second series."""
    return (
        "<defs>"
        f'<pattern id="{chart_id}-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="3" height="6" fill="{COLOURS[1]}"/>'
        "</pattern>"
        "</defs>"
    )


def _fill(chart_id, index):
    return COLOURS[0] if index == 0 else f"url(#{chart_id}-hatch)"


def _legend(chart_id, names, y, x=10):
    parts = []
    for index, name in enumerate(names):
        parts.append(
            f'<rect x="{x}" y="{y - 11}" width="14" height="14" '
            f'fill="{_fill(chart_id, index)}" stroke="{COLOURS[index]}"/>'
            f'<text x="{x + 20}" y="{y}" font-size="13" fill="{TEXT}">'
            f"{escape(name)}</text>"
        )
        x += 30 + 8 * len(name)
    return "".join(parts)


def _open(chart_id, width, height, title, desc):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'class="eservices-chart" id="{chart_id}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMinYMin meet" {FONT} '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def column_chart(chart_id, title, desc, categories, series):
    """Vertical bars: for each category (a month, a quarter…), one bar per
    series side by side. ``series``: ``[(name, [values])]``, one or two,
    each value under its category's index. A bar's value is written above
    it."""
    count = max(len(categories), 1)
    left, top, bottom = 40, 40, 50
    group = max(30, min(80, 640 // count))
    bar = (group - 10) / max(len(series), 1)
    width = left + group * count + 10
    height = 260
    plot = height - top - bottom
    values = [value for _name, row in series for value in row]
    scale_top = _scale_top(values)
    parts = [_open(chart_id, width, height, title, desc), _defs(chart_id)]
    parts.append(_legend(chart_id, [name for name, _row in series], 18))
    # the axis and its graduations
    for tick in range(5):
        value = scale_top * tick / 4
        y = top + plot - plot * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="{AXIS}">{_number(round(value, 1))}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{width - 10}" y1="{top + plot}" '
        f'y2="{top + plot}" stroke="{AXIS}" stroke-width="1"/>'
    )
    for index, category in enumerate(categories):
        x0 = left + group * index + 5
        for number, (_name, row) in enumerate(series):
            value = row[index] if index < len(row) else None
            size = plot * _magnitude(value) / scale_top
            x = x0 + bar * number
            y = top + plot - size
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" '
                f'height="{size:.1f}" fill="{_fill(chart_id, number)}" '
                f'stroke="{COLOURS[number]}"/>'
                f'<text x="{x + (bar - 2) / 2:.1f}" y="{y - 4:.1f}" '
                f'font-size="11" text-anchor="middle" fill="{TEXT}">'
                f"{escape(_number(value))}</text>"
            )
        parts.append(
            f'<text x="{x0 + (group - 10) / 2:.1f}" y="{top + plot + 16}" '
            f'font-size="10" text-anchor="middle" fill="{TEXT}">'
            f"{escape(category)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(chart_id, title, desc, categories, series):
    """Horizontal bars: one row per category (a service), one bar per
    series, the value written after each bar. Same ``series`` as
    ``column_chart``."""
    label_width, right = 260, 60
    plot = 320
    row = 14 * len(series) + 14
    top = 34
    width = label_width + plot + right
    height = top + row * max(len(categories), 1) + 10
    values = [value for _name, values in series for value in values]
    scale_top = _scale_top(values)
    parts = [_open(chart_id, width, height, title, desc), _defs(chart_id)]
    parts.append(_legend(chart_id, [name for name, _values in series], 18))
    parts.append(
        f'<line x1="{label_width}" x2="{label_width}" y1="{top}" '
        f'y2="{height - 10}" stroke="{AXIS}" stroke-width="1"/>'
    )
    for index, category in enumerate(categories):
        y0 = top + row * index + 7
        name = category if len(category) <= 38 else category[:37] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y0 + row / 2 - 3:.1f}" '
            f'font-size="12" text-anchor="end" fill="{TEXT}">{escape(name)}</text>'
        )
        for number, (_name, values) in enumerate(series):
            value = values[index] if index < len(values) else None
            size = plot * _magnitude(value) / scale_top
            y = y0 + 14 * number
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{size:.1f}" '
                f'height="12" fill="{_fill(chart_id, number)}" '
                f'stroke="{COLOURS[number]}"/>'
                f'<text x="{label_width + size + 4:.1f}" y="{y + 10}" '
                f'font-size="11" fill="{TEXT}">{escape(_number(value))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
