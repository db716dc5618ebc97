"""Charts as SVG drawn on the server: no JavaScript, the same in the page, in print and in PDF.

Readable in grayscale: everyone's bars are solid dark grey, the segment's light
grey with a black outline, always in the same order. The charts are decorative for
screen readers (`aria-hidden`): the table they sit in (or beside) holds the figures.
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = 'font-family="DejaVu Sans"'
WIDTH = 640
EVERYONE_FILL = "#3d4650"  # 9.9:1 on white, dark grey in print
BAR = 14


SEGMENT_FILL = (
    "#d5dae0"  # light grey with a black outline: tells apart from everyone's in grayscale
)
BAR_WIDTH = 220


def _legend(segment_label: str, y: int) -> str:
    everyone = _("Visi respondenti")
    parts = [
        f'<rect x="0" y="{y}" width="14" height="14" fill="{EVERYONE_FILL}"/>',
        f'<text x="20" y="{y + 12}" font-size="13" {FONT}>{escape(everyone)}</text>',
    ]
    if segment_label:
        x = 40 + 8 * len(everyone)
        parts += [
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{SEGMENT_FILL}" '
            'stroke="#000000" stroke-width="1.5"/>',
            f'<text x="{x + 20}" y="{y + 12}" font-size="13" {FONT}>{escape(segment_label)}</text>',
        ]
    return "".join(parts)


def _svg(width: int, height: int, body: str, css_class: str = "chart") -> SafeString:
    return mark_safe(  # noqa: S308 — every text inside is escaped
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )


def row_bars(share: Decimal, segment_share: Decimal | None) -> SafeString:
    """One table row's bars: everyone's (solid dark) and the segment's (light, outlined) below.

    The bars sit in the table beside the figures they draw, so the chart reads in the
    questionnaire's choice order and its labels are the table's own text (fast in print, too).
    """
    height = BAR if segment_share is None else 2 * BAR + 3
    parts = [f'<rect x="0" y="0" width="1" height="{height}" fill="#000000"/>']
    width = round(float(share) / 100 * (BAR_WIDTH - 2))
    if width:
        parts.append(f'<rect x="1" y="0" width="{width}" height="{BAR}" fill="{EVERYONE_FILL}"/>')
    if segment_share is not None:
        width = round(float(segment_share) / 100 * (BAR_WIDTH - 2))
        if width:
            parts.append(
                f'<rect x="1.75" y="{BAR + 3.75}" width="{max(width - 1.5, 0.5)}" '
                f'height="{BAR - 1.5}" fill="{SEGMENT_FILL}" stroke="#000000" stroke-width="1.5"/>'
            )
    return _svg(BAR_WIDTH, height, "".join(parts), "bars")


def distribution_chart(view, segment_label: str) -> SafeString:
    """Columns per value of a rating or number, everyone's and the segment's side by side."""
    has_segment = bool(segment_label) and any(row.segment_count is not None for row in view.rows)
    columns = len(view.rows) or 1
    top, plot = 24, 150
    slot = min(90, (WIDTH - 20) // columns)
    parts = [_legend(segment_label if has_segment else "", 0)]
    parts.append(
        f'<line x1="0" y1="{top + plot}" x2="{slot * columns}" y2="{top + plot}" '
        'stroke="#000000" stroke-width="1"/>'
    )
    width = (slot - 16) // (2 if has_segment else 1)
    # Columns scale to the tallest share, so small differences stay visible.
    shares = [row.percent for row in view.rows] + [row.segment_percent or 0 for row in view.rows]
    scale = float(max(shares) or 1)
    for index, row in enumerate(view.rows):
        x = index * slot + 8
        bars = [(row.percent, row.percent_text, False)]
        if has_segment:
            bars.append((row.segment_percent or Decimal(0), row.segment_percent_text, True))
        for offset, (share, text, segment) in enumerate(bars):
            height = int(float(share) / scale * (plot - 14))
            left = x + offset * width
            fill = SEGMENT_FILL if segment else EVERYONE_FILL
            outline = ' stroke="#000000" stroke-width="1.5"' if segment else ""
            if height:
                parts.append(
                    f'<rect x="{left}" y="{top + plot - height}" width="{width - 2}" '
                    f'height="{height}" fill="{fill}"{outline}/>'
                )
            parts.append(
                f'<text x="{left + (width - 2) / 2}" y="{top + plot - height - 4}" font-size="10" '
                f'text-anchor="middle" {FONT}>{escape(text)}</text>'
            )
        parts.append(
            f'<text x="{x + (slot - 16) / 2}" y="{top + plot + 16}" font-size="13" '
            f'text-anchor="middle" {FONT}>{escape(row.label)}</text>'
        )
    return _svg(WIDTH, top + plot + 24, "".join(parts))
