"""Metrics: pure functions with named normalisations, returning summable counts.

* :mod:`~ocrxtract.metrics.text`: CER/WER and bag-of-words F1 (``exact`` and ``folded``).
* :mod:`~ocrxtract.metrics.unordered`: order-independent page CER (lines matched one to one).
* :mod:`~ocrxtract.metrics.lines`: line-level recognition CER on ground-truth line crops.
* :mod:`~ocrxtract.metrics.detection`: word-box precision/recall/F1 at IoU >= 0.5.
* :mod:`~ocrxtract.metrics.fields`: key-field precision/recall/F1 with per-type normalisers
  (the parsing rules of French amounts, dates and identifiers are in :mod:`ocrxtract.fr`).
* :mod:`~ocrxtract.metrics.tables`: TEDS and structure-only TEDS (needs ``apted``, imported
  when a table is scored); on documents, table detection at IoU >= 0.5 and the ICDAR 2013 cell
  adjacency relations.
* :mod:`~ocrxtract.metrics.timing`: warm seconds per page, pages per minute, peak RSS.
* :mod:`~ocrxtract.metrics.zones`: an engine's document without what it read in the zones the
  ground truth leaves untranscribed (for the page CER of the transcribed zones).

Every score object adds up (``a + b``) to corpus-level figures: total errors over total
reference units, never a mean of per-page rates.
"""

from ocrxtract.metrics.counts import MatchCounts, total
from ocrxtract.metrics.detection import (
    IOU_THRESHOLD,
    match_boxes,
    score_boxes,
    score_line_boxes,
    score_word_boxes,
)
from ocrxtract.metrics.fields import (
    FIELD_NORMALIZERS,
    FieldScores,
    normalize_field,
    score_fields,
    total_fields,
)
from ocrxtract.metrics.lines import (
    LineRecognizer,
    LineResult,
    LineScores,
    crop_line,
    score_lines,
    score_page_lines,
)
from ocrxtract.metrics.tables import (
    TableScore,
    TablesScore,
    adjacency_relations,
    match_tables,
    score_adjacency,
    score_table,
    score_tables,
    teds,
    teds_structure,
)
from ocrxtract.metrics.text import (
    EXACT,
    FOLDED,
    NORMALIZATIONS,
    DocumentScore,
    Pipeline,
    TextScore,
    bag_of_words,
    cer,
    normalize,
    score_documents,
    score_text,
    wer,
)
from ocrxtract.metrics.timing import (
    SpeedStats,
    maxrss_to_bytes,
    peak_rss_bytes,
    peak_rss_mib,
    speed,
)
from ocrxtract.metrics.unordered import UnorderedScore, score_unordered
from ocrxtract.metrics.zones import without_zones

__all__ = [
    "EXACT",
    "FIELD_NORMALIZERS",
    "FOLDED",
    "IOU_THRESHOLD",
    "METRIC_LABELS",
    "NORMALIZATIONS",
    "DocumentScore",
    "FieldScores",
    "LineRecognizer",
    "LineResult",
    "LineScores",
    "MatchCounts",
    "Pipeline",
    "SpeedStats",
    "TableScore",
    "TablesScore",
    "TextScore",
    "UnorderedScore",
    "adjacency_relations",
    "bag_of_words",
    "cer",
    "crop_line",
    "match_boxes",
    "match_tables",
    "maxrss_to_bytes",
    "normalize",
    "normalize_field",
    "peak_rss_bytes",
    "peak_rss_mib",
    "score_adjacency",
    "score_boxes",
    "score_documents",
    "score_fields",
    "score_line_boxes",
    "score_lines",
    "score_page_lines",
    "score_table",
    "score_tables",
    "score_text",
    "score_unordered",
    "score_word_boxes",
    "speed",
    "teds",
    "teds_structure",
    "total",
    "total_fields",
    "wer",
    "without_zones",
]

#: Display names of the metrics that benchmark summaries and datasets.yml name.
METRIC_LABELS: dict[str, str] = {
    "cer": "CER",
    "transcribed_cer": "transcribed-zone CER",
    "wer": "WER",
    "bow_f1": "BoW F1",
    "line_cer": "line CER",
    "word_detection_f1": "word det. F1",
    "line_detection_f1": "line det. F1",
    "field_f1": "field F1",
    "teds": "TEDS",
    "teds_struct": "TEDS (structure)",
}
