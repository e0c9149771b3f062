"""Every user-facing string of the app, in French (the default) and English.

The app's users are French public servants: it speaks French, with an English switch in the
sidebar. Pages never write a sentence themselves; they ask :func:`t` (or a :func:`translator`
bound to the chosen language) for it by key::

    >>> t("compare.title", "en")
    'Compare OCR engines'
    >>> t("docs.saved", "fr", files="a.txt")
    'Vérité terrain enregistrée : a.txt'

What the library says in English is put in French here too: the benchmark's tables
(:func:`localise_table`), the reasons a file of a folder is left aside (:func:`localise_reason`),
the engines' preset descriptions (``preset.*`` keys). Library errors (typed exceptions) keep their
English message: they name the file and the fix, are the same in logs, the CLI and the app, and
are shown as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

#: Languages of the app: code -> name shown in the switch.
LANGUAGES: dict[str, str] = {"fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "fr"

#: key -> (French, English). Placeholders in braces are filled by :func:`t`.
STRINGS: dict[str, tuple[str, str]] = {
    # --- the app ---------------------------------------------------------------------------------
    "app.language": ("Langue", "Language"),
    "app.local": (
        "Vos documents restent sur cette machine : rien n'est envoyé ailleurs.",
        "Your documents stay on this machine: nothing is sent anywhere.",
    ),
    "nav.compare": ("Comparer les moteurs", "Compare engines"),
    "nav.results": ("Résultats de benchmark", "Benchmark results"),
    "nav.documents": ("Mes documents", "My documents"),
    "nav.leaderboard": ("Classement", "Leaderboard"),
    # --- compare page ----------------------------------------------------------------------------
    "compare.title": ("Comparer les moteurs OCR", "Compare OCR engines"),
    "compare.local": (
        "Vos documents restent sur cette machine : les fichiers sont lus en mémoire et rien "
        "n'est envoyé ailleurs.",
        "Your documents stay on this machine: files are read in memory, and nothing is sent "
        "anywhere.",
    ),
    "compare.document": ("Document", "Document"),
    "compare.engines_header": ("Moteurs", "Engines"),
    "compare.source": ("Source", "Source"),
    "compare.source.upload": ("Téléverser des fichiers", "Upload files"),
    "compare.source.sample": ("Échantillon d'un jeu de données", "Dataset sample"),
    "compare.upload": (
        "PNG, JPEG, TIFF ou PDF, plusieurs pages possibles (au plus {max_mb} Mio et "
        "{max_pages} pages par fichier)",
        "PNG, JPEG, TIFF or PDF, several pages allowed (at most {max_mb} MiB and "
        "{max_pages} pages per file)",
    ),
    "compare.dpi": ("Résolution des pages PDF (dpi)", "Resolution for PDF pages (dpi)"),
    "compare.dpi.help": (
        "Les pages PDF sont rendues à cette résolution avant l'OCR ; les images gardent la leur.",
        "PDF pages are rendered at this resolution before OCR; images keep theirs.",
    ),
    "compare.reference": ("Texte de référence (facultatif)", "Reference text (optional)"),
    "compare.reference.help": (
        "Le texte exact du document (pages dans l'ordre) : chaque moteur reçoit alors un "
        "CER/WER et un diff caractère par caractère.",
        "The exact text of the document (pages in order): each engine then gets a CER/WER and "
        "a character diff.",
    ),
    "compare.no_dataset": (
        "Aucun jeu de données avec une vérité terrain OCR n'est sur cette machine.",
        "No dataset with an OCR ground truth is on this machine.",
    ),
    "compare.dataset": ("Jeu de données", "Dataset"),
    "compare.no_samples": (
        "Le jeu de données {dataset} n'a pas d'échantillon ici.",
        "Dataset {dataset} has no samples here.",
    ),
    "compare.sample": ("Échantillon", "Sample"),
    "compare.truth": ("Vérité terrain", "Ground truth"),
    "compare.languages": ("langues", "languages"),
    "compare.engines": ("Moteurs", "Engines"),
    "compare.engines.help": (
        "Chaque moteur lit le document ; les résultats sont affichés côte à côte.",
        "Each engine reads the document; their results are shown side by side.",
    ),
    "compare.options": ("options de {engine}", "{engine} options"),
    "compare.dropout": ("encre retirée avant lecture", "ink removed before reading"),
    "compare.dropout.help": (
        "« rouge » efface les tampons et surimpressions rouges (le SPECIMEN d'une carte "
        "d'identité) qui collent au texte ; un texte imprimé en rouge est perdu.",
        "'red' erases red stamps and overprints (an identity card's SPECIMEN) that touch the "
        "text; text printed in red is lost.",
    ),
    "compare.fields.dropout": (
        "{engines} : {doc_type} reconnu. Ce type se lit mieux encre {colour} retirée : "
        "choisissez « encre retirée avant lecture : {colour} » dans les options du moteur et "
        "relancez la lecture (`ocrxtract extract` le fait de lui-même).",
        "{engines}: {doc_type} detected. This type reads better with {colour} ink removed: "
        "choose 'ink removed before reading: {colour}' in the engine's options and read again "
        "(`ocrxtract extract` does it by itself).",
    ),
    "dropout.none": ("aucune", "none"),
    "dropout.red": ("rouge", "red"),
    "compare.unavailable": (
        "**Non disponibles sur cette machine**",
        "**Not available on this machine**",
    ),
    "compare.unavailable.reason": ("indisponible", "unavailable"),
    "compare.starting": ("Démarrage…", "Starting…"),
    "compare.progress": ("{done}/{total} pages · {what}", "{done}/{total} pages · {what}"),
    "compare.spp.help": ("Temps du moteur pour cette page", "Engine time for this page"),
    "compare.cer.help": ("Caractères, exact", "Characters, exact"),
    "compare.wer.help": ("Mots, exact", "Words, exact"),
    "compare.confidence": ("confiance", "confidence"),
    "compare.confidence.help": (
        "L'estimation du moteur lui-même pour cette page (confiance moyenne des mots) : elle "
        "peut être élevée sur une ligne mal lue.",
        "The engine's own estimate for this page (mean word confidence): it can be high on a "
        "misread line.",
    ),
    "compare.agreement": ("accord", "agreement"),
    "compare.agreement.help": (
        "À quel point les autres moteurs lisent le même texte au même endroit (caractères, "
        "casse et accents repliés) : sans référence, regardez là où les moteurs divergent.",
        "How much the other engines read the same text at the same place (characters, case "
        "and accents folded): without a reference, where engines disagree is where to look.",
    ),
    "compare.no_text": ("(aucun texte reconnu)", "(no text recognised)"),
    "compare.disputed": (
        "Lignes lues autrement par les autres moteurs : {count}",
        "Lines the other engines read differently: {count}",
    ),
    "compare.nothing": ("(rien)", "(nothing)"),
    "compare.disputed.line": (
        "accord {agreement}, confiance {confidence}",
        "agreement {agreement}, confidence {confidence}",
    ),
    "compare.differences": (
        "Différences avec la référence : {substituted} substitués, {missing} manquants, "
        "{added} ajoutés",
        "Differences with the reference: {substituted} substituted, {missing} missing, "
        "{added} added",
    ),
    "compare.col.engine": ("moteur", "engine"),
    "compare.col.pages": ("pages", "pages"),
    "compare.col.words": ("mots", "words"),
    "compare.col.confidence": ("confiance", "confidence"),
    "compare.view": ("Document", "Document"),
    "compare.page": ("Page", "Page"),
    "compare.page.of": ("page {n} sur {count}", "page {n} of {count}"),
    "compare.boxes": ("Boîtes", "Boxes"),
    "compare.level.word": ("mot", "word"),
    "compare.level.line": ("ligne", "line"),
    "compare.level.block": ("bloc", "block"),
    "compare.level.layout": ("mise en page", "layout"),
    "compare.layout.help": (
        "Blocs colorés selon leur rôle et numérotés dans l'ordre de lecture.",
        "Blocks coloured by their role and numbered in reading order.",
    ),
    "role.text": ("texte", "text"),
    "role.title": ("titre", "title"),
    "role.list_item": ("élément de liste", "list item"),
    "role.table": ("tableau", "table"),
    "role.figure": ("figure", "figure"),
    "role.caption": ("légende", "caption"),
    "role.header": ("en-tête courant", "running header"),
    "role.footer": ("pied de page courant", "running footer"),
    "role.page_number": ("numéro de page", "page number"),
    "role.margin_note": ("note marginale", "margin note"),
    "role.handwriting": ("manuscrit", "handwriting"),
    "role.signature": ("signature", "signature"),
    "role.stamp": ("tampon", "stamp"),
    "role.formula": ("formule", "formula"),
    "compare.with_reference": (" · comparé à la référence", " · compared with the reference"),
    "compare.force_ocr": (
        "Passer à l'OCR les pages qui ont une couche texte",
        "OCR pages that have a text layer",
    ),
    "compare.force_ocr.help": (
        "Un PDF natif contient son texte exact : il est lu de là (noté pdf-text), sauf si "
        "vous cochez ceci pour y comparer les moteurs.",
        "A born-digital PDF holds its exact text: it is read from there (labelled pdf-text) "
        "unless you tick this to compare the engines on it.",
    ),
    "compare.run": ("Lancer", "Run"),
    # --- results page ----------------------------------------------------------------------------
    "results.title": ("Résultats de benchmark", "Benchmark results"),
    "results.none": (
        "Aucun résultat de benchmark dans {root}. Lancez-en un, par exemple "
        "`ocrxtract bench --datasets sample-fr --engines tesseract,rapidocr`, ou faites pointer "
        "{env} vers un dossier de résultats.",
        "No benchmark results in {root}. Run one, for example "
        "`ocrxtract bench --datasets sample-fr --engines tesseract,rapidocr`, or point {env} at "
        "a results folder.",
    ),
    "results.run": ("Campagne de benchmark", "Benchmark run"),
    "results.committed": ("{name} (versionné)", "{name} (committed)"),
    "results.stamp.run": ("lancé le {time}", "run {time}"),
    "results.stamp.commit": ("commit {commit}", "commit {commit}"),
    "results.stamp.no_commit": ("pas de commit", "no commit"),
    "results.stamp.machine": ("{cpu}, {cores} cœurs", "{cpu}, {cores} cores"),
    "results.stamp.wall": ("durée {seconds} s", "wall time {seconds} s"),
    "results.kinds": ("Types de jeux de données", "Dataset kinds"),
    "results.kinds.help": (
        "Filtrer les jeux de données par type.",
        "Filter datasets by kind.",
    ),
    "results.no_kind": (
        "Aucun résultat pour ces types de jeux de données.",
        "No results for these dataset kinds.",
    ),
    "results.measure": ("Mesure de précision", "Accuracy measure"),
    "results.measure.headline": ("mesure phare de chaque jeu", "each dataset's headline metric"),
    "results.measure.cer_exact": ("CER exact", "CER exact"),
    "results.measure.oi_cer_exact": ("CER sans ordre, exact", "order-free CER exact"),
    "results.measure.transcribed_cer_exact": (
        "CER des zones transcrites, exact",
        "transcribed-zone CER exact",
    ),
    "results.measure.cer_folded": ("CER replié", "CER folded"),
    "results.measure.wer_exact": ("WER exact", "WER exact"),
    "results.measure.wer_folded": ("WER replié", "WER folded"),
    "results.measure.bow_f1_folded": ("F1 sac de mots, replié", "bag-of-words F1 folded"),
    "results.measure.line_cer_folded": ("CER par ligne, replié", "line CER folded"),
    "results.no_chart": (
        "Aucun jeu de données ici n'a à la fois {measure} et une vitesse.",
        "No dataset here has both {measure} and a speed.",
    ),
    "results.direction.tooltip": ("voir l'infobulle", "see the tooltip"),
    "results.direction.lower": ("plus bas = meilleur", "lower is better"),
    "results.direction.higher": ("plus haut = meilleur", "higher is better"),
    "results.axis.speed": (
        "secondes par page (à chaud, échelle log) — à gauche = plus rapide",
        "seconds per page (warm, log scale) — left is faster",
    ),
    "results.leaderboard": ("Classement", "Leaderboard"),
    "results.leaderboard.caption": (
        "Taux au niveau du corpus : erreurs totales sur le nombre total de caractères ou de "
        "mots de référence. `exact` garde la casse et les accents ; `folded` (replié) les ignore.",
        "Corpus-level rates: total edits over total reference characters or words. "
        "`exact` keeps case and accents; `folded` folds them.",
    ),
    "results.problems": (
        "Ignorés ({skipped}) et erreurs ({errors})",
        "Skipped ({skipped}) and errors ({errors})",
    ),
    "results.skipped": ("ignoré {who} : {reason}", "skipped {who}: {reason}"),
    # --- my documents page -----------------------------------------------------------------------
    "docs.title": ("Mes documents", "My documents"),
    "docs.intro": (
        "Faites la vérité terrain de vos propres documents : un moteur en propose une première "
        "lecture, vous la corrigez ligne par ligne, l'enregistrement écrit le fichier `.txt` (et "
        "l'ALTO) à côté du document. Tout reste dans le dossier choisi, sur cette machine.",
        "Make the ground truth of your own documents: an engine drafts a first reading, you "
        "correct it line by line, saving writes the `.txt` file (and the ALTO) beside the "
        "document. Everything stays in the folder you chose, on this machine.",
    ),
    "docs.folder": (
        "Dossier de vos documents (chemin local)",
        "Folder of your documents (local path)",
    ),
    "docs.folder.help": (
        "Le chemin d'un dossier sur cette machine, par exemple /home/agent/bulletins. Les "
        "documents téléversés y sont copiés ; rien n'est envoyé ailleurs.",
        "The path of a folder on this machine, e.g. /home/agent/payslips. Uploaded documents "
        "are copied into it; nothing is sent anywhere.",
    ),
    "docs.no_folder": (
        "Tapez le chemin d'un dossier pour commencer.",
        "Type the path of a folder to start.",
    ),
    "docs.add": ("Ajouter des documents au dossier", "Add documents to the folder"),
    "docs.added": ("Ajouté au dossier : {name}", "Added to the folder: {name}"),
    "docs.empty": (
        "Ce dossier ne contient encore aucun document (PNG, JPEG, TIFF, PDF…).",
        "This folder holds no document yet (PNG, JPEG, TIFF, PDF…).",
    ),
    "docs.count": (
        "{count} document(s), dont {truth} avec une vérité terrain.",
        "{count} document(s), {truth} with ground truth.",
    ),
    "docs.document": ("Document", "Document"),
    "docs.has_truth": ("{name} ✓ vérité terrain", "{name} ✓ ground truth"),
    "docs.engine": ("Moteur du brouillon", "Draft engine"),
    "docs.draft": ("Faire un brouillon", "Make a draft"),
    "docs.redraft": (
        "Refaire le brouillon (perd les corrections)",
        "Draft again (loses corrections)",
    ),
    "docs.drafting": ("Lecture de {name} avec {engine}…", "Reading {name} with {engine}…"),
    "docs.no_draft": (
        "Pas encore de brouillon pour ce document : choisissez un moteur et faites-en un.",
        "No draft for this document yet: choose an engine and make one.",
    ),
    "docs.draft_info": (
        "Brouillon de {engine} · {lines} lignes · {corrected} corrigée(s) · enregistré "
        "automatiquement à chaque modification.",
        "Draft by {engine} · {lines} lines · {corrected} corrected · saved automatically on "
        "every change.",
    ),
    "docs.page": ("Page", "Page"),
    "docs.page.of": ("page {n} sur {count}", "page {n} of {count}"),
    "docs.zoom": ("Zoom des extraits", "Crop zoom"),
    "docs.zoom.help": (
        "Agrandit l'image de chaque ligne ; l'icône plein écran d'un extrait l'agrandit encore.",
        "Enlarges each line's image; a crop's full-screen icon enlarges it further.",
    ),
    "docs.keys": (
        "Entrée valide la ligne et passe à la suivante. Videz une ligne pour l'écarter (ligne "
        "inventée par le moteur).",
        "Enter confirms the line and moves to the next one. Empty a line to drop it (a line "
        "the engine invented).",
    ),
    "docs.line": ("Ligne {n}", "Line {n}"),
    "docs.no_lines": ("Aucune ligne lue sur cette page.", "No line read on this page."),
    "docs.fields": ("Champs clés", "Key fields"),
    "docs.fields.intro": (
        "Facultatif : choisissez le type de document (ou laissez-le détecter) et proposez les "
        "champs à partir des lignes corrigées, puis corrigez-les. Un champ vide signifie que "
        "le document ne le porte pas. Le classement mesurera le F1 des champs de chaque moteur.",
        "Optional: choose the document type (or let it be detected) and propose the fields "
        "from the corrected lines, then correct them. An empty field means the document does "
        "not have it. The leaderboard will measure each engine's field F1.",
    ),
    "docs.fields.schema": ("Type de document", "Document type"),
    "docs.fields.none": ("— aucun champ —", "— no fields —"),
    "docs.fields.propose": ("Proposer les champs", "Propose the fields"),
    "docs.fields.undetected": (
        "Type de document non reconnu : choisissez-le dans la liste, puis proposez à nouveau.",
        "Document type not recognised: choose it in the list, then propose again.",
    ),
    "docs.fields.info": (
        "{count} champs · {corrected} corrigé(s) · enregistrés automatiquement.",
        "{count} fields · {corrected} corrected · saved automatically.",
    ),
    "docs.save": ("Enregistrer la vérité terrain", "Save the ground truth"),
    "docs.saved": ("Vérité terrain enregistrée : {files}", "Ground truth saved: {files}"),
    "docs.text": ("Texte qui sera enregistré", "Text that will be saved"),
    "compare.fields": ("Champs clés", "Key fields"),
    "compare.fields.intro": (
        "Les champs clés (net à payer, loyer, totaux, noms…) que l'extraction trouve dans la "
        "lecture de chaque moteur, côte à côte : un moteur au CER plus bas ne donne pas "
        "toujours les meilleurs champs.",
        "The key fields (net pay, rent, totals, names…) the extraction finds in each engine's "
        "reading, side by side: a lower CER does not always give the best fields.",
    ),
    "compare.fields.auto": ("Détecter le type", "Detect the type"),
    "compare.fields.schema": ("Type de document", "Document type"),
    "compare.fields.run": ("Extraire les champs", "Extract the fields"),
    "compare.fields.running": ("Extraction des champs…", "Extracting the fields…"),
    "compare.fields.legend": (
        "— : champ non trouvé ; ⚠ : valeur trouvée mais qui échoue à un contrôle (clé SIRET, "
        "IBAN, HT + TVA = TTC…), gardée et signalée.",
        "— : field not found; ⚠ : value found but failing a check (SIRET key, IBAN, "
        "HT + VAT = total…), kept and flagged.",
    ),
    "compare.fields.boxes": ("Boîtes des champs de", "Field boxes of"),
    "compare.tables": ("Tableaux", "Tables"),
    "compare.tables.intro": (
        "Les tableaux trouvés dans la lecture d'un moteur (celle de la couche texte pour un PDF "
        "natif : sans OCR), dessinés sur la page, chacun en tableau de données à télécharger "
        "en CSV ou XLSX.",
        "The tables found in an engine's reading (the text layer's for a born-digital PDF: no "
        "OCR), drawn on the page, each as a data frame to download as CSV or XLSX.",
    ),
    "compare.tables.engine": ("Lecture de", "Reading of"),
    "compare.tables.run": ("Trouver les tableaux", "Find the tables"),
    "compare.tables.running": ("Recherche des tableaux…", "Finding the tables…"),
    "compare.tables.count": (
        "{count} tableau(x) dans le document, {here} sur cette page.",
        "{count} table(s) in the document, {here} on this page.",
    ),
    "compare.tables.table": (
        "Tableau {number} · {rows} ligne(s) × {cols} colonne(s) · méthode {method}",
        "Table {number} · {rows} row(s) × {cols} column(s) · {method} method",
    ),
    "compare.tables.label": ("Tableau {number}", "Table {number}"),
    "compare.tables.all": ("Tous les tableaux (XLSX)", "All tables (XLSX)"),
    # --- leaderboard page ------------------------------------------------------------------------
    "board.title": ("Classement sur vos documents", "Leaderboard on your documents"),
    "board.intro": (
        "Chaque moteur disponible lit les documents du dossier ; les lectures sont comparées à "
        "vos vérités terrain (CER/WER, exact et replié ; F1 des champs extraits là où vous "
        "avez saisi des champs), avec la vitesse et la mémoire. Les lectures sont mises en "
        "cache : relancer après une correction ne relit rien.",
        "Every available engine reads the folder's documents; the readings are compared with "
        "your ground truth (CER/WER, exact and folded; F1 of the extracted fields where you "
        "entered fields), with speed and memory. Readings are cached: running again after a "
        "correction reads nothing again.",
    ),
    "board.engines": ("Moteurs", "Engines"),
    "board.presets.help": (
        "Chaque moteur disponible, et ses préréglages (moteur:préréglage) à comparer sur vos "
        "documents : {presets}.",
        "Every available engine, and its presets (engine:preset) to compare on your "
        "documents: {presets}.",
    ),
    "board.run": ("Établir le classement", "Build the leaderboard"),
    "board.running": ("{done}/{total} · {what}", "{done}/{total} · {what}"),
    "board.no_engine": ("Choisissez au moins un moteur.", "Choose at least one engine."),
    "board.no_truth": (
        "Aucun document du dossier n'a de vérité terrain : seules la vitesse et la mémoire sont "
        "mesurées. Corrigez quelques pages dans « Mes documents ».",
        "No document of the folder has ground truth: only speed and memory are measured. "
        "Correct a few pages in “My documents”.",
    ),
    "board.recommendation": ("Recommandation", "Recommendation"),
    "board.table": ("Tous les moteurs", "Every engine"),
    "board.caption": (
        "{documents} document(s), {truth} avec vérité terrain. Taux au niveau du corpus ; "
        "« replié » ignore la casse et les accents ; F1 des champs : valeurs exactes après "
        "normalisation (montants, dates, identifiants) ; s/page à chaud ; mémoire : pic du "
        "processus du moteur.",
        "{documents} document(s), {truth} with ground truth. Corpus-level rates; “folded” "
        "ignores case and accents; field F1: exact values after normalisation (amounts, dates, "
        "identifiers); warm s/page; memory: peak of the engine's process.",
    ),
    "board.col.engine": ("moteur", "engine"),
    "board.col.samples": ("documents", "documents"),
    "board.col.errors": ("erreurs", "errors"),
    "board.col.cer_exact": ("CER exact", "CER exact"),
    "board.col.cer_folded": ("CER replié", "CER folded"),
    "board.col.wer_exact": ("WER exact", "WER exact"),
    "board.col.wer_folded": ("WER replié", "WER folded"),
    "board.col.field_f1": ("F1 des champs", "field F1"),
    "board.col.seconds_per_page": ("s/page", "s/page"),
    "board.col.peak_rss_mib": ("mémoire (Mio)", "memory (MiB)"),
    "preset.tesseract:single-block": (
        "un seul bloc de texte uniforme : formulaires, tableaux, courriers",
        "one uniform block of text: forms, tables, letters",
    ),
    "preset.tesseract:sparse": (
        "texte épars sans ordre particulier : tickets, cartes d'identité",
        "scattered text in no particular order: receipts, ID cards",
    ),
    "preset.rapidocr:small-print": (
        "détection à plus haute résolution : petits caractères, pages denses (plus lent)",
        "detection at a higher resolution: small print on dense pages (slower)",
    ),
    "preset.rapidocr:fast": (
        "environ 1,1 à 1,4 fois plus de pages par minute que le défaut (1,5 à 1,9 fois les "
        "réglages de rapidocr, selon le processeur) : détection sur la zone imprimée à 1600 "
        "pixels (moins pour les gros caractères), lignes découpées en pleine résolution, "
        "reconnaissance réduite aux "
        "symboles latins (plus une réserve de rejet), mots courts moins complétés (marques "
        "isolées complétées comme le fait rapidocr) ; CER de page à quelques dixièmes de point "
        "du réglage par défaut",
        "about 1.1-1.4x more pages per minute than the default (1.5-1.9x rapidocr's own settings, "
        "depending on the CPU): detection on the inked area at 1600 pixels (less for big print), "
        "crops at full resolution, the recogniser cut to Latin symbols (plus a reject pool), short"
        " words padded less (lone marks as rapidocr pads them); page CER within a few tenths of a "
        "point of the default",
    ),
    "preset.rapidocr:accurate": (
        "réglages de rapidocr, figés (le défaut jusqu'en décembre 2026) : reconnaisseur "
        "complet, chaque ligne complétée à 320 pixels ; le défaut lit à 0,2 point près, plus vite",
        "rapidocr's own settings, pinned (the default until December 2026): full recogniser, "
        "every line padded to 320 pixels; the default reads within 0.2 point, faster",
    ),
    "preset.rapidocr:rotated": (
        "lignes à l'envers : pages numérisées tête-bêche",
        "lines upside down: pages scanned the wrong way up",
    ),
    "board.worst": ("Documents les moins bien lus", "Worst-read documents"),
    "board.worst.engine": ("Moteur", "Engine"),
    "board.worst.item": (
        "{name} · CER {cer} ({edits} erreurs sur {reference} caractères)",
        "{name} · CER {cer} ({edits} edits over {reference} characters)",
    ),
    "board.worst.none": (
        "Aucun document avec vérité terrain pour ce moteur.",
        "No document with ground truth for this engine.",
    ),
    "board.export": (
        "Exporter (chiffres seulement, sans nom ni contenu de document)",
        "Export (figures only, no document name or content)",
    ),
    "board.problems": ("Écartés et erreurs ({count})", "Left aside and errors ({count})"),
    "board.error": ("{engine} sur {name} : {error}", "{engine} on {name}: {error}"),
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The string ``key`` in ``lang`` (French for an unknown language), placeholders filled.

    Raises:
        KeyError: no string has that key (a typo in a page).
    """
    french, english = STRINGS[key]
    text = english if lang == "en" else french
    return text.format(**values) if values else text


#: The benchmark's table titles, headers and labels (English in the library, its Markdown and
#: the wiki's English tables) -> French, for the app's results page.
TABLE_WORDS: dict[str, str] = {
    "Headline (each dataset's own metric)": "Chiffre clé (la mesure propre à chaque jeu)",
    "Engines": "Moteurs",
    "By document type": "Par type de document",
    "By difficulty": "Par difficulté",
    "Key fields": "Champs clés",
    "Tables": "Tableaux",
    "Page text of the transcribed zones (corpus level)": (
        "Texte des pages, zones transcrites seules (niveau corpus)"
    ),
    "dataset": "jeu de données",
    "samples": "échantillons",
    "metric": "mesure",
    "engine": "moteur",
    "system": "système",
    "errors": "erreurs",
    "version": "version",
    "processes × threads": "processus × threads",
    "pages": "pages",
    "s/page (warm)": "s/page (à chaud)",
    "pages/min": "pages/min",
    "peak RSS (MiB)": "pic mémoire (Mio)",
    "doc type": "type de document",
    "difficulty": "difficulté",
    "not measured": "non mesuré",
}
#: Metric labels, word groups replaced inside a cell (``order-free CER folded``).
METRIC_WORDS: tuple[tuple[str, str], ...] = (
    ("order-free CER", "CER sans ordre"),
    ("transcribed-zone CER", "CER des zones transcrites"),
    ("line CER", "CER ligne"),
    ("word det. F1", "F1 détection des mots"),
    ("line det. F1", "F1 détection des lignes"),
    ("table det. F1", "F1 détection des tableaux"),
    ("adjacency F1", "F1 adjacence"),
    ("TEDS struct.", "TEDS structure"),
    ("field precision", "précision des champs"),
    ("field recall", "rappel des champs"),
    ("field F1", "F1 des champs"),
    ("BoW F1", "F1 sac de mots"),
    ("folded", "replié"),
    ("in-process", "dans le processus"),
    ("default", "défaut"),
)
_NUMBER = re.compile(r"^(-?\d+)\.(\d+)(%?)( ?[↓↑])?$")


def localise_cell(text: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A title, header or cell of a benchmark table in ``lang``: words translated, decimal
    commas and ``12,5 %`` in French; unchanged in English."""
    if lang == "en" or not text:
        return text
    if text in TABLE_WORDS:
        return TABLE_WORDS[text]
    number = _NUMBER.match(text)
    if number:
        whole, decimals, sign, arrow = number.groups()
        return f"{whole},{decimals}" + (" %" if sign else "") + (arrow or "")
    for english, french in METRIC_WORDS:
        text = text.replace(english, french)
    return text


def localise_table(
    title: str, headers: list[str], rows: list[list[str]], lang: str = DEFAULT_LANGUAGE
) -> tuple[str, list[str], list[list[str]]]:
    """A benchmark table (:func:`ocrxtract.bench.table_data`) in ``lang``."""
    return (
        localise_cell(title, lang),
        [localise_cell(h, lang) for h in headers],
        [[localise_cell(cell, lang) for cell in row] for row in rows],
    )


#: Why the folder dataset left a file aside (English in the library) -> French.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\w+) ground truth without a document$"), "vérité terrain ({0}) sans document"),
    (re.compile(r"^a second (\w+) for (.+)$"), "un second fichier {0} pour {1}"),
)
_ROLES = {"text": "texte", "xml": "XML", "fields": "champs", "tables": "tableaux",
          "document": "document"}  # fmt: skip


def localise_reason(reason: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Why a file of a folder was left aside, in ``lang`` (unchanged when not known)."""
    if lang == "en":
        return reason
    for pattern, french in _REASONS:
        match = pattern.match(reason)
        if match:
            groups = [_ROLES.get(g, g) for g in match.groups()]
            return french.format(*groups)
    return reason


def t_or(key: str, default: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The string ``key`` in ``lang``, or ``default`` when there is none (text that comes from
    a plug-in, such as a third-party engine's preset description)."""
    return t(key, lang) if key in STRINGS else default


def translator(lang: str) -> Callable[..., str]:
    """:func:`t` bound to ``lang``: ``tr = translator("en"); tr("compare.title")``."""

    def bound(key: str, **values: Any) -> str:
        return t(key, lang, **values)

    return bound
