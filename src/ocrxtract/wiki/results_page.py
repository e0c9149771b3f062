"""The results page, each engine's figures and the charts, from the results store.

Each ``<results>/<campaign>/summary.json`` written by ``ocrxtract bench`` is one campaign; its
tables come from :func:`ocrxtract.bench.table_data`, translated to French, and its charts from
:mod:`ocrxtract.wiki.charts`. No figure is computed here beyond reading the summary.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocrxtract.datasets.registry import REPO_ROOT
from ocrxtract.errors import OcrxtractError
from ocrxtract.wiki.charts import Point, bar_chart, scatter_chart
from ocrxtract.wiki.common import banner, md_table, md_text, percent, repo_relative, slug
from ocrxtract.wiki.datasets_page import KINDS
from ocrxtract.wiki.translations import french, skip_reason

if TYPE_CHECKING:
    from ocrxtract.bench.campaign import Campaign

log = logging.getLogger(__name__)

SUMMARY_FILE = "summary.json"
#: Where the charts go, under the wiki folder.
CHARTS_DIR = "img/generated"
TABLE_TITLES = {
    "Headline (each dataset's own metric)": "Chiffre principal (la métrique propre à chaque jeu)",
    "Engines": "Moteurs : vitesse et mémoire",
    "Page text (corpus level)": "Texte des pages (niveau corpus)",
    "Page text of the transcribed zones (corpus level)": (
        "Texte des pages, zones transcrites seules (niveau corpus)"
    ),
    "Line recognition, word detection, speed and memory": (
        "Lignes, détection des mots, vitesse et mémoire par jeu"
    ),
    "By document type": "Par type de document (la métrique principale de chaque jeu)",
    "By difficulty": "Par niveau de difficulté (la métrique principale de chaque jeu)",
    "Key fields": "Champs clés",
    "Tables": "Tableaux",
}
HEADERS = {
    "dataset": "jeu de données",
    "engine": "moteur",
    "samples": "échantillons",
    "metric": "métrique",
    "errors": "erreurs",
    "lines": "lignes",
    "processes × threads": "processus × threads",
    "s/page (warm)": "s/page (à chaud)",
    "peak RSS (MiB)": "pic RSS (Mio)",
    "system": "système",
    "doc type": "type de document",
    "difficulty": "difficulté",
}
CELLS = {"not measured": "non mesuré"}
#: Metric labels of the benchmark (``ocrxtract.bench.scorers``) in French words, each linked to
#: its entry of the glossary page (metriques.md).
METRIC_NAMES: dict[str, tuple[str, str]] = {
    "CER": ("CER", "cer-et-wer"),
    "WER": ("WER", "cer-et-wer"),
    "order-free CER": ("CER sans ordre", "cer-sans-ordre-oi_cer"),
    "transcribed-zone CER": ("CER des zones transcrites", "cer-des-zones-transcrites"),
    "BoW F1": ("F1 sac de mots", "f1-du-sac-de-mots"),
    "line CER": ("CER par ligne", "cer-par-ligne"),
    "word det. F1": ("F1 détection des mots", "detection-des-mots"),
    "field F1": ("F1 des champs", "champs"),
    "TEDS": ("TEDS", "tableaux-teds"),
    "TEDS struct.": ("TEDS structure", "tableaux-teds"),
}
NORMALISATIONS = {"exact": "exact", "folded": "replié"}
_METRIC_CELL = re.compile(r"(?P<name>.+?)(?: (?P<norm>exact|folded))?(?: (?P<arrow>[↑↓]))?")


def metric_in_words(cell: str) -> str:
    """``order-free CER folded ↓`` -> ``[CER sans ordre](../metriques.md#...) replié ↓``; a
    cell that names no benchmark metric as it is."""
    found = _METRIC_CELL.fullmatch(cell)
    if found is None or found["name"] not in METRIC_NAMES:
        return cell
    words, anchor = METRIC_NAMES[found["name"]]
    norm = f" {NORMALISATIONS[found['norm']]}" if found["norm"] else ""
    arrow = f" {found['arrow']}" if found["arrow"] else ""
    return f"[{words}](../metriques.md#{anchor}){norm}{arrow}"


@dataclass(frozen=True)
class CampaignResults:
    """A results folder and its summary.

    Attributes:
        name: Folder name (the campaign's name by default).
        folder: The folder, as given (for messages and the command lines shown).
        summary: ``summary.json`` read.
    """

    name: str
    folder: Path
    summary: dict[str, Any]


def find_results(results_dir: Path) -> list[CampaignResults]:
    """Every ``<results_dir>/<name>/summary.json``, by folder name; unreadable ones are logged."""
    from ocrxtract.bench import read_summary

    found: list[CampaignResults] = []
    if not results_dir.is_dir():
        return found
    for folder in sorted(p for p in results_dir.iterdir() if (p / SUMMARY_FILE).is_file()):
        try:
            found.append(CampaignResults(folder.name, folder, read_summary(folder / SUMMARY_FILE)))
        except OcrxtractError as exc:
            log.warning("results in %s left out: %s", folder, exc)
    return found


def _command(result: CampaignResults) -> str:
    """The command line that produced the results: the campaign's own ``run`` when it has one
    (from the summary, else from the campaign file), else ``ocrxtract bench …``."""
    campaign = result.summary.get("campaign", {})
    folder = repo_relative(result.folder)
    run = campaign.get("run") or _run_of_file(campaign.get("file"))
    if run:
        return str(run)
    if campaign.get("file"):
        command = f"ocrxtract bench {campaign['file']} --workers {campaign.get('workers', 1)}"
    else:
        engines = ",".join(
            dict.fromkeys(info.get("name", label) for label, info in _engines(result).items())
        )
        datasets = ",".join(result.summary.get("datasets", {}))
        command = f"ocrxtract bench --engines {engines} --datasets {datasets}"
    if folder != f"benchmarks/results/{campaign.get('name', result.name)}":
        command += f" --out {folder}"
    return f".venv/bin/{command}"


@lru_cache(maxsize=64)
def _campaign_file(path: str | None) -> Campaign | None:
    """The campaign file of this checkout that made the results (``None``: none); read once
    per generation (its ``run`` and French description are both looked up)."""
    if not path:
        return None
    from ocrxtract.bench.campaign import load_campaign

    file = Path(path) if Path(path).is_absolute() else REPO_ROOT / path
    try:
        return load_campaign(file) if file.is_file() else None
    except OcrxtractError:
        return None


def _run_of_file(path: str | None) -> str:
    """The ``run`` of a campaign file of this checkout ("" when there is none)."""
    found = _campaign_file(path)
    return found.run if found is not None else ""


def _description(campaign: dict[str, Any]) -> str:
    """The campaign's description in French (from its results, else from its file of this
    checkout: a translation added after the run), else as it was written."""
    if campaign.get("description_fr"):
        return str(campaign["description_fr"])
    found = _campaign_file(campaign.get("file"))
    if found is not None and found.description_fr:
        return found.description_fr
    return str(campaign.get("description", ""))


def _engines(result: CampaignResults) -> dict[str, dict[str, Any]]:
    engines = result.summary.get("engines", {})
    return engines if isinstance(engines, dict) else {}


def _stamp(summary: dict[str, Any]) -> str:
    stamp = summary.get("stamp", {})
    git = stamp.get("git", {})
    versions = stamp.get("versions", {})
    machine = stamp.get("machine", {})
    commit = f"commit `{git['commit'][:10]}`" if git.get("commit") else "hors dépôt git"
    if git.get("dirty"):
        commit += " (avec des modifications non validées)"
    ram = machine.get("ram_bytes")
    ram_text = f", {ram / 1024**3:.1f} Gio de RAM" if ram else ""
    run = summary.get("run", {})
    text = (
        f"Exécutée le {stamp.get('time', '?')} · {commit} · ocrxtract "
        f"{versions.get('ocrxtract', '?')} · Python {versions.get('python', '?')} · durée "
        f"{_duration(run.get('wall_seconds'))}  \n"
        f"Machine : {machine.get('cpu', '?')}, {machine.get('cores', '?')} cœurs "
        f"({machine.get('usable_cores', '?')} utilisables){ram_text}."
    )
    baseline = run.get("baseline")
    if baseline:
        text += (
            f"  \nToutes les sorties des moteurs ({run.get('pages_cached', '?')} pages) "
            "viennent du cache : elles ont été produites par l'exécution du "
            f"{baseline.get('time', '?')}, qui a duré {_duration(baseline.get('wall_seconds'))} ; "
            "les temps et la mémoire sont ceux de cette exécution."
        )
    return text


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _translated(title: str, headers: list[str], rows: list[list[str]]) -> tuple[str, str]:
    table = md_table(
        [HEADERS.get(h, h) for h in headers],
        (
            [
                metric_in_words(c) if h == "metric" else CELLS.get(c, c)
                for h, c in zip(headers, row, strict=True)
            ]
            for row in rows
        ),
        numeric_from=3 if headers[:3] == ["dataset", "samples", "metric"] else 2,
    )
    return TABLE_TITLES.get(title, title), table


def _notes(summary: dict[str, Any]) -> list[str]:
    notes = []
    unmeasured: dict[str, list[str]] = {}
    for name, info in summary.get("datasets", {}).items():
        for metric in info.get("not_measured", []):
            unmeasured.setdefault(metric, []).append(f"`{name}`")
        if info.get("limit") is not None:
            why = f" : {md_text(french(info['why']))}" if info.get("why") else ""
            notes.append(
                f"- `{name}` : limité à {info['limit']} échantillon(s) sur "
                f"{info.get('available', '?')}{why}."
            )
    if unmeasured:
        parts = "; ".join(f"`{m}` ({', '.join(names)})" for m, names in unmeasured.items())
        notes.append(
            "- Non mesuré dans cette campagne, qui ne fait tourner aucun extracteur de champs "
            "ou de tableaux (voir les campagnes `fields` et `tables`, et les pages "
            f"[Extraction de champs](../extraction.md) et [Tableaux](../tableaux.md)) : {parts}."
        )
    for skip in summary.get("skipped", []):
        who = "/".join(f"`{x}`" for x in (skip.get("engine"), skip.get("dataset")) if x)
        notes.append(f"- Non passé : {who} : {md_text(skip_reason(str(skip.get('reason', ''))))}")
    errors = summary.get("errors", [])
    if errors:
        notes.append(
            f"- {len(errors)} échantillon(s) en erreur, comptés dans la colonne « erreurs » et "
            "exclus des scores ; les premiers :"
        )
        notes += [
            f"    - `{e.get('engine')}` sur `{e.get('dataset')}/{e.get('sample_id')}` : "
            f"{md_text(str(e.get('error_type')))} : {md_text(str(e.get('error')))[:200]}"
            for e in errors[:5]
        ]
    return notes


def _dataset_order(summary: dict[str, Any]) -> list[str]:
    """Datasets that have results, grouped by kind (in the order kinds first appear)."""
    datasets = summary.get("datasets", {})
    measured = {r["dataset"] for r in summary.get("leaderboard", [])}
    names = [n for n in datasets if n in measured]
    kinds = list(dict.fromkeys(datasets[n].get("kind", "") for n in names))
    return sorted(names, key=lambda n: (kinds.index(datasets[n].get("kind", "")), names.index(n)))


def accuracy_chart(result: CampaignResults) -> str | None:
    """Bag-of-words F1 (folded) per dataset and engine, datasets grouped by kind; None if empty."""
    summary = result.summary
    order = _dataset_order(summary)
    if not order:
        return None
    datasets = summary.get("datasets", {})
    engines = list(dict.fromkeys(r["engine"] for r in summary.get("leaderboard", [])))
    labels = {n: f"{n} ({KINDS.get(datasets[n].get('kind', ''), '?')})" for n in order}
    values = {
        (labels[r["dataset"]], r["engine"]): r.get("bow_f1_folded")
        for r in summary["leaderboard"]
        if r["dataset"] in labels
    }
    return bar_chart(
        f"Campagne {result.name} : mots retrouvés par jeu (F1 sac de mots, folded)",
        [labels[n] for n in order],
        engines,
        values,
        x_label="F1 sac de mots (folded), en %",
    )


def speed_chart(result: CampaignResults) -> str | None:
    """Accuracy (BoW F1 folded) against warm seconds per page, one point per engine and dataset.

    Points are numbered by dataset (the key under the chart names them).
    """
    order = _dataset_order(result.summary)
    number = {name: index for index, name in enumerate(order, start=1)}
    points = [
        Point(r["engine"], str(number[r["dataset"]]), r["seconds_per_page"], r["bow_f1_folded"])
        for r in result.summary.get("leaderboard", [])
        if r["dataset"] in number
        and r.get("seconds_per_page")
        and r.get("bow_f1_folded") is not None
    ]
    if not points:
        return None
    used = {p.label for p in points}
    return scatter_chart(
        f"Campagne {result.name} : précision et vitesse (un point par moteur et par jeu)",
        points,
        x_label="secondes par page, à chaud (échelle logarithmique)",
        y_label="F1 sac de mots (folded)",
        key=[f"{n} {name}" for name, n in number.items() if str(n) in used],
    )


def _campaign_section(result: CampaignResults, charts: dict[str, str]) -> list[str]:
    from ocrxtract.bench import table_data

    summary = result.summary
    campaign = summary.get("campaign", {})
    out = [f"## Campagne `{result.name}` {{ #campagne-{slug(result.name)} }}", ""]
    description = _description(campaign)
    if description:
        out += [f"> {md_text(description)}", ""]
    out += [
        _stamp(summary),
        "",
        "Produite par :",
        "",
        "```bash",
        _command(result),
        f".venv/bin/ocrxtract report {repo_relative(result.folder)}   # les tableaux, "
        "recalculés depuis rows.parquet",
        "```",
        "",
    ]
    for title, headers, rows in table_data(summary):
        if not rows:
            continue
        french, table = _translated(title, headers, rows)
        out += [f"### {french}", "", table, ""]
        if title.startswith("Headline"):
            out += ["↓ : plus bas est meilleur ; ↑ : plus haut est meilleur.", ""]
    if charts:
        out += ["### Graphiques", ""]
        for caption, file in charts.items():
            out += [f"![{caption}](../{CHARTS_DIR}/{file})", ""]
    notes = _notes(summary)
    if notes:
        out += ["### À savoir", "", *notes, ""]
    return out


PLACEHOLDER = """\
!!! warning "Pas encore de résultats"
    Aucun dossier `benchmarks/results/<campagne>/summary.json` n'a été trouvé quand cette page a
    été générée : aucun chiffre n'est donc affiché. Pour la remplir :

    ```bash
    .venv/bin/ocrxtract bench                                  # pages générées, quelques minutes
    .venv/bin/ocrxtract bench benchmarks/real.yml --workers 2  # jeux réels, environ une heure
    .venv/bin/python -m ocrxtract.wiki wiki/                   # régénère cette page
    ```
"""


def results_page(results: Sequence[CampaignResults], charts: dict[str, dict[str, str]]) -> str:
    """The results page: every campaign found, or a placeholder naming the commands."""
    out = [
        "# Résultats des bancs d'essai",
        "",
        banner("`benchmarks/results/*/summary.json`"),
        "",
        "Chaque chiffre de cette page a été produit par `ocrxtract bench` et lu dans le dossier "
        "de résultats de sa campagne (`summary.json`, `rows.parquet`, `leaderboard.md`), avec "
        "la commande qui le reproduit. Les taux sont calculés au niveau du corpus (total des "
        "erreurs sur total des caractères de référence) ; les définitions et normalisations sont "
        "dans [Métriques](../metriques.md). D'autres mesures ciblées (surcoût des adaptateurs, "
        "binarisation de Tesseract) sont dans [Mesures ciblées](mesures-ciblees.md).",
        "",
    ]
    if not results:
        return "\n".join([*out, PLACEHOLDER]).rstrip() + "\n"
    out += ["Campagnes :", ""]
    out += [
        f"- [`{r.name}`](#campagne-{slug(r.name)}) : "
        f"{md_text(_description(r.summary.get('campaign', {}))) or '—'}"
        for r in results
    ]
    out.append("")
    for result in results:
        out += _campaign_section(result, charts.get(result.name, {}))
    return "\n".join(out).rstrip() + "\n"


def engine_results_snippet(name: str, results: Sequence[CampaignResults]) -> str:
    """The figures of engine ``name`` in every campaign, for its review page (depth 1)."""
    rows = []
    for result in results:
        labels = {
            label for label, info in _engines(result).items() if info.get("name", label) == name
        }
        for record in result.summary.get("leaderboard", []):
            if record["engine"] not in labels:
                continue
            head = record.get("headline", {})
            value = percent(head.get("value"), 2) if head.get("measured") else "non mesuré"
            speed = record.get("seconds_per_page")
            rows.append(
                [
                    f"[`{result.name}`](../resultats/index.md#campagne-{slug(result.name)})",
                    f"`{record['dataset']}`" + ("" if record["engine"] == name else
                                                f" (`{record['engine']}`)"),
                    str(record.get("samples", "")),
                    f"{head.get('metric', '?')} ({head.get('normalisation', '?')})",
                    value,
                    percent(record.get("cer_folded"), 2),
                    percent(record.get("bow_f1_folded")),
                    "—" if not speed else f"{speed:.2f}",
                ]
            )  # fmt: skip
    if not rows:
        return (
            f'!!! note "Pas encore mesuré sur notre banc"\n'
            f"    Aucune campagne de `benchmarks/results/` ne contient `{name}`. Pour le mesurer "
            f"(si le moteur est installé et ses poids présents) :\n\n"
            f"    ```bash\n"
            f"    .venv/bin/ocrxtract bench --engines {name} --datasets sample-fr,sroie\n"
            f"    .venv/bin/python -m ocrxtract.wiki wiki/\n"
            f"    ```\n"
        )
    table = md_table(
        ["campagne", "jeu", "échantillons", "métrique principale", "valeur", "CER folded",
         "F1 sac de mots folded", "s/page (à chaud)"],
        rows,
        numeric_from=4,
    )  # fmt: skip
    return (
        f"Chiffres de `{name}` dans les campagnes de `benchmarks/results/` (générés ; détail, "
        "machine et commande sur la page [Résultats](../resultats/index.md)) :\n\n"
        f"{table}\n"
    )
