"""The datasets page, generated from the registry (``datasets.yml``)."""

from __future__ import annotations

from collections.abc import Sequence

from ocrxtract.datasets import DatasetSpec
from ocrxtract.wiki.common import banner, md_table, md_text, slug
from ocrxtract.wiki.translations import french

#: Ground-truth formats whose pages are rendered (PDFs, generated pages) at ``render_dpi``.
RENDERED_FORMATS = {"icdar2013", "factur-x", "plain-text", "generated", "synthetic"}
KINDS = {
    "administrative": "administratif",
    "receipts": "tickets de caisse",
    "forms": "formulaires",
    "typed": "dactylographié",
    "handwritten": "manuscrit",
    "tables": "tableaux",
    "born-digital": "PDF natif",
}
TASKS = {"ocr": "OCR", "fields": "extraction de champs", "tables": "reconnaissance de tableaux"}
LANGUAGES = {"fra": "français", "eng": "anglais", "ind": "indonésien", "deu": "allemand"}


def _languages(code: str) -> str:
    return " + ".join(LANGUAGES.get(part, part) for part in code.split("+"))


def _size(spec: DatasetSpec) -> str:
    parts = []
    if spec.source.generator and spec.source.count is not None:
        parts.append(f"{spec.source.count} pages générées par défaut")
    parts += [f"`{split}` : {french(description)}" for split, description in spec.splits.items()]
    return " ; ".join(parts)


def _how_to_get(spec: DatasetSpec) -> str:
    if spec.format == "generated" or spec.source.generator:
        generator = spec.source.generator or "ocrxtract"
        return f"généré à la demande par `{generator}` : rien à télécharger"
    parts = []
    if spec.source.files:
        checked = sum(1 for f in spec.source.files if f.sha256)
        parts.append(
            f"`ocrxtract datasets fetch {spec.name}` ({len(spec.source.files)} fichier(s), "
            f"{checked} avec une empreinte SHA-256 publiée)"
        )
    if spec.source.manual:
        parts.append(f"à la main : {md_text(french(spec.source.manual))}")
    if spec.folder:
        parts.append(f"ou lu dans le dossier partagé `{spec.folder}/` (`../shared/datasets`)")
    return " ; ".join(parts) or "voir la source"


def datasets_page(
    specs: Sequence[DatasetSpec],
    registry: str = "datasets.yml",
    images: dict[str, str] | None = None,
) -> str:
    """The datasets page: a summary table, then one section per dataset.

    Args:
        specs: The datasets, in registry order.
        registry: The registry file named in the page.
        images: Dataset name -> Markdown shown at the end of its section (an illustration).
    """
    out = [
        "# Jeux de données",
        "",
        banner(f"`{registry}`"),
        "",
        "Chaque jeu est déclaré dans le registre `datasets.yml` : contenu, licence, tâches, "
        "taille, métrique principale et particularités des fichiers, avec ce que le chargeur en "
        "fait. Cette page est générée depuis ce registre (écrit en anglais, comme la "
        "bibliothèque) ; ses textes sont traduits ici.",
        "",
        "```bash",
        ".venv/bin/ocrxtract datasets list             # les jeux et leur disponibilité ici",
        ".venv/bin/ocrxtract datasets info sroie       # tout sur un jeu, dont les chemins",
        ".venv/bin/ocrxtract datasets fetch funsd-test # téléchargement explicite, vérifié",
        "```",
        "",
        "Les fichiers sont cherchés dans `$OCRXTRACT_DATA_DIR` (par défaut "
        "`~/.cache/ocrxtract/datasets`), puis dans le dossier partagé `../shared/datasets`. "
        "Rien n'est téléchargé sans `datasets fetch`. Pour déclarer un nouveau jeu, voir "
        "[Ajouter un jeu de données](guides/ajouter-un-jeu-de-donnees.md) ; pour les "
        "métriques, [Métriques](metriques.md).",
        "",
        "## Vue d'ensemble",
        "",
    ]
    rows = [
        [
            f"[`{s.name}`](#{_anchor(s.name)})",
            s.title_fr or s.title or "—",
            f"{KINDS.get(s.kind, s.kind)}, {_languages(s.language)}",
            ", ".join(TASKS.get(t, t) for t in s.tasks),
            french(s.license),
        ]
        for s in specs
    ]
    out += [md_table(["jeu", "contenu", "type et langue", "tâches", "licence"], rows), ""]
    images = images or {}
    for spec in specs:
        out += _dataset_section(spec)
        if spec.name in images:
            out += [images[spec.name].rstrip(), ""]
    return "\n".join(out).rstrip() + "\n"


def _anchor(name: str) -> str:
    return "jeu-" + slug(name)


def _dataset_section(spec: DatasetSpec) -> list[str]:
    out = [f"## `{spec.name}` {{ #{_anchor(spec.name)} }}", ""]
    if spec.title_fr or spec.title:
        out += [f"**{md_text(spec.title_fr or spec.title)}**", ""]
    facts = [
        f"- **Type** : {KINDS.get(spec.kind, spec.kind)} · **langue** : "
        f"{_languages(spec.language)} · **format de la vérité terrain** : `{spec.format}` · "
        f"**tâches** : {', '.join(TASKS.get(t, t) for t in spec.tasks)}",
        f"- **Licence** : {md_text(french(spec.license))}",
    ]
    if spec.citation:
        facts.append(f"- **Citation** : {md_text(spec.citation)}")
    metrics = ", ".join(f"`{m}`" for m in spec.metrics) or "—"
    facts.append(
        f"- **Métrique principale** : `{spec.headline.metric}` (normalisation "
        f"`{spec.headline.normalization}`) · **métriques** : {metrics}"
    )
    facts.append(f"- **Taille** : {md_text(_size(spec))}")
    if spec.dpi is not None:
        facts.append(f"- **Résolution déclarée** : {spec.dpi:g} dpi (absente des fichiers)")
    if spec.format in RENDERED_FORMATS:
        facts.append(f"- **Résolution de rendu des pages** : {spec.render_dpi} dpi")
    if spec.source.homepage:
        facts.append(f"- **Source** : <{spec.source.homepage}>")
    if spec.source.commit:
        facts.append(f"- **Version figée** : commit `{spec.source.commit}`")
    facts.append(f"- **Obtenir les fichiers** : {_how_to_get(spec)}")
    if spec.notes:
        facts.append(f"- **Note** : {md_text(french(spec.notes))}")
    out += [*facts, ""]
    if spec.quirks:
        out += [
            "Particularités des fichiers et traitement par le chargeur :",
            "",
            md_table(
                ["id", "ce que contiennent les fichiers", "ce que fait le chargeur"],
                ([f"`{q.id}`", french(q.text), french(q.handling)] for q in spec.quirks),
            ),
            "",
        ]
    return out
