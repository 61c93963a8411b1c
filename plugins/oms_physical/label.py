"""The shipping label: a 4x6 inch PDF page with both addresses and a Code 128 barcode.

Drawn with reportlab's built-in Helvetica and Courier, which need no font files and cover
Latin-1 (Windows-1252). Characters outside it are transliterated where that is obvious
("Ł" -> "L", "ź" -> "z") and otherwise printed as "?", so no address can break a label.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import inch
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from oms_physical.config import format_weight

PAGE_SIZE = (4 * inch, 6 * inch)  # 288 x 432 pt
MARGIN = 14.0
BARCODE_HEIGHT = 72.0
MAX_BAR_WIDTH = 1.5  # pt; narrower bars when the number is long, so the code always fits

REGULAR, BOLD, MONO = "Helvetica", "Helvetica-Bold", "Courier-Bold"
ELLIPSIS = "\u2026"  # in Windows-1252, so the standard fonts have it
# Letters with no Unicode decomposition to a Latin-1 base letter.
_TRANSLITERATE = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i"})


def draw_label(
    *,
    ship_from: Mapping[str, str | None],
    ship_to: Mapping[str, str | None],
    order_number: str,
    weight_grams: int | None,
    carrier_name: str,
    tracking_number: str,
    reference: str | None = None,
) -> bytes:
    """Return the PDF bytes of one label.

    Addresses are dicts as ``oms.orders.addresses.check_address`` returns them; missing
    optional fields are skipped and long lines are wrapped or cut with an ellipsis.
    ``tracking_number`` must be printable ASCII, the characters Code 128 can carry:
    a ValueError says so otherwise.
    """
    if not tracking_number or not all(" " <= char <= "~" for char in tracking_number):
        raise ValueError(f"A tracking number must be printable ASCII: {tracking_number!r}")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE_SIZE, invariant=1)
    canvas.setTitle(_text(f"Shipping label {order_number}"))
    width, height = PAGE_SIZE
    text_width = width - 2 * MARGIN

    # Every block has a line limit, so the longest addresses still end above the barcode.
    y = _draw_address(canvas, height - MARGIN, "FROM", ship_from, text_width, size=8, max_lines=1)
    y = _rule(canvas, y - 4, width)
    y = _draw_address(canvas, y - 4, "SHIP TO", ship_to, text_width, size=13, max_lines=2)
    y = _rule(canvas, y - 4, width)
    weight = f"Weight: {format_weight(weight_grams)}" if weight_grams is not None else ""
    canvas.setFont(BOLD, 10)
    canvas.drawRightString(width - MARGIN, y - 13, weight)
    canvas.drawString(MARGIN, y - 13, "Order:")
    canvas.setFont(REGULAR, 10)
    order_width = text_width - 40 - stringWidth(weight, BOLD, 10) - 10
    canvas.drawString(MARGIN + 40, y - 13, _fit(_text(order_number), REGULAR, 10, order_width))
    if reference:
        canvas.drawString(MARGIN, y - 26, _fit(_text(f"Reference: {reference}"), REGULAR, 10, text_width))

    barcode_y = MARGIN + 16
    canvas.setFont(MONO, 11)
    canvas.drawCentredString(width / 2, MARGIN + 2, _fit(tracking_number, MONO, 11, text_width))
    _draw_barcode(canvas, tracking_number, MARGIN, barcode_y, text_width)
    canvas.setFont(BOLD, 14)
    carrier_y = barcode_y + BARCODE_HEIGHT + 8
    canvas.drawString(MARGIN, carrier_y, _fit(_text(carrier_name), BOLD, 14, text_width))
    _rule(canvas, carrier_y + 18, width)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_address(canvas: Canvas, top: float, heading: str, address: Mapping[str, str | None],
                  width: float, *, size: float, max_lines: int) -> float:
    """Draw a heading and the address below ``top``; return the y of the last baseline."""
    canvas.setFont(BOLD, 7)
    y = top - 7
    canvas.drawString(MARGIN, y, heading)
    place = " ".join(part for part in (address.get("city"), address.get("region"),
                                       address.get("postal_code")) if part)
    prominent = size > 10  # the recipient's name, place and country are what sorters read
    rows = [
        (address.get("name"), BOLD, size + 3 if prominent else size),
        (address.get("line1"), REGULAR, size),
        (address.get("line2"), REGULAR, size),
        (place, BOLD if prominent else REGULAR, size),
        (address.get("country"), BOLD if prominent else REGULAR, size),
        (address.get("phone") and f"Tel. {address['phone']}", REGULAR, min(size, 9)),
    ]
    for value, font, font_size in rows:
        if not value:
            continue
        for line in _wrap(_text(value), font, font_size, width, max_lines):
            y -= font_size * 1.15
            canvas.setFont(font, font_size)
            canvas.drawString(MARGIN, y, line)
    return y


def _draw_barcode(canvas: Canvas, value: str, x: float, y: float, width: float) -> None:
    modules = Code128(value, barWidth=1, quiet=0).width  # symbol width in narrowest bars
    bar = min(MAX_BAR_WIDTH, width / (modules + 20))  # and a 10-bar quiet zone each side
    barcode = Code128(value, barWidth=bar, barHeight=BARCODE_HEIGHT, lquiet=10 * bar, rquiet=10 * bar)
    barcode.drawOn(canvas, x + (width - barcode.width) / 2, y)


def _rule(canvas: Canvas, y: float, page_width: float) -> float:
    canvas.setLineWidth(1)
    canvas.line(MARGIN, y, page_width - MARGIN, y)
    return y - 4


def _text(value: object) -> str:
    """The value as one line the standard fonts can draw (Windows-1252)."""
    text = " ".join(str(value).split()).translate(_TRANSLITERATE)
    if _drawable(text):
        return text
    return "".join(char if _drawable(char) else _fallback(char) for char in text)


def _fallback(char: str) -> str:
    base = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
    return base if base and _drawable(base) else "?"


def _drawable(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, cut and ended with an ellipsis if it is wider than ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + ELLIPSIS, font, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    lines = simpleSplit(text, font, size, width)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1:])
        lines = lines[: max_lines - 1] + [_fit(rest + ELLIPSIS, font, size, width)]
    return [_fit(line, font, size, width) for line in lines]
