"""Images made by other tools (app screenshots, the synthetic contact sheet), shown in the wiki
only when their files exist, with the command that makes them otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Screenshot:
    """An image made by another tool, shown only when its file exists.

    Attributes:
        path: Path under the wiki folder.
        caption: Caption (French).
        how: The command that makes it (named when the file is missing).
    """

    path: str
    caption: str
    how: str


CONTACT_SHEET = Screenshot(
    "img/synthetic-contact-sheet.png",
    "Planche des documents synthétiques : chaque type de document à chaque niveau de dégradation.",
    "`ocrxtract datasets contact-sheet --out wiki/img/synthetic-contact-sheet.png`",
)
#: Snippet name -> (depth of the pages that include it, images it shows).
SCREENSHOTS: dict[str, tuple[int, tuple[Screenshot, ...]]] = {
    "captures-application.md": (
        1,
        (
            Screenshot(
                "img/app-compare.png",
                "Page « Comparer les moteurs » : un PDF de deux pages lu par Tesseract et "
                "RapidOCR côte à côte, boîtes colorées par confiance, CER et différences avec un "
                "texte de référence ; les moteurs absents disent pourquoi et comment les "
                "installer.",
                "les captures de l'application (voir `app/README.md`)",
            ),
            Screenshot(
                "img/app-results.png",
                "Page « Résultats de benchmark » : la campagne `real`, précision contre vitesse "
                "par jeu de données, puis les classements.",
                "les captures de l'application (voir `app/README.md`)",
            ),
        ),
    ),
    "captures-mes-documents.md": (
        1,
        (
            Screenshot(
                "img/app-documents.png",
                "Page « Mes documents » : le brouillon de Tesseract, une ligne par extrait "
                "d'image ; la deuxième ligne vient d'être corrigée (Entrée est passée à la "
                "suivante) et le brouillon est déjà enregistré dans le dossier.",
                "le test navigateur de l'application (voir `app/README.md`)",
            ),
        ),
    ),
    "captures-classement.md": (
        1,
        (
            Screenshot(
                "img/app-classement.png",
                "Page « Classement » : Tesseract et RapidOCR sur les deux documents du dossier, "
                "la recommandation chiffrée, le tableau, les exports et les documents les moins "
                "bien lus.",
                "le test navigateur de l'application (voir `app/README.md`)",
            ),
        ),
    ),
    "planche-synthetique.md": (1, (CONTACT_SHEET,)),
}
#: Dataset name -> images shown in its section of the datasets page (depth 0).
DATASET_IMAGES: dict[str, tuple[Screenshot, ...]] = {"synthetic-fr": (CONTACT_SHEET,)}


def screenshot_snippet(depth: int, shots: Sequence[Screenshot], wiki_dir: Path) -> str:
    """Images that exist, shown with their caption; a note naming the command for the others."""
    prefix = "../" * depth
    out = []
    for shot in shots:
        if (wiki_dir / shot.path).is_file():
            out += [f"![{shot.caption}]({prefix}{shot.path})", "", f"*{shot.caption}*", ""]
        else:
            out += [
                '!!! note "Image pas encore produite"',
                f"    `wiki/{shot.path}` ({shot.caption}) manque au moment de la génération ; "
                f"elle est produite par {shot.how}.",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"
