"""Carte nationale d'identité (2021 model), front or back, stamped SPECIMEN.

An ID-1 card (85.6 x 54 mm) on a scanner bed: security-print background, bilingual labels
(``NOM / Surname``), photo, signature; the back holds the address, the issue date and authority
and a 3-line TD1 machine-readable zone whose check digits are valid (ICAO 9303). Every card is
stamped ``SPECIMEN`` across (a rotated word with a polygon in the ground truth). The identities
are fictitious (Faker ``fr_FR``) and so are the document numbers.
"""

from __future__ import annotations

import string
from datetime import date

from ocrxtract.datasets.synthetic import graphics
from ocrxtract.datasets.synthetic.documents.common import Context, Draft
from ocrxtract.datasets.synthetic.fonts import HAND
from ocrxtract.datasets.synthetic.layout import Canvas, Style
from ocrxtract.datasets.synthetic.values import Person, prefecture
from ocrxtract.fr import format_date, mrz_check_digit

DOC_TYPE = "carte-identite"
TEMPLATES = ("recto", "verso")
CARD_W, CARD_H = 85.6, 54.0
OX, OY = 8.0, 8.0  # the card's top-left corner on the scanner bed, mm
SANS_FAMILY = "liberation-sans"
LABEL = Style(SANS_FAMILY, 3.9, color=(40, 60, 120))
VALUE = Style(SANS_FAMILY, 6.6, "bold", color=(10, 10, 10))
HEAD = Style(SANS_FAMILY, 6.0, "bold", color=(20, 30, 90))
DOC_CHARS = string.ascii_uppercase.replace("O", "") + string.digits


def _mrz_name(text: str) -> str:
    import unicodedata

    plain = "".join(
        c for c in unicodedata.normalize("NFD", text.upper()) if not unicodedata.combining(c)
    )
    return "".join(c if c.isalnum() else "<" for c in plain)


def _yymmdd(day: date) -> str:
    return f"{day.year % 100:02d}{day.month:02d}{day.day:02d}"


def mrz_td1(person: Person, number: str, expiry: date) -> list[str]:
    """The three 30-character lines of a French TD1 identity card MRZ, with check digits."""
    line1 = f"IDFRA{number}{mrz_check_digit(number)}".ljust(30, "<")
    birth = _yymmdd(person.birth_date)
    exp = _yymmdd(expiry)
    body = f"{birth}{mrz_check_digit(birth)}{person.sex}{exp}{mrz_check_digit(exp)}FRA"
    body = body.ljust(29, "<")
    composite = mrz_check_digit(line1[5:30] + body[0:7] + body[8:15] + body[18:29])
    line2 = body + composite
    given = "<".join(_mrz_name(n) for n in (person.first_name, *person.other_first_names))
    line3 = f"{_mrz_name(person.last_name)}<<{given}"[:30].ljust(30, "<")
    return [line1, line2, line3]


def render(ctx: Context) -> Draft:
    """Draw one identity card (front or back) on a scanner bed."""
    rng, v = ctx.rng, ctx.values
    template = ctx.choice(TEMPLATES)
    canvas = Canvas(CARD_W + 16, CARD_H + 16, ctx.dpi)
    graphics.guilloche(
        canvas, (OX, OY, CARD_W, CARD_H), rng, colors=((236, 228, 240), (214, 232, 242))
    )
    person = v.person(min_age=16, max_age=85)
    number = "".join(rng.choice(DOC_CHARS) for _ in range(9))
    start = date(2021, 8, 2)
    issued = v.day_between(start, ctx.today if ctx.today > start else date(2023, 1, 1))
    expiry = issued.replace(year=issued.year + 10)
    canvas.line(OX + 4, OY + 4.6, "RÉPUBLIQUE FRANÇAISE", HEAD)
    canvas.line(OX + 4, OY + 7.6, "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD", HEAD.sized(4.6))
    graphics.tricolour(canvas, (OX + CARD_W - 12, OY + 2.2, 8, 5))
    if template == "recto":
        _front(ctx, canvas, person, number, expiry)
    else:
        _back(ctx, canvas, person, issued, mrz_td1(person, number, expiry))
    stamp = Style(SANS_FAMILY, 20, "bold", color=(200, 20, 30))
    angle = rng.uniform(18, 30)
    canvas.stamp((OX + CARD_W / 2, OY + CARD_H / 2 + 2), "SPECIMEN", stamp, angle, opacity=0.45)
    return Draft(canvas=canvas, template=template)


def _field(canvas: Canvas, at: tuple[float, float], caption: str, text: str, name: str) -> None:
    """A bilingual caption and its value below it, as one block; the value is key field
    ``name``."""
    x, y = at
    with canvas.block("field"):
        canvas.line(x, y, caption, LABEL)
        canvas.line(x, y + 3.0, text, VALUE, field=name)


def _card_date(day: date) -> str:
    return format_date(day).replace("/", " ")


def _front(ctx: Context, canvas: Canvas, person: Person, number: str, expiry: date) -> None:
    rng = ctx.rng
    graphics.portrait(canvas, (OX + 3.5, OY + 11, 22, 28), rng)
    x = OX + 29
    given = ", ".join((person.first_name, *person.other_first_names))
    place = f"{person.birth_commune[0].upper()} ({person.birth_commune[2]})"
    _field(canvas, (x, OY + 13), "NOM / Surname", person.last_name.upper(), "nom")
    _field(canvas, (x, OY + 19.5), "Prénoms / Given names", given, "prenoms")
    _field(canvas, (x, OY + 26), "SEXE / Sex", person.sex, "sexe")
    _field(canvas, (x + 10, OY + 26), "NATIONALITÉ / Nationality", "FRA", "nationalite")
    _field(
        canvas,
        (x + 30, OY + 26),
        "DATE DE NAISS. / Date of birth",
        _card_date(person.birth_date),
        "date_naissance",
    )
    _field(canvas, (x, OY + 32.5), "LIEU DE NAISSANCE / Place of birth", place, "lieu_naissance")
    _field(canvas, (x, OY + 39), "N° DU DOCUMENT / Document No", number, "numero_document")
    _field(
        canvas,
        (x + 30, OY + 39),
        "DATE D'EXPIR. / Expiry date",
        _card_date(expiry),
        "date_expiration",
    )
    canvas.line(OX + 3.5, OY + 43, "Signature du titulaire / Holder's signature", LABEL)
    graphics.signature(canvas, (OX + 5, OY + 44, 20, 8), rng, color=(20, 20, 30))
    can = f"{rng.randrange(100_000, 999_999)}"
    can_style = Style(SANS_FAMILY, 5.5, color=(10, 10, 10))
    canvas.line(OX + CARD_W - 3, OY + CARD_H - 3, can, can_style, align="right", field="can")


def _back(ctx: Context, canvas: Canvas, person: Person, issued: date, mrz: list[str]) -> None:
    rng, v = ctx.rng, ctx.values
    address = v.address()
    _field(canvas, (OX + 4, OY + 13), "ADRESSE / Address", address.street, "adresse")
    canvas.line(OX + 4, OY + 19, address.city_line, VALUE, field="adresse")
    _field(
        canvas,
        (OX + 4, OY + 23.5),
        "DATE DE DÉLIVRANCE / Date of issue",
        _card_date(issued),
        "date_delivrance",
    )
    _field(
        canvas,
        (OX + 48, OY + 23.5),
        "AUTORITÉ / Issuing authority",
        prefecture(address.department),
        "autorite",
    )
    if rng.random() < 0.5:
        hand = Style(HAND, 9, color=(20, 20, 30))
        canvas.line(OX + 4, OY + 32, person.last_name, hand, kind="handwriting")
    mono = Style("dejavu-mono", 7.4, "bold", color=(15, 15, 15))
    canvas.rect(
        OX + 0.6,
        OY + CARD_H - 15.5,
        OX + CARD_W - 0.6,
        OY + CARD_H - 1.5,
        outline=None,
        fill=(246, 246, 246),
    )
    with canvas.block("mrz"):
        for k, line in enumerate(mrz):
            baseline = OY + CARD_H - 11.5 + k * 3.9
            canvas.line(OX + CARD_W / 2, baseline, line, mono, align="center", field=f"mrz_{k + 1}")
