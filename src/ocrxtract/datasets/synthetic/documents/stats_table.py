"""A statistical table page (as in a regional statistics publication): title, unit, a table
with a two-level header (merged cells spanning columns and rows), a total row, notes and source,
a commentary paragraph.

Templates: ``grille`` (every cell ruled), ``sans-filets`` (no vertical rule: rules above and below
the table and under the header, short rules under spanning header cells) and ``nu`` (no rule,
shaded rows). The figures are fictitious but consistent: the total row is the sum of the rows
and shares add up to 100 % in each row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from ocrxtract.datasets.synthetic.documents.common import Context, Draft
from ocrxtract.datasets.synthetic.layout import Canvas, Seg, Style
from ocrxtract.datasets.synthetic.table_layout import Cell, TableStyle, draw_table
from ocrxtract.document import Table
from ocrxtract.fr import format_number

DOC_TYPE = "tableau-statistique"
TEMPLATES = ("grille", "sans-filets", "nu")
REGIONS = (
    ("Auvergne-Rhône-Alpes", 8.1), ("Bourgogne-Franche-Comté", 2.8), ("Bretagne", 3.4),
    ("Centre-Val de Loire", 2.6), ("Corse", 0.35), ("Grand Est", 5.6),
    ("Hauts-de-France", 6.0), ("Île-de-France", 12.3), ("Normandie", 3.3),
    ("Nouvelle-Aquitaine", 6.0), ("Occitanie", 6.0), ("Pays de la Loire", 3.8),
    ("Provence-Alpes-Côte d'Azur", 5.1),
)  # fmt: skip
Builder = Callable[[Context], tuple[str, str, list[list[Cell]], list[float]]]
AGE_GROUPS = ("15-24 ans", "25-34 ans", "35-49 ans", "50-64 ans", "65 ans ou plus")


def _split_table(ctx: Context) -> tuple[str, str, list[list[Cell]], list[float]]:
    """Regions x (total, men, women: count and share)."""
    rng = ctx.rng
    year = ctx.today.year - 1
    subject = rng.choice(
        (
            ("Population active occupée", "milliers"),
            ("Demandeurs d'emploi", "milliers"),
            ("Créations d'entreprises", "nombre"),
            ("Étudiants inscrits", "milliers"),
        )
    )
    title = f"{subject[0]} selon le sexe, par région, en {year}"
    thousands = subject[1] == "milliers"
    header = [
        [
            Cell("Région", row_span=2),
            Cell("Ensemble", row_span=2, align="center"),
            Cell("Hommes", col_span=2, align="center"),
            Cell("Femmes", col_span=2, align="center"),
        ],
        [
            Cell("Effectif", align="center"),
            Cell("Part (%)", align="center"),
            Cell("Effectif", align="center"),
            Cell("Part (%)", align="center"),
        ],
    ]
    rows = []
    totals = [Decimal(0), Decimal(0), Decimal(0)]
    scale = Decimal(str(rng.uniform(0.3, 0.5) if thousands else rng.uniform(2.0, 9.0)))
    for region, weight in REGIONS:
        total = Decimal(str(weight)) * scale * Decimal(str(rng.uniform(0.9, 1.1))) * 100
        quantum = Decimal("0.1") if thousands else Decimal(1)
        total = total.quantize(quantum) if thousands else total.quantize(quantum) * 10
        men = (total * Decimal(str(rng.uniform(0.44, 0.56)))).quantize(quantum)
        women = total - men
        for k, value in enumerate((total, men, women)):
            totals[k] += value
        rows.append((region, total, men, women))
    rows.append(("France métropolitaine", totals[0], totals[1], totals[2]))
    decimals = 1 if thousands else 0
    body: list[list[Cell]] = []
    for number, (region, total, men, women) in enumerate(rows):
        last = number == len(rows) - 1
        share_men = men / total * 100
        body.append(
            [
                Cell(region),
                Cell(
                    format_number(total, decimals),
                    align="right",
                    field="total_ensemble" if last else None,
                ),
                Cell(format_number(men, decimals), align="right"),
                Cell(format_number(share_men, 1), align="right"),
                Cell(format_number(women, decimals), align="right"),
                Cell(format_number(100 - share_men.quantize(Decimal("0.1")), 1), align="right"),
            ]
        )
    unit = "Unités : milliers de personnes, %" if thousands else "Unités : nombre, %"
    return title, unit, header + body, [52.0, 24.0, 24.0, 18.0, 24.0, 18.0]


def _years_table(ctx: Context) -> tuple[str, str, list[list[Cell]], list[float]]:
    """Age groups x years (count and change)."""
    rng = ctx.rng
    last_year = ctx.today.year - 1
    years = [last_year - 2, last_year - 1, last_year]
    subject = rng.choice(
        ("Bénéficiaires de l'allocation logement", "Personnes en emploi", "Licenciés sportifs")
    )
    title = f"{subject} par tranche d'âge, de {years[0]} à {years[-1]}"
    header = [
        [Cell("Tranche d'âge", row_span=2)]
        + [Cell(str(y), col_span=2, align="center") for y in years],
        [
            c
            for _ in years
            for c in (Cell("Effectif", align="center"), Cell("Évol. (%)", align="center"))
        ],
    ]
    body: list[list[Cell]] = []
    sums = [0, 0, 0]
    previous_sums = 0
    for group in AGE_GROUPS:
        value = rng.randrange(20_000, 900_000)
        before = round(value / rng.uniform(0.95, 1.06))
        previous_sums += before
        row = [Cell(group)]
        for k in range(3):
            change = (value - before) / before * 100
            row += [
                Cell(format_number(value, 0), align="right"),
                Cell(format_number(Decimal(str(round(change, 1))), 1), align="right"),
            ]
            sums[k] += value
            before, value = value, round(value * rng.uniform(0.96, 1.07))
        body.append(row)
    total_row = [Cell("Ensemble")]
    before_total = previous_sums
    for k in range(3):
        change = (sums[k] - before_total) / before_total * 100
        total_row += [
            Cell(
                format_number(sums[k], 0), align="right", field="total_ensemble" if k == 2 else None
            ),
            Cell(format_number(Decimal(str(round(change, 1))), 1), align="right"),
        ]
        before_total = sums[k]
    body.append(total_row)
    return title, "Unités : nombre, %", header + body, [34.0] + [24.0, 18.0] * 3


def _section(
    ctx: Context,
    canvas: Canvas,
    y: float,
    number: int,
    builder: Builder,
    *,
    template: str,
    body: Style,
    with_fields: bool,
) -> tuple[Table, float]:
    """Title, unit, table and notes of one table; returns the table and the next free y."""
    margin = 20.0
    bold = body.bold()
    small = body.sized(body.size - 1)
    title, unit, rows, widths = builder(ctx)
    if not with_fields:
        rows = [[replace(c, field=None) for c in row] for row in rows]
    title_style = Style(body.family, body.size + 3, "bold", body.color)
    heading = f"Tableau {number} - {title}"
    for text in canvas.wrap(heading, 170, title_style):
        canvas.line(margin, y, text, title_style, field="titre_tableau" if with_fields else None)
        y += canvas.leading(title_style, 1.25)
    y += 2
    canvas.line(margin, y, unit, small.italic())
    y += 4
    rules = {"grille": "grid", "sans-filets": "booktabs", "nu": "none"}[template]
    table_style = TableStyle(
        body=body,
        header=bold,
        rules=rules,
        padding=1.3,
        rule_width=0.18,
        header_fill=(228, 232, 240) if template != "sans-filets" else None,
        zebra=(243, 245, 248) if template == "nu" else None,
    )
    rows[-1] = [replace(c, style=bold) for c in rows[-1]]  # the total row in bold
    placed = draw_table(
        canvas,
        (margin, y),
        widths,
        rows,
        style=table_style,
        table_id=f"tableau-{number}",
        header_rows=2,
    )
    y = placed.bottom + 5
    notes = [
        "Champ : France métropolitaine, personnes de 15 ans ou plus.",
        "Note : données fictives, générées pour l'évaluation de logiciels de reconnaissance.",
        f"Source : Observatoire régional, enquête annuelle {ctx.today.year - 1}.",
    ]
    with canvas.block("notes"):
        for note in notes:
            label, _, rest = note.partition(" : ")
            source = "source" if label == "Source" and with_fields else None
            canvas.line(margin, y, [Seg(f"{label} :", small.bold()), Seg(rest, small, source)])
            y += canvas.leading(small, 1.35)
    return placed.table, y


def render(ctx: Context) -> Draft:
    """Draw one statistical table page (one or two tables)."""
    rng = ctx.rng
    template = ctx.choice(TEMPLATES)
    canvas = Canvas(210, 297, ctx.dpi)
    family = ctx.sans() if rng.random() < 0.7 else ctx.serif()
    body = ctx.body_style(family, 8, 9)
    small = body.sized(body.size - 1)
    margin = 20.0
    number = rng.randrange(1, 12)
    canvas.line(margin, 14, f"Statistiques régionales - édition {ctx.today.year}", small.italic())
    canvas.line(190, 14, f"Page {rng.randrange(3, 140)}", small, align="right")
    canvas.hline(margin, 190, 16.5, 0.2, (120, 120, 120))
    builders: list[Builder] = [_split_table, _years_table]
    rng.shuffle(builders)
    table, y = _section(
        ctx, canvas, 30.0, number, builders[0], template=template, body=body, with_fields=True
    )
    tables = [table]
    y += 8
    comment = (
        f"Le tableau {number} présente la répartition observée en {ctx.today.year - 1}. "
        "Les écarts entre territoires restent marqués : les régions les plus peuplées concentrent "
        "l'essentiel des effectifs, tandis que la part relative de chaque catégorie varie peu "
        "d'une région à l'autre. Les évolutions annuelles doivent être interprétées avec prudence, "
        "les effectifs les plus faibles étant sensibles aux révisions de la source."
    )
    y = canvas.paragraph(margin, y, 170, comment, body, leading=1.4, align="justify")
    if y < 195 and rng.random() < 0.7:
        second, _ = _section(
            ctx,
            canvas,
            y + 10,
            number + 1,
            builders[1],
            template=template,
            body=body,
            with_fields=False,
        )
        tables.append(second)
    return Draft(canvas=canvas, template=template, tables=tables)
