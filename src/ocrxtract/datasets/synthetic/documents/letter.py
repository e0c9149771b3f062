"""A typed administrative letter: sender administration, recipient in the envelope window, place
and date, references (``Objet``, ``Réf.``, ``Affaire suivie par``), body paragraphs, closing
formula, signature by delegation, footer address.

Templates (layouts): ``moderne`` (sans-serif, the "République française" block), ``classique``
(serif, centred header) and ``machine`` (a typewriter font, as in older files: it has no ``€``,
so amounts are written ``EUR``). The letter's subject is drawn among a few administrations
(family allowance fund, tax office, town hall, prefecture, health insurance); the sentences are
written for each, with the values (file number, dates, amounts) filled in.
"""

from __future__ import annotations

from datetime import timedelta

from ocrxtract.datasets.synthetic import graphics
from ocrxtract.datasets.synthetic.documents.common import Context, Draft, address_block
from ocrxtract.datasets.synthetic.fonts import HAND, TYPEWRITER
from ocrxtract.datasets.synthetic.layout import INK_BLUE, Canvas, Seg, Style
from ocrxtract.datasets.synthetic.values import Person, prefecture
from ocrxtract.fr import format_date, format_euros, format_long_date, money, unbreakable

DOC_TYPE = "courrier-administratif"
TEMPLATES = ("moderne", "classique", "machine")
CLOSINGS = (
    "Je vous prie d'agréer, {civ}, l'expression de mes salutations distinguées.",
    "Veuillez agréer, {civ}, l'expression de ma considération distinguée.",
    "Je vous prie de croire, {civ}, à l'assurance de ma considération distinguée.",
)


def _letter_content(ctx: Context, recipient: Person, euro: str) -> tuple[str, str, list[str]]:
    """(sender administration, subject, paragraphs) for one kind of letter."""
    rng, v = ctx.rng, ctx.values
    file_number = f"{rng.randrange(100_000, 9_999_999)}"
    deadline = format_date(ctx.today + timedelta(days=rng.choice((15, 21, 30, 60))))
    amount = money(rng.uniform(40, 2400))
    amount_text = unbreakable(format_euros(amount, euro))
    since = unbreakable(format_long_date(ctx.today - timedelta(days=rng.randrange(20, 200))))
    kind = rng.randrange(5)
    if kind == 0:
        commune = v.commune()
        sender = f"Caisse d'allocations familiales de {commune[0]}"
        subject = "Demande de pièces justificatives"
        paragraphs = [
            f"Nous avons bien reçu votre demande d'aide au logement enregistrée sous le numéro "
            f"d'allocataire {file_number}. Afin de poursuivre l'étude de votre dossier, nous avons "
            f"besoin des pièces suivantes : votre bail signé, une attestation de loyer complétée "
            f"par votre bailleur et votre relevé d'identité bancaire.",
            f"Nous vous remercions de nous transmettre ces documents avant le {deadline}, par "
            f"courrier ou depuis votre espace personnel. Sans réponse de votre part à cette date, "
            f"votre demande ne pourra pas être traitée.",
        ]
    elif kind == 1:
        sender = "Direction générale des Finances publiques"
        subject = "Avis de dégrèvement"
        paragraphs = [
            f"À la suite de votre réclamation du {since}, j'ai l'honneur de vous informer que "
            f"votre demande a été admise. Un dégrèvement de {amount_text} a été prononcé sur "
            f"la taxe d'habitation mise à votre charge.",
            "Cette somme vous sera remboursée par virement sur le compte bancaire dont les "
            "coordonnées figurent dans votre espace particulier, dans un délai d'environ trente "
            "jours. Votre numéro fiscal reste inchangé.",
        ]
    elif kind == 2:
        commune = v.commune()
        sender = f"Mairie de {commune[0]}"
        subject = "Inscription sur les listes électorales"
        paragraphs = [
            f"Par la présente, je vous confirme votre inscription sur la liste électorale de la "
            f"commune, à compter du {since}. Votre carte électorale vous sera adressée par "
            f"courrier avant le prochain scrutin.",
            "Je vous rappelle que tout changement d'adresse au sein de la commune doit être "
            "signalé au service des élections, afin que vous soyez rattaché au bureau de vote "
            "correspondant à votre domicile.",
        ]
    elif kind == 3:
        department = v.commune()[2]
        sender = prefecture(department)
        subject = "Récépissé de demande de titre de séjour"
        paragraphs = [
            f"Votre demande de renouvellement de titre de séjour a été enregistrée le {since} "
            f"sous la référence {file_number}. Le présent courrier vaut récépissé et vous "
            f"autorise à séjourner en France jusqu'au {deadline}.",
            "Vous serez convoqué ultérieurement pour la remise de votre titre. Je vous invite à "
            "vous présenter muni de ce courrier, de votre passeport et d'une photographie "
            "d'identité récente.",
        ]
    else:
        commune = v.commune()
        sender = f"Caisse primaire d'assurance maladie de {commune[0]}"
        subject = "Remboursement de frais de santé"
        paragraphs = [
            f"Nous vous informons que nous avons procédé au remboursement de vos frais de santé "
            f"pour un montant de {amount_text}, au titre des soins reçus depuis le {since}.",
            f"Ce montant sera versé sur votre compte bancaire sous cinq jours ouvrés. Pour toute "
            f"question, rappelez la référence {file_number} dans votre correspondance.",
        ]
    if rng.random() < 0.6:
        paragraphs.append(
            "Nous restons à votre disposition pour tout renseignement complémentaire, du lundi "
            "au vendredi de 9 heures à 16 heures."
        )
    civ = "Monsieur" if recipient.sex == "M" else "Madame"
    paragraphs.append(rng.choice(CLOSINGS).format(civ=civ))
    return sender, subject, paragraphs


MARGIN = 22.0


def render(ctx: Context) -> Draft:
    """Draw one administrative letter."""
    rng, v = ctx.rng, ctx.values
    template = ctx.choice(TEMPLATES)
    canvas = Canvas(210, 297, ctx.dpi)
    if template == "machine":
        body = Style(TYPEWRITER, rng.choice((10.5, 11.0, 11.5)), color=(25, 25, 30))
    else:
        body = ctx.body_style(ctx.sans() if template == "moderne" else ctx.serif(), 10, 11.5)
    recipient = v.person()
    euro = "EUR" if template == "machine" else "€"  # the typewriter font has no euro sign
    sender, subject, paragraphs = _letter_content(ctx, recipient, euro)
    y = _sender(canvas, template, body, sender)
    y = _references(ctx, canvas, body, y + 8)
    address_block(
        canvas,
        115,
        58,
        [recipient.formal_name, *v.address().lines()],
        body,
        fields=("destinataire", "adresse_destinataire", "adresse_destinataire"),
    )
    y = max(y, 92.0)
    dated = [Seg(f"{v.commune()[0]}, le", body), Seg(format_long_date(ctx.today), body, "date")]
    canvas.line(210 - MARGIN, y, dated, align="right")
    bold = body if template == "machine" else body.bold()  # a typewriter has one weight
    canvas.line(MARGIN, y + 14, [Seg("Objet :", bold), Seg(subject, body, "objet")])
    y += 26
    civ = "Monsieur," if recipient.sex == "M" else "Madame,"
    canvas.line(MARGIN + (12 if template != "moderne" else 0), y, civ, body)
    y += canvas.leading(body, 2.0)
    align = "justify" if template != "machine" else "left"
    for paragraph in paragraphs:
        y = canvas.paragraph(
            MARGIN, y, 210 - 2 * MARGIN, paragraph, body, leading=1.35, align=align
        )
        y += canvas.leading(body, 0.7)
    _signature(ctx, canvas, template, body, y + 8)
    small = body.sized(body.size - 2.5)
    footer = f"{sender} - {v.address().one_line()} - {v.phone()}"
    canvas.line(105, 297 - 12, footer, small, align="center", kind="footer")
    return Draft(canvas=canvas, template=template)


def _sender(canvas: Canvas, template: str, body: Style, sender: str) -> float:
    """The sender's header block; returns the baseline below it."""
    y = 22.0
    if template == "machine":
        lines = [sender.upper(), "Service des usagers"]
    else:
        lines = ["RÉPUBLIQUE FRANÇAISE", "Liberté Égalité Fraternité", "", sender]
    with canvas.block("sender"):
        if template == "moderne":
            graphics.tricolour(canvas, (MARGIN, 12, 12, 7))
            for k, text in enumerate(lines):
                weight = "regular" if k == 1 else "bold"
                style = Style(body.family, 9 if k < 2 else 10, weight, body.color)
                canvas.line(MARGIN, y, text, style, field="expediteur" if k == 3 else None)
                y += 4.5
            return y
        x, align = (MARGIN + 30, "center") if template == "classique" else (MARGIN, "left")
        sender_line = 0 if template == "machine" else 3
        for k, text in enumerate(lines):
            style = body.bold() if k in (0, 3) and template != "machine" else body
            field = "expediteur" if k == sender_line else None
            canvas.line(x, y, text, style, align=align, field=field)
            y += canvas.leading(body, 1.3)
    if template == "machine":
        canvas.hline(MARGIN, MARGIN + 40, y - canvas.leading(body, 0.75), 0.3)
    return y


def _references(ctx: Context, canvas: Canvas, body: Style, y: float) -> float:
    rng, v = ctx.rng, ctx.values
    small = body.sized(body.size - 2)
    service = rng.choice(("DSU", "BCE", "SGP", "DRH"))
    refs = [
        ("Réf. :", f"{service}/{ctx.today.year}/{rng.randrange(1, 9999):04d}", "reference"),
        ("Affaire suivie par :", v.person().formal_name, None),
        ("Tél. :", v.phone(), None),
    ]
    with canvas.block("references"):
        for label, value, name in refs:
            canvas.line(MARGIN, y, [Seg(label, small), Seg(value, small, name)])
            y += canvas.leading(small, 1.35)
    return y


def _signature(ctx: Context, canvas: Canvas, template: str, body: Style, y: float) -> None:
    rng = ctx.rng
    signer = ctx.values.person()
    title = rng.choice(
        (
            "Pour le directeur et par délégation,",
            "Le chef de service,",
            "Pour le préfet et par délégation,",
            "L'adjoint au maire délégué,",
        )
    )
    name = f"{signer.first_name} {signer.last_name.upper()}"
    with canvas.block("signature"):
        canvas.line(118, y, title, body)
        canvas.line(118, y + 24, name, body, field="signataire")
    graphics.signature(canvas, (120, y + 3, 42, 14), rng)
    if rng.random() < 0.3 and template != "machine":
        hand = Style(HAND, 13, color=INK_BLUE)
        received = f"Reçu le {format_date(ctx.today + timedelta(days=3))}"
        canvas.line(MARGIN, y + 30, received, hand, kind="handwriting")
