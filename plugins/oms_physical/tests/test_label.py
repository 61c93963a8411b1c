"""The shipping label PDF: what it says, where it says it, and a barcode that decodes."""

from __future__ import annotations

import io

import pypdf
import pytest
from reportlab.graphics.barcode.code128 import _patterns as CODE128_PATTERNS
from reportlab.pdfbase.pdfmetrics import stringWidth

from oms_physical.label import draw_label

SHIP_FROM = {"name": "oms demo warehouse", "line1": "1 Dock Road", "line2": None, "city": "Leeds",
             "region": None, "postal_code": "LS1 1AA", "country": "GB", "phone": None}
SHIP_TO = {"name": "Ada Lovelace", "line1": "12 Analytical Way", "line2": "Flat 3", "city": "London",
           "region": None, "postal_code": "N1 9GU", "country": "GB", "phone": "+44 20 7946 0000"}
TRACKING = "1Z999AA10123456784"


def label(**changes) -> bytes:
    arguments = dict(ship_from=SHIP_FROM, ship_to=SHIP_TO, order_number="OMS-1042", weight_grams=1050,
                     carrier_name="UPS", tracking_number=TRACKING, reference=None)
    return draw_label(**{**arguments, **changes})


def page(pdf: bytes) -> pypdf.PageObject:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0]


def text_runs(pdf: bytes) -> list[tuple[str, float, float, str, float]]:
    """(text, x, y, font name, size) of each piece of text drawn."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((text.strip(), tm[4] + cm[4], tm[5] + cm[5], font["/BaseFont"][1:], size))

    page(pdf).extract_text(visitor_text=visit)
    return runs


def bars(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """The filled rectangles (x, y, width, height) on the page, in page coordinates."""
    translate, found = (0.0, 0.0), []
    contents = page(pdf).get_contents()
    assert contents is not None, "the page draws nothing"
    for operands, operator in contents.operations:
        if operator == b"cm":
            translate = (float(operands[4]), float(operands[5]))
        elif operator == b"re":
            x, y, width, height = map(float, operands)
            found.append((x + translate[0], y + translate[1], width, height))
    return sorted(found)


def decode_code128(rectangles: list[tuple[float, float, float, float]]) -> str:
    """Read the bars back as Code 128: widths in modules, symbols, checksum, character sets."""
    widths = []
    for (x, _, width, _), following in zip(rectangles, [*rectangles[1:], None], strict=True):
        widths.append(width)
        if following is not None:
            widths.append(following[0] - x - width)
    module = min(widths)
    elements = [round(width / module) for width in widths]
    assert all(abs(width / module - count) < 0.01 for width, count in zip(widths, elements, strict=True))
    assert (len(elements) - 7) % 6 == 0, "symbols of 6 elements and a stop of 7"
    by_pattern = {pattern: value for value, pattern in CODE128_PATTERNS.items()}
    values = []
    for start in range(0, len(elements), 6):
        group = elements[start:start + 6] if start + 7 < len(elements) else elements[start:]
        letters = "".join(chr((ord("A") if i % 2 == 0 else ord("a")) + n - 1) for i, n in enumerate(group))
        values.append(by_pattern[letters])
        if len(group) == 7:
            break
    start_code, *data, checksum, stop = values
    assert stop == 106
    assert (start_code + sum(i * value for i, value in enumerate(data, 1))) % 103 == checksum
    charset, text = {103: "A", 104: "B", 105: "C"}[start_code], ""
    for value in data:
        if charset == "C" and value < 100:
            text += f"{value:02d}"
        elif charset != "C" and value < 96:
            text += chr(value + 32) if charset == "B" or value < 64 else chr(value - 64)
        else:
            charset = {99: "C", 100: "B", 101: "A"}[value]
    return text


def test_label_shows_addresses_order_weight_carrier_and_tracking_number():
    text = page(label(reference="PO-77")).extract_text()
    for address in (SHIP_FROM, SHIP_TO):
        for key in ("name", "line1", "city", "postal_code"):
            assert address[key] in text
    for expected in ("Flat 3", "+44 20 7946 0000", "OMS-1042", "1.05 kg", "UPS", TRACKING, "PO-77",
                     "FROM", "SHIP TO"):
        assert expected in text
    assert "None" not in text


def test_page_is_4_by_6_inches():
    box = page(label()).mediabox
    assert (float(box.width), float(box.height)) == (288, 432)


def test_optional_fields_are_skipped():
    text = page(label(weight_grams=None, ship_to={**SHIP_TO, "line2": None, "phone": None})).extract_text()
    assert "Weight" not in text and "Tel." not in text and "None" not in text


@pytest.mark.parametrize("tracking", [TRACKING, "9400111899223397845632", "JJD-0003/90x?", "7"])
def test_barcode_decodes_to_the_tracking_number(tracking):
    assert decode_code128(bars(label(tracking_number=tracking))) == tracking


def test_long_tracking_number_barcode_fits_the_page():
    tracking = "ABCDEFGHIJ" * 4
    rectangles = bars(label(tracking_number=tracking))
    assert decode_code128(rectangles) == tracking
    left, right = rectangles[0][0], rectangles[-1][0] + rectangles[-1][2]
    assert 14 < left and right < 288 - 14


def test_non_latin1_text_is_transliterated_or_replaced():
    ship_to = {**SHIP_TO, "name": "Zoë Müller", "line1": "ul. Źródlana 5", "city": "Łódź", "region": "łódzkie"}
    text = page(label(ship_to=ship_to, carrier_name="Почта 📦", order_number="№ 7")).extract_text()
    assert "Zoë Müller" in text  # Latin-1 kept
    assert "ul. Zródlana 5" in text and "Lódz lódzkie" in text
    assert "????? ?" in text and "No 7" in text


def test_long_values_stay_on_the_page_and_above_the_barcode():
    long = "Wolfeschlegelsteinhausenbergerdorff " * 6
    worst = {key: long for key in SHIP_TO} | {"country": "DE"}
    pdf = label(ship_from=worst, ship_to=worst, order_number=long, reference=long, carrier_name=long)
    runs = text_runs(pdf)
    assert any(text.endswith("\u2026") for text, *_ in runs)
    for text, x, _, font, size in runs:
        assert 14 <= x and x + stringWidth(text, font, size) <= 288 - 14 + 0.01, text
    barcode_top = max(y + height for _, y, _, height in bars(pdf))
    carrier_y = next(y for text, _, y, _, size in runs if size == 14)
    assert carrier_y > barcode_top
    others = [y for text, _, y, _, size in runs if size != 14 and y > carrier_y]
    assert len(others) == len(runs) - 2  # all but the carrier and the tracking number
    assert min(others) > carrier_y + 14 + 10


def test_tracking_number_must_be_printable_ascii():
    for bad in ("", "AB\u00e9", "A\nB"):
        with pytest.raises(ValueError, match="printable ASCII"):
            label(tracking_number=bad)


def test_output_is_deterministic():
    assert label() == label()
