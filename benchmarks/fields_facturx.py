"""Key fields of the Factur-X invoices read from their text layer, scored against their XML.

Each PDF of ``fr-invoices-facturx-fnfe`` is read by the ``pdf-text`` engine (its text layer;
the embedded XML is ignored), the ``invoice`` schema's fields are extracted (``--method``), and
compared with the fields of the XML it embeds (exact after normalisation; only the fields the
XML holds are scored). Prints each invoice's misses, the micro F1 over every XML field, and
the F1 over the fields issue 10 names (number, date, seller, seller SIRET and VAT id, totals
HT and TTC).

    python benchmarks/fields_facturx.py --root ../shared/datasets/fr-invoices-facturx-fnfe
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ocrxtract.datasets.facturx import discover, load
from ocrxtract.datasets.registry import get_spec
from ocrxtract.engines import create_engine
from ocrxtract.extract.fields import extract_fields, load_schema
from ocrxtract.extract.fields.scoring import reference_values, score_extraction
from ocrxtract.metrics.fields import FieldScores
from ocrxtract.pipeline import ocr_document

#: The fields issue 10 scores on these invoices.
NAMED = (
    "numero_facture",
    "date_facture",
    "vendeur",
    "siret_vendeur",
    "tva_vendeur",
    "total_ht",
    "total_ttc",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--method", default="auto", choices=("auto", "model", "rules"))
    args = parser.parse_args()
    spec = get_spec("fr-invoices-facturx-fnfe")
    schema = load_schema("invoice")
    reader = create_engine("pdf-text")
    every, named, times = FieldScores(), FieldScores(), []
    for item in discover(args.root, spec).items:
        sample = load(item, spec)
        document = ocr_document(item.files["pdf"], reader)
        start = time.perf_counter()
        result = extract_fields(document, schema, method=args.method)
        times.append(time.perf_counter() - start)
        found = result.values()
        wanted = reference_values(schema, dict(sample.fields))  # the XML's names -> schema's
        every += score_extraction(schema, wanted, found, complete=False)
        named_only = {k: v for k, v in wanted.items() if k in NAMED}
        named += score_extraction(schema, named_only, found, complete=False)
        misses = {k: (v, found.get(k)) for k, v in wanted.items() if found.get(k) != v}
        print(
            f"{item.sample_id:28} {result.doc_type:8} {len(wanted) - len(misses)}/{len(wanted)}"
            f"  misses: {misses or '-'}"
        )
    warm = times[1:] or times
    print(
        f"\n{len(times)} invoices, method {args.method}; extraction "
        f"{1000 * sum(warm) / max(len(warm), 1):.0f} ms/page warm "
        f"(first call {1000 * times[0]:.0f} ms: imports and model loading)"
    )
    print(
        f"every XML field: micro F1 {every.micro.f1:.3f} "
        f"(P {every.micro.precision:.3f}, R {every.micro.recall:.3f})"
    )
    print(
        f"issue 10's fields: micro F1 {named.micro.f1:.3f} "
        f"(P {named.micro.precision:.3f}, R {named.micro.recall:.3f})"
    )
    for name, counts in sorted(every.per_field.items()):
        print(f"  {name:16} F1 {counts.f1:.3f}")


if __name__ == "__main__":
    main()
