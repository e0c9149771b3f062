"""Ticket de caisse: a narrow thermal receipt (80 mm paper) in a monospaced font.

Store, address, SIRET and VAT number, date and till, item lines (quantity and weight lines),
number of items, total, payment (card or cash with change), a VAT summary (an unruled table),
thanks and a bar code. Some stores print without accents (upper-case ASCII), as many tills do:
the ground truth is what is printed. Amounts add up: VAT is computed per rate from the TTC totals.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, time
from decimal import Decimal

from ocrxtract.datasets.synthetic import graphics
from ocrxtract.datasets.synthetic.documents.common import Context, Draft
from ocrxtract.datasets.synthetic.layout import Canvas, Seg, Style
from ocrxtract.datasets.synthetic.table_layout import Cell, TableStyle, draw_table
from ocrxtract.document import Table
from ocrxtract.fr import format_date, format_number, money

DOC_TYPE = "ticket-de-caisse"
TEMPLATES = ("supermarche", "boulangerie", "bricolage")
VAT_RATES = {"A": Decimal("5.5"), "B": Decimal("20"), "C": Decimal("10")}
PRODUCTS = {
    "supermarche": (
        ("Baguette tradition", 1.10, "A"), ("Lait demi-écrémé 1L", 0.98, "A"),
        ("Yaourt nature x4", 1.45, "A"), ("Beurre doux 250g", 2.65, "A"),
        ("Emmental râpé 200g", 2.19, "A"), ("Pâtes coquillettes 500g", 0.89, "A"),
        ("Café moulu 250g", 3.49, "A"), ("Jus d'orange 1L", 2.35, "A"),
        ("Œufs plein air x6", 2.29, "A"), ("Poulet fermier", 8.90, "A"),
        ("Lessive liquide 2L", 8.95, "B"), ("Papier toilette x12", 5.49, "B"),
        ("Liquide vaisselle", 1.79, "B"), ("Sac cabas", 0.15, "B"),
        ("Eau minérale 6x1,5L", 2.70, "A"), ("Chocolat noir 70%", 1.99, "A"),
        ("Vin rouge Côtes du Rhône", 5.95, "B"), ("Dentifrice", 2.49, "B"),
        ("Salade iceberg", 0.99, "A"), ("Camembert", 1.85, "A"),
    ),
    "boulangerie": (
        ("Baguette", 1.05, "A"), ("Tradition", 1.25, "A"), ("Croissant", 1.10, "A"),
        ("Pain au chocolat", 1.25, "A"), ("Pain de campagne", 3.20, "A"),
        ("Éclair café", 2.60, "A"), ("Tarte aux pommes", 14.50, "A"),
        ("Sandwich jambon-beurre", 4.50, "C"), ("Café", 1.50, "C"),
        ("Quiche lorraine", 3.90, "C"), ("Flan pâtissier", 2.80, "A"),
        ("Chouquettes x10", 2.50, "A"),
    ),
    "bricolage": (
        ("Vis à bois 4x40 x200", 6.90, "B"), ("Peinture blanche 2,5L", 32.90, "B"),
        ("Rouleau anti-goutte", 7.50, "B"), ("Ampoule LED E27", 4.99, "B"),
        ("Chevilles x50", 3.20, "B"), ("Mètre ruban 5m", 8.90, "B"),
        ("Scotch de masquage", 3.49, "B"), ("Gants de jardin", 5.90, "B"),
        ("Terreau universel 40L", 9.99, "B"), ("Colle bois", 6.40, "B"),
    ),
}  # fmt: skip
WEIGHED = (
    ("Pommes Golden", 2.49),
    ("Tomates grappe", 3.29),
    ("Bananes", 1.89),
    ("Carottes", 1.49),
    ("Raisin blanc", 3.99),
)
STORE_NAMES = {
    "supermarche": ("Supermarché", "Marché", "Proxi", "Super", "Épicerie"),
    "boulangerie": ("Boulangerie", "Maison", "Au Fournil de", "Pâtisserie"),
    "bricolage": ("Bricolage", "Quincaillerie", "Brico", "Outillage"),
}


def _plain(text: str) -> str:
    """Upper-case ASCII, as tills without accents print (``Œ`` -> ``OE``)."""
    text = text.replace("œ", "oe").replace("Œ", "OE")
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).upper()


Item = tuple[str, Decimal, str, str | None]  # label, amount, VAT code, detail line


class _Receipt:
    """A receipt being printed: the canvas, the print style and the current baseline."""

    LEFT, RIGHT, CENTER = 5.0, 75.0, 40.0

    def __init__(self, ctx: Context, template: str) -> None:
        rng = ctx.rng
        self.ctx, self.rng, self.template = ctx, rng, template
        self.canvas = Canvas(80, 400, ctx.dpi, paper=(252, 251, 247))
        self.family = ctx.mono()
        self.size = rng.choice((7.5, 8.0, 8.5))
        self.ink = (25, 25, 28) if rng.random() < 0.5 else (55, 55, 60)
        self.body = Style(self.family, self.size, color=self.ink)
        self.accents = rng.random() < 0.5
        self.currency = rng.choice(("€", "EUR", ""))
        self.step = self.canvas.leading(self.body, 1.18)
        self.y = 10.0

    def t(self, text: str) -> str:
        """``text`` as this till prints it (with or without accents)."""
        return text if self.accents else _plain(text)

    def rule(self) -> None:
        """A rule between the line above (baseline ``y - step``) and the next one."""
        at = self.y - self.step * 0.55
        self.canvas.hline(self.LEFT, self.RIGHT, at, 0.2, self.ink)
        self.y = at + self.step * 0.95

    def pair(
        self, left: str, right: str, field: str | None = None, style: Style | None = None
    ) -> None:
        """A label on the left and an amount on the right, on one baseline; next line."""
        style = style or self.body
        self.canvas.line(self.LEFT, self.y, left, style)
        self.canvas.line(self.RIGHT, self.y, right, style, align="right", field=field)
        self.y += self.step

    def header(self) -> tuple[str, str, str]:
        """Store, address and identifiers, date and till; returns (date code, till, ticket)."""
        ctx, rng, canvas, body = self.ctx, self.rng, self.canvas, self.body
        company = ctx.values.company()
        store = f"{rng.choice(STORE_NAMES[self.template])} {ctx.values.fake.last_name()}"
        title = Style(self.family, self.size * 1.6, "bold", self.ink)
        canvas.line(
            self.CENTER, self.y, self.t(store.upper()), title, align="center", field="magasin"
        )
        self.y += self.step * 1.6
        vat_label = self.t("N° TVA") if self.accents else "TVA"
        with canvas.block("header"):
            for text in (
                company.address.street,
                company.address.city_line,
                f"Tél. {company.phone}",
            ):
                canvas.line(self.CENTER, self.y, self.t(text), body, align="center")
                self.y += self.step
            for parts in (
                [Seg("SIRET", body), Seg(company.siret, body, "siret")],
                [Seg(vat_label, body), Seg(company.vat, body, "tva_intracom")],
            ):
                canvas.line(self.CENTER, self.y, parts, align="center")
                self.y += self.step
        self.rule()
        when = datetime.combine(ctx.today, time(rng.randrange(8, 20), rng.randrange(60)))
        till = f"{rng.randrange(1, 12):02d}"
        ticket = f"{rng.randrange(1, 99999):05d}"
        stamp = [
            Seg(format_date(when.date()), body, "date"),
            Seg(when.strftime("%H:%M"), body, "heure"),
        ]
        canvas.line(self.LEFT, self.y, stamp)
        canvas.line(self.RIGHT, self.y, self.t(f"Caisse {till}"), body, align="right")
        self.y += self.step
        canvas.line(self.LEFT, self.y, self.t(f"Caissier : {ctx.values.fake.first_name()}"), body)
        canvas.line(self.RIGHT, self.y, f"Ticket {ticket}", body, align="right")
        self.y += self.step
        self.rule()
        return when.strftime("%Y%m%d"), till, ticket

    def draw_items(self) -> list[Item]:
        """Draw the bought items; return them."""
        rng = self.rng
        items: list[Item] = []
        for _ in range(rng.randrange(3, 13)):
            label, price, code = rng.choice(PRODUCTS[self.template])
            quantity = rng.choice((1, 1, 1, 1, 2, 3))
            unit = money(price)
            detail = f"{quantity} x {format_number(unit)}" if quantity > 1 else None
            items.append((label, unit * quantity, code, detail))
        if self.template == "supermarche" and rng.random() < 0.7:
            label, per_kg = rng.choice(WEIGHED)
            weight = Decimal(rng.randrange(150, 2500)) / 1000
            unit_text = "€/kg" if self.currency == "€" else "EUR/kg"
            detail = f"{format_number(weight, 3)} kg x {format_number(money(per_kg))} {unit_text}"
            items.append((label, money(weight * Decimal(str(per_kg))), "A", detail))
        with self.canvas.block("items"):
            for label, amount, code, detail in items:
                if detail:
                    self.canvas.line(self.LEFT, self.y, self.t(label.upper()), self.body)
                    self.y += self.step
                    self.canvas.line(self.LEFT + 3, self.y, detail, self.body)
                    self.canvas.line(
                        self.RIGHT,
                        self.y,
                        f"{format_number(amount)} {code}",
                        self.body,
                        align="right",
                    )
                    self.y += self.step
                else:
                    self.pair(self.t(label.upper()), f"{format_number(amount)} {code}")
        self.rule()
        return items

    def totals(self, items: list[Item]) -> Decimal:
        """Item count, total and payment; returns the total."""
        rng, canvas, body = self.rng, self.canvas, self.body
        count = sum(int(d.split(" x ")[0]) if d and " kg" not in d else 1 for *_, d in items)
        canvas.line(self.LEFT, self.y, f"{count} ARTICLES" if count > 1 else "1 ARTICLE", body)
        self.y += self.step * 1.8
        total = sum((amount for _, amount, _, _ in items), Decimal(0))
        big = Style(self.family, self.size * 1.5, "bold", self.ink)
        label = "TOTAL TTC" if rng.random() < 0.6 else "TOTAL"
        self.pair(label, f"{format_number(total)} {self.currency}".strip(), "total", big)
        self.y += self.step * 0.6
        if rng.random() < 0.65:
            canvas.line(
                self.LEFT,
                self.y,
                "CB" if rng.random() < 0.5 else "CARTE BANCAIRE",
                body,
                field="paiement",
            )
            canvas.line(self.RIGHT, self.y, format_number(total), body, align="right")
            self.y += self.step
            canvas.line(self.LEFT, self.y, f"************{rng.randrange(10_000):04d}", body)
            self.y += self.step
            done = "SANS CONTACT" if rng.random() < 0.6 else "CODE CONFIRMÉ"
            canvas.line(self.LEFT, self.y, self.t(done), body)
            self.y += self.step
        else:
            given = money((int(total) // 5 + 1) * 5 + rng.choice((0, 5, 15)))
            canvas.line(self.LEFT, self.y, self.t("ESPÈCES"), body, field="paiement")
            canvas.line(self.RIGHT, self.y, format_number(given), body, align="right")
            self.y += self.step
            self.pair("RENDU", format_number(given - total), "rendu")
        self.rule()
        return total

    def vat_summary(self, items: list[Item]) -> Table:
        """The VAT per rate (an unruled table) and the VAT total."""
        rows = [
            [
                Cell("TVA"),
                Cell("Taux", align="right"),
                Cell("HT", align="right"),
                Cell("TVA", align="right"),
                Cell("TTC", align="right"),
            ]
        ]
        vat_total = Decimal(0)
        for code, rate in VAT_RATES.items():
            gross = sum((a for _, a, c, _ in items if c == code), Decimal(0))
            if not gross:
                continue
            net = money(gross / (1 + rate / 100))
            vat_total += gross - net
            rows.append(
                [
                    Cell(code),
                    Cell(f"{format_number(rate)}%", align="right"),
                    Cell(format_number(net), align="right"),
                    Cell(format_number(gross - net), align="right"),
                    Cell(format_number(gross), align="right"),
                ]
            )
        style = TableStyle(body=self.body, header=self.body, rules="none", padding=0.4, leading=1.1)
        placed = draw_table(
            self.canvas,
            (self.LEFT, self.y - self.step * 0.8),
            (9.0, 15.0, 16.0, 14.0, 16.0),
            rows,
            style=style,
            table_id="tva",
        )
        self.y = placed.bottom + self.step
        self.pair("DONT TVA", format_number(vat_total), "total_tva")
        self.rule()
        return placed.table

    def footer(self, code: str) -> None:
        """Thanks, a bar code and its number; the paper is cut below."""
        rng, canvas = self.rng, self.canvas
        thanks = rng.choice(
            (
                ("MERCI DE VOTRE VISITE", "À BIENTÔT"),
                ("MERCI ET À BIENTÔT",),
                ("MERCI DE VOTRE FIDÉLITÉ",),
            )
        )
        if rng.random() < 0.5:
            thanks = (*thanks, "Ticket à conserver pour tout échange")
        with canvas.block("footer"):
            for text in thanks:
                canvas.line(self.CENTER, self.y, self.t(text), self.body, align="center")
                self.y += self.step
        self.y += 2
        graphics.barcode(canvas, (16, self.y, 48, 9), rng)
        self.y += 9 + self.step
        canvas.line(self.CENTER, self.y, code, self.body, align="center")
        canvas.crop_height(self.y + 8)


def render(ctx: Context) -> Draft:
    """Draw one receipt."""
    template = ctx.choice(TEMPLATES)
    receipt = _Receipt(ctx, template)
    day, till, ticket = receipt.header()
    items = receipt.draw_items()
    receipt.totals(items)
    table = receipt.vat_summary(items)
    receipt.footer(f"{day}{till}{ticket}")
    return Draft(canvas=receipt.canvas, template=template, tables=[table])
