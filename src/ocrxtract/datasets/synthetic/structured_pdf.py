"""Born-digital PDFs of known structure, for structure analysis (fpdf2, extra ``structure``).

:func:`make_structured_pdf` lays out a French administrative report in a :class:`PdfStyle`
(fonts, sizes, weights, colours, numbering, one or two columns, bullets, running header and
footer, paragraph spacing or first-line indents) and returns the PDF's bytes with its truth
(:class:`StructureTruth`): every heading with its level, the running headers, footers and page
numbers on each page, the content text (hyphenated words whole), the key-values and the table.

The layout is done here, line by line, so that the truth is exact: words too long for the end
of a line are hyphenated at known break points (``règle-`` / ``ment``), compounds are cut at
their own hyphen (``porte-`` / ``parole``), lists nest, a ruled table is drawn with its cells.

:data:`DEVELOPMENT_STYLES` are the styles the analysis was written against, :data:`TUNED_STYLES`
styles first meant to be held out but looked at (and tuned on) while fixing it;
:data:`HELD_OUT_STYLES` (other fonts, sizes, weights, numbering, layouts) were written after
the tuning and are only measured.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocrxtract.errors import MissingDependencyError

log = logging.getLogger(__name__)

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation2"),
)
#: TrueType families (regular, bold, italic files) used when the Debian fonts are there.
TTF_FAMILIES = {
    "dejavu-sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
    "dejavu-serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
    "liberation-sans": (
        "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf"
    ),
    "liberation-serif": (
        "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf"
    ),
}  # fmt: skip
CORE_FAMILIES = ("helvetica", "times", "courier")

#: Words hyphenated at the end of a line, at these break points.
HYPHENABLE = {
    "règlement": ("règle", "ment"),
    "administration": ("adminis", "tration"),
    "gouvernement": ("gouverne", "ment"),
    "transparence": ("transpa", "rence"),
    "modération": ("modéra", "tion"),
    "fonctionnement": ("fonctionne", "ment"),
    "recommandation": ("recomman", "dation"),
    "évaluation": ("évalua", "tion"),
    "information": ("infor", "mation"),
    "établissement": ("établisse", "ment"),
    "collectivités": ("collecti", "vités"),
    "publication": ("publi", "cation"),
    "signalements": ("signale", "ments"),
    "utilisateurs": ("utilisa", "teurs"),
    "porte-parole": ("porte", "parole"),
    "sous-traitance": ("sous", "traitance"),
}

_SENTENCES = (
    "Le règlement fixe les obligations des plateformes en matière de transparence.",
    "Chaque administration publie un rapport annuel sur le fonctionnement de ses services.",
    "La recommandation porte sur la modération des contenus et le traitement des signalements.",
    "Les utilisateurs peuvent contester une décision auprès du service compétent.",
    "Le gouvernement présente une évaluation des risques systémiques chaque année.",
    "Cette information est mise à disposition des collectivités territoriales.",
    "Le porte-parole du ministère a présenté les résultats de la publication.",
    "La sous-traitance des activités de contrôle reste encadrée par le règlement.",
    "Un établissement public assure le suivi des indicateurs et de leur évaluation.",
    "Les données sont conservées pendant une durée limitée et proportionnée.",
    "La commission examine les demandes dans un délai de deux mois.",
    "Les mesures prises sont proportionnées aux risques identifiés par les utilisateurs.",
    "Le fonctionnement des systèmes de recommandation est décrit de manière accessible.",
    "Le rapport précise les moyens humains consacrés à la modération.",
    "Une attention particulière est portée à la protection des mineurs.",
    "Les signalements sont traités par ordre de priorité selon leur gravité.",
)
_TITLES = (
    "Contexte et objectifs", "Champ d'application", "Méthode d'évaluation",
    "Résultats obtenus", "Mesures d'atténuation", "Transparence des algorithmes",
    "Protection des mineurs", "Traitement des signalements", "Moyens humains",
    "Gouvernance des données", "Recours et réclamations", "Calendrier de mise en oeuvre",
    "Indicateurs de suivi", "Coopération avec les autorités", "Publicité en ligne",
    "Systèmes de recommandation", "Conclusions", "Perspectives",
)  # fmt: skip
_KEYS = (
    ("Intitulé du poste", "Chargé de mission transparence"),
    ("Direction", "Direction générale des entreprises"),
    ("Lieu de travail", "Paris"),
    ("Catégorie", "A"),
    ("Date de publication", "12 mars 2024"),
)
_ITEMS = (
    "la publication des conditions générales",
    "le signalement des contenus illicites",
    "la coopération avec les signaleurs de confiance",
    "l'accès des chercheurs aux données",
    "la protection des mineurs en ligne",
    "les audits indépendants annuels",
)


@dataclass(frozen=True)
class PdfStyle:
    """How a generated report is set.

    Attributes:
        name: Its name.
        body_font, heading_font: Font families (core ``helvetica``/``times``/``courier`` or a
            key of :data:`TTF_FAMILIES`).
        body_size: Body size in points.
        heading_sizes: Sizes of heading levels 1, 2, 3.
        heading_bold: Whether each level is bold.
        heading_italic: Whether each level is italic.
        heading_caps: Whether each level is in capitals.
        heading_color: Colour of the headings.
        numbering: ``decimal`` (1. / 1.1 / 1.1.1), ``roman`` (I. / A. / 1.), ``article``
            (Titre I / Chapitre 1 / Article 1), ``none``.
        columns: 1 or 2.
        bullet: The list bullet.
        page_number: Format of the page number (``{n}``, ``{total}``).
        header: Running header text (empty: none).
        footer: Running footer text (empty: none).
        indent: First-line indent instead of paragraph spacing.
        title_size: Size of the document title (a level-1 heading above the sections, whose
            levels then start at 2); 0: no title.
    """

    name: str
    body_font: str = "helvetica"
    heading_font: str = "helvetica"
    body_size: float = 10.0
    heading_sizes: tuple[float, float, float] = (16.0, 13.0, 11.0)
    heading_bold: tuple[bool, bool, bool] = (True, True, True)
    heading_italic: tuple[bool, bool, bool] = (False, False, False)
    heading_caps: tuple[bool, bool, bool] = (False, False, False)
    heading_color: tuple[int, int, int] = (0, 0, 0)
    numbering: str = "decimal"
    columns: int = 1
    bullet: str = "•"
    page_number: str = "Page {n} sur {total}"
    header: str = "Rapport annuel de transparence"
    footer: str = ""
    indent: bool = False
    title_size: float = 0.0


DEVELOPMENT_STYLES = (
    PdfStyle("dev-helvetica-decimal"),
    PdfStyle(
        "dev-times-roman", body_font="times", heading_font="times", body_size=11,
        heading_sizes=(15, 12.5, 11), heading_bold=(True, True, False),
        heading_italic=(False, False, True), numbering="roman", page_number="- {n} -",
        header="Ministère de l'Intérieur", footer="Document de travail",
    ),
    PdfStyle(
        "dev-two-columns", body_size=9, heading_sizes=(14, 11, 9.5), columns=2,
        numbering="decimal", bullet="-", page_number="{n}", header="",
        footer="Autorité de régulation", title_size=20,
    ),
    PdfStyle(
        "dev-article-courier", body_font="courier", heading_font="helvetica", body_size=9.5,
        heading_sizes=(13, 11, 10), numbering="article", heading_color=(0, 60, 140),
        page_number="{n}/{total}", indent=True,
    ),
)  # fmt: skip

TUNED_STYLES = (
    PdfStyle(
        "tuned-dejavu-serif", body_font="dejavu-serif", heading_font="dejavu-sans",
        body_size=10.5, heading_sizes=(18, 14, 11.5), numbering="decimal",
        heading_color=(120, 20, 40), bullet="▪", page_number="{n}",
        header="Haute Autorité de santé", footer="Recommandation de bonne pratique",
    ),
    PdfStyle(
        "tuned-liberation-two-columns", body_font="liberation-serif",
        heading_font="liberation-sans", body_size=9.5, heading_sizes=(13, 11, 10),
        heading_bold=(True, True, True), heading_caps=(True, False, False), columns=2,
        numbering="roman", bullet="–", page_number="Page {n}", header="Armées — fiche de poste",
        indent=True,
    ),
    PdfStyle(
        "tuned-unnumbered-sans", body_font="liberation-sans", heading_font="liberation-sans",
        body_size=11, heading_sizes=(17, 14, 12), heading_bold=(True, True, False),
        heading_italic=(False, False, True), numbering="none", bullet="◦",
        page_number="{n} / {total}", header="", footer="PEREN — pôle d'expertise",
        title_size=22,
    ),
    PdfStyle(
        "tuned-article-times-two-columns", body_font="times", heading_font="dejavu-serif",
        body_size=10, heading_sizes=(12.5, 11.5, 10), heading_bold=(True, True, True),
        heading_caps=(True, False, False), numbering="article", columns=2,
        page_number="- {n} -", header="Journal officiel", footer="",
    ),
)  # fmt: skip

#: Written after the analysis was tuned, measured as they came (never tuned on).
HELD_OUT_STYLES = (
    PdfStyle(
        "held-out-courier-headings", body_font="dejavu-sans", heading_font="courier",
        body_size=9, heading_sizes=(14, 12, 10.5), heading_bold=(True, True, True),
        numbering="decimal", heading_color=(0, 90, 0), bullet="•", page_number="p. {n}",
        header="Direction interministérielle du numérique", footer="Version 2.1",
    ),
    PdfStyle(
        "held-out-serif-caps-two-columns", body_font="liberation-serif",
        heading_font="liberation-serif", body_size=10, heading_sizes=(12, 11, 10),
        heading_bold=(True, True, False), heading_italic=(False, False, True),
        heading_caps=(True, True, False), numbering="roman", columns=2, bullet="-",
        page_number="{n}", header="", footer="Conseil d'État", title_size=18,
    ),
    PdfStyle(
        "held-out-large-sans-article", body_font="dejavu-sans", heading_font="dejavu-sans",
        body_size=12, heading_sizes=(16, 14, 13), heading_bold=(True, True, True),
        numbering="article", bullet="▪", page_number="Page {n} sur {total}",
        header="Arrêté du 4 mars 2024", footer="", indent=True,
    ),
    PdfStyle(
        "held-out-helvetica-plain-titles", body_font="helvetica", heading_font="times",
        body_size=10, heading_sizes=(18, 14, 12), heading_bold=(False, False, False),
        heading_italic=(False, True, False), numbering="none", bullet="–",
        page_number="{n}/{total}", header="Autorité de la concurrence",
        footer="Avis n° 24-A-05",
    ),
)  # fmt: skip


@dataclass
class StructureTruth:
    """What a generated PDF holds.

    Attributes:
        headings: ``(text, level)`` in reading order.
        furniture: ``(0-based page, role, text)`` of every running header, footer and number.
        text: The content in reading order (titles, paragraphs with hyphenated words whole,
            list items, key-values, table cells), furniture excluded.
        key_values: ``(key, value)`` pairs.
        table: The table's rows of cells.
        pages: Number of pages.
    """

    headings: list[tuple[str, int]] = field(default_factory=list)
    furniture: list[tuple[int, str, str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    key_values: list[tuple[str, str]] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    pages: int = 0


def _roman(number: int) -> str:
    values = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in values:
        while number >= value:
            out += letters
            number -= value
    return out


def _label(style: PdfStyle, counters: list[int], level: int) -> str:
    n = counters[level - 1]
    if style.numbering == "decimal":
        return ".".join(str(c) for c in counters[:level]) + ("." if level == 1 else "")
    if style.numbering == "roman":
        return (_roman(n) + ".", "ABCDEFGH"[n - 1] + ".", f"{n}.")[level - 1]
    if style.numbering == "article":
        return (f"Titre {_roman(n)} -", f"Chapitre {n} -", f"Article {n} -")[level - 1]
    return ""


class _Writer:
    """Line-by-line layout over pages and columns, with the truth kept alongside."""

    def __init__(self, style: PdfStyle, truth: StructureTruth, total: int = 0) -> None:
        try:
            from fpdf import FPDF
        except ImportError as exc:
            raise MissingDependencyError(
                "fpdf2", "generate structured PDFs", "pip install 'ocrxtract[structure]'"
            ) from exc
        self.style = style
        self.truth = truth
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.core_fonts_encoding = "windows-1252"  # bullets and dashes in core fonts
        self.pdf.set_title("Rapport de test")
        self.fonts = {name: self._family(name) for name in {style.body_font, style.heading_font}}
        self.total = total
        self.margin = 56.0
        self.top = 80.0
        self.bottom = 842.0 - 80.0
        self.gutter = 20.0
        self.page_width = 595.28
        self.column = 0
        self.y = self.top
        self.page_no = 0

    def _family(self, name: str) -> str:
        if name in CORE_FAMILIES:
            return name
        files = TTF_FAMILIES[name]
        found = [next((d / f for d in FONT_DIRS if (d / f).is_file()), None) for f in files]
        if any(path is None for path in found):
            log.warning("font %s not found: Helvetica is used instead", name)
            return "helvetica"
        for style_code, path in zip(("", "B", "I"), found, strict=True):
            self.pdf.add_font(name, style_code, str(path))
        return name

    # geometry
    @property
    def width(self) -> float:
        full = self.page_width - 2 * self.margin
        if self.style.columns == 1:
            return full
        return (full - self.gutter) / 2

    @property
    def x(self) -> float:
        return self.margin + self.column * (self.width + self.gutter)

    def new_page(self) -> None:
        self.pdf.add_page()
        self.page_no += 1
        self.column = 0
        self.y = self.top
        self.furniture()

    def next_frame(self) -> None:
        if self.style.columns == 2 and self.column == 0:
            self.column = 1
            self.y = self.top
        else:
            self.new_page()

    def ensure(self, height: float) -> None:
        if self.page_no == 0:
            self.new_page()
        if self.y + height > self.bottom:
            self.next_frame()

    def font(self, family: str, bold: bool, italic: bool, size: float) -> None:
        code = ("B" if bold else "") + ("I" if italic else "")
        if family not in CORE_FAMILIES and code == "BI":
            code = "B"
        self.pdf.set_font(self.fonts[family], code, size)

    # text
    def _fit(self, words: list[str], width: float) -> tuple[list[str], list[str]]:
        """Words that fit on one line (hyphenating the next one when it can)."""
        line: list[str] = []
        for position, word in enumerate(words):
            candidate = " ".join([*line, word])
            if self.pdf.get_string_width(candidate) <= width:
                line.append(word)
                continue
            bare = word.rstrip(".,;:")
            parts = HYPHENABLE.get(bare)
            if parts is not None and line:
                head = " ".join([*line, parts[0] + "-"])
                if self.pdf.get_string_width(head) <= width:
                    rest = parts[1] + word[len(bare) :]
                    return [*line, parts[0] + "-"], [rest, *words[position + 1 :]]
            return (line, words[position:]) if line else ([word], words[position + 1 :])
        return line, []

    def paragraph(self, text: str, *, size: float | None = None, indent: float = 0.0,
                  first_indent: float = 0.0, bold: bool = False, italic: bool = False,
                  family: str | None = None, color: tuple[int, int, int] = (0, 0, 0),
                  after: float | None = None) -> None:  # fmt: skip
        style = self.style
        size = size or style.body_size
        leading = 1.25 * size
        words = text.split()
        first = True
        while words:
            offset = indent + (first_indent if first else 0.0)
            self.font(family or style.body_font, bold, italic, size)
            line, words = self._fit(words, self.width - offset)
            self.ensure(leading)
            self.font(family or style.body_font, bold, italic, size)  # a new page changes it
            self.pdf.set_text_color(*color)
            self.pdf.text(self.x + offset, self.y + size, " ".join(line))
            self.y += leading
            first = False
        self.y += (0.6 * size if not style.indent else 0.15 * size) if after is None else after

    def heading(self, text: str, level: int, size: float, *, bold: bool, italic: bool,
                caps: bool) -> None:  # fmt: skip
        shown = text.upper() if caps else text
        self.ensure(3.5 * size)
        self.y += 0.6 * size
        self.paragraph(shown, size=size, bold=bold, italic=italic,
                       family=self.style.heading_font, color=self.style.heading_color,
                       after=0.4 * size)  # fmt: skip
        self.truth.headings.append((shown, level))
        self.truth.text.append(shown)

    def furniture(self) -> None:
        """The running header, footer and page number of the page just added (fpdf2 garbles
        TrueType text written to a page after later ones exist, so each is drawn at once)."""
        style = self.style
        for page in (self.page_no,):
            self.font(style.body_font, False, style.body_font != "courier", style.body_size - 1.5)
            self.pdf.set_text_color(90, 90, 90)
            if style.header:
                self.pdf.text(self.margin, 40, style.header)
                self.truth.furniture.append((page - 1, "header", style.header))
            number = style.page_number.format(n=page, total=self.total)
            width = self.pdf.get_string_width(number)
            if style.footer:
                self.pdf.text(self.margin, 842 - 40, style.footer)
                self.truth.furniture.append((page - 1, "footer", style.footer))
                self.pdf.text(self.page_width - self.margin - width, 842 - 40, number)
            else:
                self.pdf.text((self.page_width - width) / 2, 842 - 40, number)
            self.truth.furniture.append((page - 1, "page_number", number))


def _body_text(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(_SENTENCES) for _ in range(sentences))


def make_structured_pdf(style: PdfStyle, seed: int = 0) -> tuple[bytes, StructureTruth]:
    """A report in ``style`` with random content drawn from ``seed``, and its truth.

    Raises:
        MissingDependencyError: fpdf2 is not installed.
    """
    _, first = _make(style, seed, 0)  # the first pass counts the pages
    data, truth = _make(style, seed, first.pages)
    return data, truth


def _make(style: PdfStyle, seed: int, total: int) -> tuple[bytes, StructureTruth]:
    rng = random.Random(f"{style.name}-{seed}")
    truth = StructureTruth()
    writer = _Writer(style, truth, total)
    writer.new_page()
    base = 1
    if style.title_size:
        title = "Rapport sur les risques systémiques"
        writer.heading(title, 1, style.title_size, bold=True, italic=False, caps=False)
        base = 2
    titles = list(_TITLES)
    rng.shuffle(titles)
    counters = [0, 0, 0]
    placed = {"list": False, "nested": False, "kv": False, "table": False, "enum": False}
    for top in range(rng.randint(3, 4)):
        sub_count = rng.randint(1, 3)
        for depth, count in ((1, 1), (2, sub_count)):
            for _ in range(count):
                _section(
                    writer, style, rng, titles,
                    counters=counters, level=depth, base=base, placed=placed,
                )  # fmt: skip
                if depth == 2 and rng.random() < 0.5:
                    _section(
                        writer, style, rng, titles,
                        counters=counters, level=3, base=base, placed=placed,
                    )  # fmt: skip
        if top == 0 and not placed["kv"]:
            _key_values(writer, style)
            placed["kv"] = True
    truth.pages = writer.pdf.pages_count
    return bytes(writer.pdf.output()), truth


def _section(writer: _Writer, style: PdfStyle, rng: random.Random, titles: list[str], *,
             counters: list[int], level: int, base: int,
             placed: dict[str, bool]) -> None:  # fmt: skip
    counters[level - 1] += 1
    for deeper in range(level, 3):
        counters[deeper] = 0
    title = titles.pop() if titles else f"Partie {sum(counters)}"
    label = _label(style, counters, level)
    text = f"{label} {title}".strip()
    i = level - 1
    writer.heading(
        text, base + level - 1, style.heading_sizes[i], bold=style.heading_bold[i],
        italic=style.heading_italic[i], caps=style.heading_caps[i],
    )  # fmt: skip
    for _ in range(rng.randint(1, 2)):
        body = _body_text(rng, rng.randint(2, 5))
        writer.paragraph(body, first_indent=1.5 * style.body_size if style.indent else 0.0)
        writer.truth.text.append(body)
    if level >= 2 and not placed["list"]:
        _list(writer, style, rng, nested=True)
        placed["list"] = True
    elif level >= 2 and not placed["enum"]:
        _enumeration(writer, style)
        placed["enum"] = True
    elif level >= 2 and not placed["table"]:
        _table(writer, style)
        placed["table"] = True


def _list(writer: _Writer, style: PdfStyle, rng: random.Random, nested: bool) -> None:
    items = rng.sample(_ITEMS, 4)
    size = style.body_size
    for number, item in enumerate(items):
        text = f"{item[0].upper()}{item[1:]} ;"
        writer.ensure(1.3 * size)
        writer.font(style.body_font, False, False, size)
        writer.pdf.set_text_color(0, 0, 0)
        writer.pdf.text(writer.x + size, writer.y + size, style.bullet)
        writer.paragraph(text, indent=2.5 * size, after=0.1 * size)
        writer.truth.text += [style.bullet, text]
        if nested and number == 1:
            for sub in ("au niveau national", "au niveau européen"):
                writer.ensure(1.3 * size)
                writer.font(style.body_font, False, False, size)
                writer.pdf.set_text_color(0, 0, 0)
                writer.pdf.text(writer.x + 3 * size, writer.y + size, "-")
                writer.paragraph(sub, indent=4.5 * size, after=0.1 * size)
                writer.truth.text += ["-", sub]
    writer.y += 0.5 * size


def _enumeration(writer: _Writer, style: PdfStyle) -> None:
    size = style.body_size
    for number, item in enumerate(_ITEMS[:3], start=1):
        text = f"{number}) {item[0].upper()}{item[1:]}."
        writer.paragraph(text, indent=size, after=0.1 * size)
        writer.truth.text.append(text)
    writer.y += 0.5 * size


def _key_values(writer: _Writer, style: PdfStyle) -> None:
    size = style.body_size
    for key, value in _KEYS:
        writer.paragraph(f"{key} : {value}", after=0.15 * size)
        writer.truth.key_values.append((key, value))
        writer.truth.text.append(f"{key} : {value}")
    writer.y += 0.5 * size


def _table(writer: _Writer, style: PdfStyle) -> None:
    rows = [
        ["Indicateur", "2023", "2024"],
        ["Signalements reçus", "12 450", "15 230"],
        ["Contenus retirés", "8 120", "9 870"],
        ["Recours traités", "1 045", "1 310"],
    ]
    size = style.body_size
    height = 1.6 * size
    writer.ensure(height * len(rows) + size)
    widths = [writer.width * 0.5, writer.width * 0.25, writer.width * 0.25]
    pdf: Any = writer.pdf
    pdf.set_line_width(0.6)
    pdf.set_draw_color(0, 0, 0)
    top = writer.y
    for r, row in enumerate(rows):
        x = writer.x
        writer.font(style.body_font, r == 0, False, size)
        pdf.set_text_color(0, 0, 0)
        for c, cell in enumerate(row):
            pdf.text(x + 3, top + r * height + 1.15 * size, cell)
            x += widths[c]
    x0, x1 = writer.x, writer.x + sum(widths)
    for r in range(len(rows) + 1):
        pdf.line(x0, top + r * height, x1, top + r * height)
    x = x0
    for w in [0.0, *widths]:
        x += w
        pdf.line(x, top, x, top + len(rows) * height)
    writer.y = top + len(rows) * height + size
    writer.truth.table = rows
    writer.truth.text += [cell for row in rows for cell in row]
