"""Quittance de loyer: landlord, tenant, rented address, period, rent, charges, total, payment
date, place and date, signature line.

Templates: ``lettre`` (typed: a "Je soussigné…" paragraph with the amount in words, then the
detail), ``tableau`` (typed, the amounts in a ruled table) and ``formulaire`` (a printed form whose
blanks are filled in by hand: the values are in a handwriting font, in blue ink).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ocrxtract.datasets.synthetic import graphics
from ocrxtract.datasets.synthetic.documents.common import Context, Draft, address_block
from ocrxtract.datasets.synthetic.fonts import HAND
from ocrxtract.datasets.synthetic.layout import INK_BLUE, Canvas, Seg, Style
from ocrxtract.datasets.synthetic.table_layout import Cell, TableStyle, draw_table
from ocrxtract.datasets.synthetic.values import Address, Person
from ocrxtract.document import Table
from ocrxtract.fr import (
    amount_in_words,
    format_date,
    format_euros,
    format_month,
    money,
    month_bounds,
    unbreakable,
)

DOC_TYPE = "quittance-de-loyer"
TEMPLATES = ("lettre", "tableau", "formulaire")
MARGIN = 22.0
LEGAL_NOTE = (
    "Cette quittance annule tous les reçus qui auraient pu être établis précédemment en cas de "
    "paiement partiel du montant du présent terme. Elle est à conserver pendant trois ans par "
    "le locataire (loi n° 89-462 du 6 juillet 1989, article 7-1)."
)


@dataclass(frozen=True)
class _Lease:
    """Who, where, how much and when."""

    landlord: Person
    landlord_address: Address
    tenant: Person
    rented: Address
    rent: Decimal
    charges: Decimal
    first: date
    last: date
    paid: date

    @property
    def total(self) -> Decimal:
        return self.rent + self.charges


def _lease(ctx: Context) -> _Lease:
    rng, v = ctx.rng, ctx.values
    landlord = v.person(min_age=35, max_age=80)
    tenant = v.person(min_age=20, max_age=70)
    landlord_address = v.address()
    rented = v.address()
    rent = money(rng.randrange(380, 1600) + rng.choice((0, 0, 0.5)))
    charges = money(rng.randrange(20, 180))
    first, last = month_bounds(ctx.today)
    paid = v.day_between(first, first.replace(day=10))
    return _Lease(landlord, landlord_address, tenant, rented, rent, charges, first, last, paid)


def render(ctx: Context) -> Draft:
    """Draw one rent receipt."""
    rng = ctx.rng
    template = ctx.choice(TEMPLATES)
    canvas = Canvas(210, 297, ctx.dpi)
    family = ctx.serif() if rng.random() < 0.5 else ctx.sans()
    body = ctx.body_style(family, 10, 11.5)
    lease = _lease(ctx)
    if template == "formulaire":
        _form(ctx, canvas, body, lease)
        return Draft(canvas=canvas, template=template)
    y = _typed_header(canvas, body, lease)
    if template == "lettre":
        y = _letter_body(canvas, body, lease, y)
        tables = []
    else:
        table, y = _table_body(ctx, canvas, body, lease, y)
        tables = [table]
    y += 10
    paid = lease.paid
    signed = paid if rng.random() < 0.7 else paid.replace(day=min(28, paid.day + 2))
    place = [
        Seg(f"Fait à {lease.landlord_address.city}, le", body),
        Seg(format_date(signed), body, "date_quittance"),
    ]
    canvas.line(118, y, place)
    canvas.line(118, y + 8, "Signature du bailleur :", body)
    graphics.signature(canvas, (122, y + 11, 45, 16), rng)
    note_style = body.sized(8)
    canvas.paragraph(MARGIN, 297 - 32, 210 - 2 * MARGIN, LEGAL_NOTE, note_style, kind="note")
    return Draft(canvas=canvas, template=template, tables=tables)


def _typed_header(canvas: Canvas, body: Style, lease: _Lease) -> float:
    """Landlord, tenant, title, period and rented address; returns the next baseline."""
    bold = body.bold()
    landlord_lines = [lease.landlord.formal_name, *lease.landlord_address.lines()]
    y = address_block(
        canvas,
        MARGIN,
        MARGIN + 4,
        landlord_lines,
        body,
        first_style=bold,
        fields=("bailleur", "adresse_bailleur", "adresse_bailleur"),
    )
    tenant_lines = [lease.tenant.formal_name, *lease.rented.lines()]
    address_block(canvas, 118, y + 12, tenant_lines, body, first_style=bold, fields=("locataire",))
    y += 40
    title = Style(body.family, 17, "bold", body.color)
    canvas.line(105, y, "QUITTANCE DE LOYER", title, align="center")
    period = [Seg("Période :", body), Seg(format_month(lease.first), bold, "periode")]
    canvas.line(105, y + 8, period, align="center")
    where = [
        Seg("Adresse de la location :", bold),
        Seg(lease.rented.one_line(), body, "adresse_location"),
    ]
    canvas.line(MARGIN, y + 22, where)
    return y + 34


def _letter_body(canvas: Canvas, body: Style, lease: _Lease, y: float) -> float:
    """The "Je soussigné" paragraph with the amount in words, then the detail."""
    bold = body.bold()
    landlord, total = lease.landlord, lease.total
    text = (
        f"Je soussigné{'e' if landlord.sex == 'F' else ''} {landlord.full_name}, "
        f"propriétaire du logement désigné ci-dessus, déclare avoir reçu de "
        f"{lease.tenant.formal_name} la somme de {unbreakable(format_euros(total))} "
        f"({amount_in_words(total)}), au titre du paiement du loyer et des charges pour la "
        f"période de location du {format_date(lease.first)} au {format_date(lease.last)} et lui "
        f"en donne quittance, sous réserve de tous mes droits."
    )
    y = canvas.paragraph(MARGIN, y, 210 - 2 * MARGIN, text, body, leading=1.45, align="justify")
    y += 6
    canvas.line(MARGIN, y, "Détail du règlement :", bold)
    y += canvas.leading(body, 1.6)
    rows = [
        ("Loyer hors charges :", format_euros(lease.rent), "loyer"),
        ("Provision pour charges :", format_euros(lease.charges), "charges"),
        ("Total :", format_euros(total), "total"),
        ("Date du paiement :", format_date(lease.paid), "date_paiement"),
    ]
    for label, value, name in rows:
        canvas.line(MARGIN + 8, y, label, body)
        style = bold if name == "total" else body
        canvas.line(MARGIN + 105, y, value, style, field=name, align="right")
        y += canvas.leading(body, 1.5)
    return y


def _table_body(
    ctx: Context, canvas: Canvas, body: Style, lease: _Lease, y: float
) -> tuple[Table, float]:
    """A sentence, then the amounts in a ruled table."""
    bold = body.bold()
    canvas.paragraph(
        MARGIN,
        y,
        210 - 2 * MARGIN,
        f"Reçu de {lease.tenant.formal_name} pour le logement situé {lease.rented.one_line()}, "
        f"la somme détaillée ci-dessous, pour la période du {format_date(lease.first)} au "
        f"{format_date(lease.last)}.",
        body,
        leading=1.4,
    )
    rows = [
        [Cell("Désignation"), Cell("Montant", align="right")],
        [Cell("Loyer hors charges"), Cell(format_euros(lease.rent), align="right", field="loyer")],
        [
            Cell("Provision pour charges"),
            Cell(format_euros(lease.charges), align="right", field="charges"),
        ],
        [
            Cell("Total réglé", style=bold),
            Cell(format_euros(lease.total), align="right", style=bold, field="total"),
        ],
    ]
    style = TableStyle(
        body=body, header=bold, rules="grid", padding=2.0, header_fill=(230, 230, 230)
    )
    placed = draw_table(
        canvas, (MARGIN, y + 20), (110.0, 56.0), rows, style=style, table_id="montants"
    )
    y = placed.bottom + 9
    how = ctx.rng.choice(("par virement", "par chèque", "en espèces"))
    paid = [
        Seg("Réglé le", body),
        Seg(format_date(lease.paid), body, "date_paiement"),
        Seg(how, body),
    ]
    canvas.line(MARGIN, y, paid)
    return placed.table, y + 8


def _form(ctx: Context, canvas: Canvas, body: Style, lease: _Lease) -> None:
    """A printed form (labels, dotted blanks) filled in by hand."""
    rng = ctx.rng
    hand = Style(HAND, round(body.size * 1.5), color=INK_BLUE)
    margin = 20.0
    label = Style(body.family, body.size - 0.5, color=(40, 40, 40))
    canvas.rect(margin - 4, 18, 210 - margin + 4, 170, width=0.4)
    canvas.line(105, 30, "QUITTANCE DE LOYER", Style(body.family, 16, "bold"), align="center")
    y = 46.0
    entries = [
        ("Bailleur :", lease.landlord.full_name, "bailleur"),
        ("Demeurant :", lease.landlord_address.one_line(), "adresse_bailleur"),
        ("Locataire :", lease.tenant.full_name, "locataire"),
        ("Logement situé :", lease.rented.one_line(), "adresse_location"),
        ("Période :", format_month(lease.first), "periode"),
        ("Loyer :", format_euros(lease.rent), "loyer"),
        ("Charges :", format_euros(lease.charges), "charges"),
        ("Total :", format_euros(lease.total), "total"),
        ("Payé le :", format_date(lease.paid), "date_paiement"),
    ]
    for text, value, name in entries:
        canvas.line(margin, y, text, label)
        start = margin + canvas.width_of(text, label) + 3
        canvas.dotted(start, 210 - margin, y + 0.6, color=(110, 110, 110))
        canvas.line(start + 2, y - 0.8, value, hand, field=name, kind="handwriting")
        y += 12.5
    canvas.paragraph(
        margin,
        y + 2,
        210 - 2 * margin,
        "Le bailleur reconnaît avoir reçu la somme indiquée ci-dessus et en donne "
        "quittance, sous réserve de tous ses droits.",
        label,
        leading=1.35,
    )
    y = 200.0
    canvas.line(115, y, "Fait à", label)
    canvas.line(
        115 + canvas.width_of("Fait à ", label),
        y - 0.8,
        lease.landlord_address.city,
        hand,
        kind="handwriting",
    )
    canvas.line(115, y + 12, "le", label)
    paid = lease.paid
    signed = paid if rng.random() < 0.7 else paid.replace(day=min(28, paid.day + 3))
    canvas.line(
        115 + canvas.width_of("le ", label),
        y + 11.2,
        format_date(signed),
        hand,
        field="date_quittance",
        kind="handwriting",
    )
    canvas.line(115, y + 24, "Signature :", label)
    graphics.signature(canvas, (120, y + 27, 50, 18), rng)
    canvas.paragraph(
        margin, 297 - 30, 210 - 2 * margin, LEGAL_NOTE, label.sized(7.5), leading=1.3, kind="note"
    )
