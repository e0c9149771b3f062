"""Bulletin de salaire: employer (SIRET, APE), employee (NIR), period, contributions table,
net to pay, net taxable, year-to-date totals.

The amounts are computed, not drawn: gross = base + overtime + bonus; contributions at 2024-like
rates on the right bases (social security ceiling 3 864 €, CSG on 98.25 % of gross); net before
tax = gross - employee contributions; net taxable = net before tax + non-deductible CSG/CRDS;
net to pay = net before tax - withholding tax.

Templates: ``clarifie`` (the "bulletin clarifié" table: *Part salarié* and *Part employeur* header
cells spanning *Taux* and *Montant*, ruled) in two looks, and ``classique`` (one header row,
columns *À déduire* / *À payer* / *Charges patronales*, lightly ruled).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ocrxtract.datasets.synthetic.documents.common import Context, Draft, address_block
from ocrxtract.datasets.synthetic.layout import Canvas, Seg, Style
from ocrxtract.datasets.synthetic.table_layout import Cell, PlacedTable, TableStyle, draw_table
from ocrxtract.datasets.synthetic.values import Company
from ocrxtract.document import Table
from ocrxtract.fr import format_date, format_euros, format_nir, format_number, money, month_bounds

DOC_TYPE = "bulletin-de-salaire"
TEMPLATES = ("clarifie-grille", "clarifie-zebre", "classique")
PASS_MONTHLY = Decimal("3864")  # plafond mensuel de la sécurité sociale 2024
HOURS = Decimal("151.67")


@dataclass(frozen=True)
class Contribution:
    """One contribution line: label, base, employee and employer rates (percent)."""

    section: str
    label: str
    base: Decimal | None
    employee_rate: Decimal | None
    employer_rate: Decimal | None
    employee_fixed: Decimal | None = None
    employer_fixed: Decimal | None = None

    @property
    def employee(self) -> Decimal:
        if self.employee_fixed is not None:
            return self.employee_fixed
        if self.base is None or self.employee_rate is None:
            return Decimal(0)
        return money(self.base * self.employee_rate / 100)

    @property
    def employer(self) -> Decimal:
        if self.employer_fixed is not None:
            return self.employer_fixed
        if self.base is None or self.employer_rate is None:
            return Decimal(0)
        return money(self.base * self.employer_rate / 100)


#: label, base, rate, amount
Earning = tuple[str, Decimal | None, Decimal | None, Decimal]


@dataclass(frozen=True)
class Pay:
    """Everything computed for one payslip."""

    earnings: list[Earning]
    gross: Decimal
    contributions: list[Contribution]
    employee_total: Decimal
    employer_total: Decimal
    net_before_tax: Decimal
    tax_rate: Decimal
    tax: Decimal
    net_taxable: Decimal
    net_to_pay: Decimal


def compute_pay(ctx: Context) -> Pay:
    """Draw a salary and compute the payslip lines and totals."""
    rng = ctx.rng
    rate = money(rng.uniform(11.65, 38.0))
    earnings: list[Earning] = [("Salaire de base", HOURS, rate, money(HOURS * rate))]
    if rng.random() < 0.4:
        hours = Decimal(rng.randrange(2, 14))
        overtime_rate = money(rate * Decimal("1.25"))
        earnings.append(
            ("Heures supplémentaires 25 %", hours, overtime_rate, money(hours * overtime_rate))
        )
    if rng.random() < 0.35:
        label = rng.choice(("Prime d'ancienneté", "Prime exceptionnelle", "Prime de panier"))
        earnings.append((label, None, None, money(rng.uniform(30, 400))))
    gross = sum((e[3] for e in earnings), Decimal(0))
    ceiling = min(gross, PASS_MONTHLY)
    csg_base = money(gross * Decimal("0.9825"))
    smic = Decimal("1766.92")
    health_rate = Decimal("7.00") if gross <= smic * Decimal("2.5") else Decimal("13.00")
    family_rate = Decimal("3.45") if gross <= smic * Decimal("3.5") else Decimal("5.25")
    accident = Decimal(rng.choice(("0.90", "1.20", "1.50", "2.10", "2.70")))
    contributions = [
        Contribution(
            "SANTÉ",
            "Sécurité sociale - Maladie Maternité Invalidité Décès",
            gross,
            None,
            health_rate,
        ),
        Contribution(
            "SANTÉ",
            "Complémentaire Incapacité Invalidité Décès",
            ceiling,
            Decimal("0.50"),
            Decimal("0.80"),
        ),
        Contribution(
            "SANTÉ",
            "Complémentaire santé",
            None,
            None,
            None,
            money(rng.choice((18, 24, 31, 42))),
            money(rng.choice((25, 36, 48))),
        ),
        Contribution(
            "ACCIDENTS DU TRAVAIL",
            "Accidents du travail - Maladies professionnelles",
            gross,
            None,
            accident,
        ),
        Contribution(
            "RETRAITE", "Sécurité sociale plafonnée", ceiling, Decimal("6.90"), Decimal("8.55")
        ),
        Contribution(
            "RETRAITE", "Sécurité sociale déplafonnée", gross, Decimal("0.40"), Decimal("2.02")
        ),
        Contribution(
            "RETRAITE", "Complémentaire Tranche 1", ceiling, Decimal("4.01"), Decimal("6.01")
        ),
    ]
    if gross > PASS_MONTHLY:
        contributions.append(
            Contribution(
                "RETRAITE",
                "Complémentaire Tranche 2",
                gross - PASS_MONTHLY,
                Decimal("9.72"),
                Decimal("14.57"),
            )
        )
    contributions += [
        Contribution("FAMILLE", "Famille - Sécurité sociale", gross, None, family_rate),
        Contribution("ASSURANCE CHÔMAGE", "Assurance chômage", gross, None, Decimal("4.05")),
        Contribution(
            "AUTRES", "Autres contributions dues par l'employeur", gross, None, Decimal("0.95")
        ),
        Contribution(
            "CSG", "CSG déductible de l'impôt sur le revenu", csg_base, Decimal("6.80"), None
        ),
        Contribution(
            "CSG",
            "CSG/CRDS non déductible de l'impôt sur le revenu",
            csg_base,
            Decimal("2.90"),
            None,
        ),
    ]
    employee_total = sum((c.employee for c in contributions), Decimal(0))
    employer_total = sum((c.employer for c in contributions), Decimal(0))
    net_before_tax = gross - employee_total
    non_deductible = contributions[-1].employee
    net_taxable = net_before_tax + non_deductible
    tax_rate = Decimal(rng.choice(("0.00", "1.50", "3.20", "4.80", "6.70", "9.10", "12.40")))
    tax = money(net_taxable * tax_rate / 100)
    return Pay(
        earnings=earnings,
        gross=gross,
        contributions=contributions,
        employee_total=employee_total,
        employer_total=employer_total,
        net_before_tax=net_before_tax,
        tax_rate=tax_rate,
        tax=tax,
        net_taxable=net_taxable,
        net_to_pay=net_before_tax - tax,
    )


def _amount(value: Decimal | None) -> str:
    return format_number(value) if value else ""


def _rate(value: Decimal | None) -> str:
    return format_number(value, 2) if value is not None else ""


def _base(value: Decimal | None) -> str:
    return format_number(value) if value is not None else ""


def _clarified_rows(pay: Pay, bold: Style) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [
            Cell("Éléments de paie", row_span=2),
            Cell("Base", row_span=2, align="center"),
            Cell("Part salarié", col_span=2, align="center"),
            Cell("Part employeur", col_span=2, align="center"),
        ],
        [
            Cell("Taux", align="center"),
            Cell("Montant", align="center"),
            Cell("Taux", align="center"),
            Cell("Montant", align="center"),
        ],
    ]
    for label, base, rate, amount in pay.earnings:
        rows.append(
            [
                Cell(label),
                Cell(_base(base), align="right"),
                Cell(_rate(rate), align="right"),
                Cell(format_number(amount), align="right"),
                Cell(""),
                Cell(""),
            ]
        )
    rows.append(
        [
            Cell("SALAIRE BRUT", style=bold),
            Cell(""),
            Cell(""),
            Cell(format_number(pay.gross), align="right", style=bold, field="salaire_brut"),
            Cell(""),
            Cell(""),
        ]
    )
    section = ""
    for c in pay.contributions:
        if c.section != section and c.section not in ("CSG", "AUTRES"):
            section = c.section
            rows.append([Cell(section, style=bold)] + [Cell("") for _ in range(5)])
        rows.append(
            [
                Cell(c.label),
                Cell(_base(c.base), align="right"),
                Cell(_rate(c.employee_rate), align="right"),
                Cell(_amount(c.employee), align="right"),
                Cell(_rate(c.employer_rate), align="right"),
                Cell(_amount(c.employer), align="right"),
            ]
        )
    rows.append(
        [
            Cell("TOTAL DES COTISATIONS ET CONTRIBUTIONS", style=bold),
            Cell(""),
            Cell(""),
            Cell(format_number(pay.employee_total), align="right", style=bold),
            Cell(""),
            Cell(format_number(pay.employer_total), align="right", style=bold),
        ]
    )
    return rows


def _classic_rows(pay: Pay, bold: Style) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [
            Cell("Rubrique"),
            Cell("Base", align="center"),
            Cell("Taux sal.", align="center"),
            Cell("À déduire", align="center"),
            Cell("À payer", align="center"),
            Cell("Charges patronales", align="center"),
        ]
    ]
    for label, base, rate, amount in pay.earnings:
        rows.append(
            [
                Cell(label),
                Cell(_base(base), align="right"),
                Cell(_rate(rate), align="right"),
                Cell(""),
                Cell(format_number(amount), align="right"),
                Cell(""),
            ]
        )
    rows.append(
        [
            Cell("Salaire brut", style=bold),
            Cell(""),
            Cell(""),
            Cell(""),
            Cell(format_number(pay.gross), align="right", style=bold, field="salaire_brut"),
            Cell(""),
        ]
    )
    for c in pay.contributions:
        rows.append(
            [
                Cell(c.label),
                Cell(_base(c.base), align="right"),
                Cell(_rate(c.employee_rate), align="right"),
                Cell(_amount(c.employee), align="right"),
                Cell(""),
                Cell(_amount(c.employer), align="right"),
            ]
        )
    rows.append(
        [
            Cell("Total des retenues", style=bold),
            Cell(""),
            Cell(""),
            Cell(format_number(pay.employee_total), align="right", style=bold),
            Cell(""),
            Cell(format_number(pay.employer_total), align="right", style=bold),
        ]
    )
    return rows


@dataclass(frozen=True)
class _Look:
    """The page and its styles."""

    canvas: Canvas
    body: Style
    margin: float = 15.0

    @property
    def bold(self) -> Style:
        return self.body.bold()

    @property
    def small(self) -> Style:
        return self.body.sized(self.body.size - 1)

    @property
    def right(self) -> float:
        return 210 - self.margin


def render(ctx: Context) -> Draft:
    """Draw one payslip."""
    template = ctx.choice(TEMPLATES)
    look = _Look(Canvas(210, 297, ctx.dpi), ctx.body_style(ctx.sans(), 7.5, 8.5))
    company = ctx.values.company()
    first, last = month_bounds(ctx.today)
    pay = compute_pay(ctx)
    _title(ctx, look, first, last)
    y = _parties(ctx, look, company, first)
    contributions = _contributions(look, template, pay, y)
    y = _totals(look, pay, contributions.bottom + 6)
    tables = _year_to_date(ctx, look, pay, first, y)
    look.canvas.line(
        look.margin,
        297 - 10,
        f"{company.name} - {company.address.one_line()} - SIREN {company.siren_display}",
        look.small.sized(look.small.size - 0.5),
        kind="footer",
    )
    return Draft(canvas=look.canvas, template=template, tables=[contributions.table, *tables])


def _title(ctx: Context, look: _Look, first: date, last: date) -> None:
    rng, canvas, body, bold = ctx.rng, look.canvas, look.body, look.bold
    pay_day = last if rng.random() < 0.6 else first.replace(day=min(28, last.day))
    title = Style(body.family, 14, "bold", body.color)
    y = look.margin + 6
    text = "BULLETIN DE PAIE" if rng.random() < 0.5 else "BULLETIN DE SALAIRE"
    canvas.line(look.margin, y, text, title)
    period = [
        Seg("Période du", body),
        Seg(format_date(first), bold, "periode_debut"),
        Seg("au", body),
        Seg(format_date(last), bold, "periode_fin"),
    ]
    canvas.line(look.right, y - 4, period, align="right")
    paid = [
        Seg("Paiement le", body),
        Seg(format_date(pay_day), body, "date_paiement"),
        Seg("par virement", body),
    ]
    canvas.line(look.right, y + 1, paid, align="right")


def _parties(ctx: Context, look: _Look, company: Company, first: date) -> float:
    """Employer (left), employee (right, framed: an envelope window), employment details."""
    rng, v, canvas, body = ctx.rng, ctx.values, look.canvas, look.body
    employee = v.person(min_age=19, max_age=64)
    address = v.address()
    y = look.margin + 17
    step = canvas.leading(body, 1.3)
    employer_lines: list[list[Seg]] = [
        [Seg(company.name, look.bold, "employeur")],
        [Seg(company.address.street, body)],
        [Seg(company.address.city_line, body)],
        [Seg("SIRET :", body), Seg(company.siret_display, body, "siret")],
        [Seg("Code APE :", body), Seg(company.ape[0], body, "code_ape")],
        [Seg("Convention collective :", body), Seg(rng.choice(CONVENTIONS), body)],
    ]
    with canvas.block("employer"):
        for number, parts in enumerate(employer_lines):
            canvas.line(look.margin, y + number * step, parts)
    box_left = 112.0
    canvas.rect(box_left - 3, y - 6, look.right, y + 3 * step + 1, width=0.25)
    address_block(
        canvas,
        box_left,
        y,
        [employee.formal_name, *address.lines()],
        body,
        first_style=look.bold,
        fields=("salarie", "adresse_salarie", "adresse_salarie"),
    )
    hired = v.day_between(first.replace(year=first.year - 12), first)
    details = [
        ("Matricule :", f"{rng.randrange(1, 9999):05d}", None),
        ("N° de sécurité sociale :", format_nir(v.nir(employee)), "nir"),
        ("Emploi :", v.job(), "emploi"),
        ("Statut :", rng.choice(("Non cadre", "Cadre", "Agent de maîtrise")), None),
        ("Date d'entrée :", format_date(hired), None),
    ]
    top = y + 5 * step + 10
    with canvas.block("employee-details"):
        for number, (label, value, name) in enumerate(details):
            column = look.margin if number % 2 == 0 else box_left
            canvas.line(
                column, top + (number // 2) * step, [Seg(label, body), Seg(value, body, name)]
            )
    return top + 3 * step + 3


def _contributions(look: _Look, template: str, pay: Pay, y: float) -> PlacedTable:
    small = look.small
    if template == "classique":
        rows = _classic_rows(pay, small.bold())
        style = TableStyle(
            body=small,
            header=small.bold(),
            rules="grid",
            padding=0.8,
            rule_width=0.15,
            rule_color=(120, 120, 120),
        )
        widths, header_rows = (70.0, 22.0, 17.0, 23.0, 23.0, 25.0), 1
    else:
        rows = _clarified_rows(pay, small.bold())
        zebra = template == "clarifie-zebre"
        style = TableStyle(
            body=small,
            header=small.bold(),
            rules="none" if zebra else "grid",
            padding=0.8,
            rule_width=0.15,
            header_fill=(225, 225, 225),
            zebra=(242, 242, 242) if zebra else None,
        )
        widths, header_rows = (70.0, 22.0, 18.0, 23.0, 18.0, 29.0), 2
    return draw_table(
        look.canvas,
        (look.margin, y),
        widths,
        rows,
        style=style,
        table_id="cotisations",
        header_rows=header_rows,
    )


def _totals(look: _Look, pay: Pay, y: float) -> float:
    canvas, body = look.canvas, look.body
    step = canvas.leading(body, 1.3)
    tax_label = f"Impôt sur le revenu prélevé à la source (taux {format_number(pay.tax_rate)} %)"
    lines = [
        ("Net à payer avant impôt sur le revenu", pay.net_before_tax, "net_avant_impot"),
        (tax_label, pay.tax, "impot_preleve"),
        ("Net imposable", pay.net_taxable, "net_imposable"),
    ]
    with canvas.block("totals"):
        for label, value, name in lines:
            canvas.line(look.margin, y, label, body)
            canvas.line(look.right - 2, y, format_euros(value), body, field=name, align="right")
            y += step
    y += 2
    net_style = Style(body.family, body.size + 3, "bold", body.color)
    top = y - canvas.leading(net_style) - 0.5
    canvas.rect(110, top, look.right, y + 2.5, width=0.35, fill=(235, 235, 235))
    canvas.line(113, y, "NET À PAYER", net_style)
    net = format_euros(pay.net_to_pay)
    canvas.line(look.right - 2, y, net, net_style, field="net_a_payer", align="right")
    return y + 10


def _year_to_date(ctx: Context, look: _Look, pay: Pay, first: date, y: float) -> list[Table]:
    """Year-to-date totals and paid leave (two small tables), employer cost, the legal note."""
    rng, canvas, small = ctx.rng, look.canvas, look.small
    months = first.month
    ytd_rows = [
        [
            Cell("Cumuls"),
            Cell("Brut", align="center"),
            Cell("Net imposable", align="center"),
            Cell("Impôt prélevé", align="center"),
            Cell("Heures", align="center"),
        ],
        [
            Cell(f"Année {first.year}"),
            Cell(format_number(pay.gross * months), align="right", field="cumul_brut"),
            Cell(
                format_number(pay.net_taxable * months), align="right", field="cumul_net_imposable"
            ),
            Cell(format_number(pay.tax * months), align="right"),
            Cell(format_number(HOURS * months), align="right"),
        ],
    ]
    style = TableStyle(body=small, header=small.bold(), rules="grid", padding=0.8, rule_width=0.15)
    widths = (22.0, 22.0, 24.0, 22.0, 18.0)
    ytd = draw_table(canvas, (look.margin, y), widths, ytd_rows, style=style, table_id="cumuls")
    acquired = Decimal(rng.randrange(0, 50)) / 2
    taken = Decimal(rng.randrange(0, 30)) / 2
    leave_rows = [
        [
            Cell("Congés payés"),
            Cell("Acquis", align="center"),
            Cell("Pris", align="center"),
            Cell("Solde", align="center"),
        ],
        [
            Cell("N-1"),
            Cell(format_number(Decimal(25), 1), align="right"),
            Cell(format_number(taken, 1), align="right"),
            Cell(format_number(Decimal(25) - taken, 1), align="right"),
        ],
        [
            Cell("N"),
            Cell(format_number(acquired, 1), align="right"),
            Cell("0,0", align="right"),
            Cell(format_number(acquired, 1), align="right"),
        ],
    ]
    leave_widths = (22.0, 11.0, 11.0, 11.0)
    leave = draw_table(canvas, (130, y), leave_widths, leave_rows, style=style, table_id="conges")
    y = max(ytd.bottom, leave.bottom) + 5
    cost = format_euros(pay.gross + pay.employer_total)
    canvas.line(
        look.margin,
        y,
        [Seg("Coût total employeur :", look.body), Seg(cost, look.bold, "cout_employeur")],
    )
    canvas.paragraph(
        look.margin,
        y + 8,
        180,
        "Dans votre intérêt et pour vous aider à faire valoir vos droits, "
        "conservez ce bulletin de paie sans limitation de durée.",
        small.italic(),
    )
    return [ytd.table, leave.table]


CONVENTIONS = (
    "Syntec (IDCC 1486)", "Commerce de détail et de gros à prédominance alimentaire (IDCC 2216)",
    "Hôtels, cafés, restaurants (IDCC 1979)", "Bâtiment ouvriers (IDCC 1596)",
    "Transports routiers (IDCC 16)", "Métallurgie (IDCC 3248)", "Boulangerie-pâtisserie (IDCC 843)",
    "Aucune",
)  # fmt: skip
