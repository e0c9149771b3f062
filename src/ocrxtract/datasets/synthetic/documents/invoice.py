"""Facture: seller and buyer, SIRET, VAT number, invoice number and dates, line items, totals
HT / TVA / TTC, payment terms with IBAN and BIC, and the legal mentions (late-payment penalties,
40 € recovery indemnity).

Totals are computed from the lines: total HT per VAT rate, VAT per rate, TTC = HT + VAT.
Templates: ``classique`` (ruled table), ``moderne`` (coloured title band, shaded rows, no
vertical rules) and ``epure`` (an unruled table with rules above and below only).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from ocrxtract.datasets.synthetic import graphics
from ocrxtract.datasets.synthetic.documents.common import Context, Draft, address_block
from ocrxtract.datasets.synthetic.layout import Canvas, Color, Seg, Style
from ocrxtract.datasets.synthetic.table_layout import Cell, PlacedTable, TableStyle, draw_table
from ocrxtract.datasets.synthetic.values import Company
from ocrxtract.fr import format_date, format_euros, format_number, money

DOC_TYPE = "facture"
TEMPLATES = ("classique", "moderne", "epure")
ITEMS = (
    ("Développement d'une application web", "jour", 450, 750, "20"),
    ("Maintenance mensuelle du site internet", "mois", 90, 350, "20"),
    ("Formation des utilisateurs (demi-journée)", "forfait", 380, 900, "20"),
    ("Audit de sécurité du système d'information", "jour", 700, 1100, "20"),
    ("Rédaction de contenus", "heure", 45, 80, "20"),
    ("Déplacement", "km", 0.45, 0.62, "20"),
    ("Fourniture et pose de fenêtres PVC", "unité", 290, 780, "10"),
    ("Travaux de peinture intérieure", "m²", 18, 35, "10"),
    ("Main-d'œuvre", "heure", 38, 65, "20"),
    ("Câble électrique 3G2,5", "m", 1.2, 2.4, "20"),
    ("Repas de séminaire", "couvert", 22, 48, "10"),
    ("Livres scolaires", "unité", 8, 25, "5.5"),
    ("Location de salle", "jour", 250, 900, "20"),
    ("Abonnement logiciel de gestion", "mois", 19, 99, "20"),
    ("Nettoyage des locaux", "forfait", 120, 480, "20"),
)  # fmt: skip
PENALTIES = (
    "En cas de retard de paiement, une pénalité égale à trois fois le taux d'intérêt légal sera "
    "exigible (article L. 441-10 du Code de commerce), ainsi qu'une indemnité forfaitaire pour "
    "frais de recouvrement de 40 €. Pas d'escompte pour paiement anticipé."
)


MARGIN = 18.0
RIGHT = 210 - MARGIN
Line = tuple[str, str, Decimal, Decimal, Decimal, Decimal]  # label, unit, qty, price, VAT, total


def _light(color: Color, amount: int) -> Color:
    return (min(255, color[0] + amount), min(255, color[1] + amount), min(255, color[2] + amount))


def render(ctx: Context) -> Draft:
    """Draw one invoice."""
    rng, v = ctx.rng, ctx.values
    template = ctx.choice(TEMPLATES)
    canvas = Canvas(210, 297, ctx.dpi)
    family = ctx.sans() if template != "epure" or rng.random() < 0.5 else ctx.serif()
    body = ctx.body_style(family, 8.5, 9.5)
    seller = v.company()
    color = _seller(canvas, template, body, seller, rng)
    dates = _references(ctx, canvas, template, body, color)
    _buyer(ctx, canvas, body)
    lines = _lines(ctx)
    table = _lines_table(canvas, template, body, color, lines)
    y = _totals(canvas, body, lines, table.bottom + 8)
    _payment(ctx, canvas, body, dates, y + 14)
    small = body.sized(body.size - 2)
    capital = format_number(seller.capital, 0)
    footer = (
        f"{seller.name} - {seller.legal_form} au capital de {capital} € - "
        f"RCS {seller.rcs_city} {seller.siren_display} - Code APE {seller.ape[0]}"
    )
    canvas.line(105, 297 - 12, footer, small, align="center", kind="footer")
    return Draft(canvas=canvas, template=template, tables=[table.table])


def _seller(
    canvas: Canvas, template: str, body: Style, seller: Company, rng: random.Random
) -> Color:
    """Logo, name, address and identifiers of the seller; returns the logo colour."""
    small = body.sized(body.size - 1.5)
    color = graphics.logo(canvas, MARGIN, 14, 14, rng)
    name_style = Style(body.family, 13, "bold", color if template == "moderne" else body.color)
    canvas.line(MARGIN + 17, 22, seller.name, name_style, field="vendeur")
    contact = [
        seller.address.street,
        seller.address.city_line,
        f"Tél. : {seller.phone}",
        seller.email,
    ]
    fields = ("adresse_vendeur", "adresse_vendeur")
    y = address_block(canvas, MARGIN, 34.0, contact, small, fields=fields, leading=1.3)
    with canvas.block("identifiers"):
        siret = [Seg("SIRET :", small), Seg(seller.siret_display, small, "siret_vendeur")]
        canvas.line(MARGIN, y, siret)
        vat = [Seg("N° TVA intracommunautaire :", small), Seg(seller.vat, small, "tva_vendeur")]
        canvas.line(MARGIN, y + canvas.leading(small, 1.3), vat)
    return color


def _references(
    ctx: Context, canvas: Canvas, template: str, body: Style, color: Color
) -> tuple[date, date]:
    """Title, invoice number and dates; returns (issue date, due date)."""
    rng = ctx.rng
    small = body.sized(body.size - 1.5)
    issued = ctx.today
    due = issued + timedelta(days=rng.choice((15, 30, 30, 45, 60)))
    number = f"{rng.choice(('F', 'FA', 'FAC-'))}{issued.year}-{rng.randrange(1, 2000):04d}"
    if template == "moderne":
        canvas.rect(118, 14, RIGHT, 26, outline=None, fill=_light(color, 150))
    canvas.line(
        RIGHT - 3, 23.5, "FACTURE", Style(body.family, 20, "bold", body.color), align="right"
    )
    refs = [
        ("N° de facture :", number, "numero_facture"),
        ("Date :", format_date(issued), "date_facture"),
        ("Échéance :", format_date(due), "date_echeance"),
        ("Réf. client :", f"C{rng.randrange(100, 9999):04d}", None),
    ]
    y = 34.0
    with canvas.block("references"):
        for label, value, name in refs:
            canvas.line(150, y, label, small, align="right")
            canvas.line(152, y, value, small.bold(), field=name)
            y += canvas.leading(small, 1.35)
    return issued, due


def _buyer(ctx: Context, canvas: Canvas, body: Style) -> None:
    """The buyer, in the envelope window."""
    buyer = ctx.values.company()
    contact = ctx.values.person()
    small = body.sized(body.size - 1.5)
    y = 62.0
    canvas.line(115, y - 6, "Facturé à :", small.italic())
    lines = [
        buyer.name,
        f"À l'attention de {contact.formal_name}",
        buyer.address.street,
        buyer.address.city_line,
    ]
    address_block(canvas, 115, y, lines, body, first_style=body.bold(), fields=("acheteur",))
    siret = [Seg("SIRET :", small), Seg(buyer.siret_display, small, "siret_acheteur")]
    canvas.line(115, y + 4 * canvas.leading(body, 1.25), siret)
    if ctx.rng.random() < 0.6:
        subject = ctx.rng.choice(
            ("Prestations du mois", "Commande n°", "Devis accepté n°", "Chantier")
        )
        reference = f"{subject} {ctx.rng.randrange(100, 999)}"
        canvas.line(MARGIN, 92, [Seg("Objet :", body.bold()), Seg(reference, body)])


def _lines(ctx: Context) -> list[Line]:
    rng = ctx.rng
    lines = []
    for label, unit, low, high, rate in rng.sample(ITEMS, rng.randrange(2, 8)):
        quantity = Decimal(rng.choice((1, 1, 2, 3, 5, 10, 12, 20, 35)))
        price = money(rng.uniform(low, high))
        lines.append((label, unit, quantity, price, Decimal(rate), money(quantity * price)))
    return lines


def _rate(rate: Decimal) -> str:
    return f"{format_number(rate, 1 if rate % 1 else 0)} %"


def _lines_table(
    canvas: Canvas, template: str, body: Style, color: Color, lines: list[Line]
) -> PlacedTable:
    rows = [
        [
            Cell("Désignation"),
            Cell("Qté", align="right"),
            Cell("Unité", align="center"),
            Cell("PU HT", align="right"),
            Cell("TVA", align="right"),
            Cell("Total HT", align="right"),
        ]
    ]
    for label, unit, quantity, price, rate, amount in lines:
        rows.append(
            [
                Cell(label),
                Cell(format_number(quantity, 0), align="right"),
                Cell(unit, align="center"),
                Cell(format_number(price), align="right"),
                Cell(_rate(rate), align="right"),
                Cell(format_number(amount), align="right"),
            ]
        )
    header_fill = {"classique": (225, 225, 225), "moderne": _light(color, 170)}
    style = TableStyle(
        body=body,
        header=body.bold(),
        rules={"classique": "grid", "moderne": "none", "epure": "booktabs"}[template],
        padding=1.6,
        rule_width=0.2,
        header_fill=header_fill.get(template),
        zebra=(245, 245, 245) if template == "moderne" else None,
    )
    widths = (78.0, 14.0, 18.0, 22.0, 16.0, 26.0)
    return draw_table(canvas, (MARGIN, 98.0), widths, rows, style=style, table_id="lignes")


def _totals(canvas: Canvas, body: Style, lines: list[Line], y: float) -> float:
    """Total HT, VAT per rate, total VAT and TTC; returns the baseline of the TTC line."""
    total_ht = sum((line[5] for line in lines), Decimal(0))
    vat_lines = []
    for rate in sorted({line[4] for line in lines}, reverse=True):
        base = sum((line[5] for line in lines if line[4] == rate), Decimal(0))
        vat_lines.append((rate, money(base * rate / 100)))
    total_vat = sum((amount for _, amount in vat_lines), Decimal(0))
    step = canvas.leading(body, 1.45)
    label_x, value_x = 125.0, RIGHT - 2
    rows: list[tuple[str, Decimal, str | None]] = [("Total HT", total_ht, "total_ht")]
    rows += [(f"TVA {_rate(rate)}", amount, None) for rate, amount in vat_lines]
    if len(vat_lines) > 1:
        rows.append(("Total TVA", total_vat, "total_tva"))
    else:  # the single VAT line is the total
        rows[-1] = (rows[-1][0], rows[-1][1], "total_tva")
    with canvas.block("totals"):
        for label, amount, name in rows:
            canvas.line(label_x, y, label, body)
            canvas.line(value_x, y, format_euros(amount), body, align="right", field=name)
            y += step
    big = Style(body.family, body.size + 2, "bold", body.color)
    y += step * 0.5
    top = y - canvas.leading(big) + 0.2
    canvas.rect(label_x - 3, top, RIGHT, y + 2.8, width=0.3, fill=(238, 238, 238))
    canvas.line(label_x, y, "Total TTC", big)
    ttc = format_euros(total_ht + total_vat)
    canvas.line(value_x, y, ttc, big, align="right", field="total_ttc")
    return y


def _payment(ctx: Context, canvas: Canvas, body: Style, dates: tuple[date, date], y: float) -> None:
    """Payment terms with IBAN and BIC, then the legal mentions."""
    issued, due = dates
    account = ctx.values.bank_account()
    small = body.sized(body.size - 1.5)
    step = canvas.leading(small, 1.35)
    terms = (
        f"Paiement à {(due - issued).days} jours par virement bancaire, "
        f"au plus tard le {format_date(due)}."
    )
    with canvas.block("payment"):
        canvas.line(MARGIN, y, "Conditions de paiement", body.bold())
        y += canvas.leading(small, 1.5)
        for parts in (
            [Seg(terms, small)],
            [Seg("Banque :", small), Seg(account.bank, small)],
            [Seg("IBAN :", small), Seg(account.iban_display, small.bold(), "iban")],
            [Seg("BIC :", small), Seg(account.bic, small.bold(), "bic")],
        ):
            canvas.line(MARGIN, y, parts)
            y += step
    note = small.sized(small.size - 0.5)
    canvas.paragraph(MARGIN, y + 10, 210 - 2 * MARGIN, PENALTIES, note, leading=1.3, kind="note")
