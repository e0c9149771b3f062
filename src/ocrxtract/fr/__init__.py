"""French value rules: pure functions, no randomness, only the standard library.

* :mod:`~ocrxtract.fr.identifiers`: check digits of SIREN/SIRET (Luhn), the intra-community VAT
  number, RIB and IBAN, the NIR and the ICAO 9303 MRZ (:func:`check_mrz_td1` verifies an
  identity card's whole MRZ); :func:`normalize_identifier`.
* :mod:`~ocrxtract.fr.amounts`: rounding to the cent (:func:`money`), French number, amount and
  percentage formats, amounts in words; :func:`parse_amount`, :func:`normalize_amount`
  (``"1 740,58 €"`` -> ``"1740.58"``).
* :mod:`~ocrxtract.fr.dates`: French date formats (``12/03/2024``, ``mars 2024``, ``1er mars
  2024``), month bounds; :func:`parse_date`, :func:`normalize_date` (-> ``"2024-03-31"``),
  :func:`parse_period`, :func:`normalize_period` (``"mars 2024"`` ->
  ``"2024-03-01/2024-03-31"``).
* :mod:`~ocrxtract.fr.text`: the typographic folding steps behind the ``exact`` and ``folded``
  normalisations; :func:`normalize_text_field`.

The synthetic documents (:mod:`ocrxtract.datasets.synthetic`) write values with these rules and
the field metrics (:mod:`ocrxtract.metrics.fields`) read them back with them.
"""

from ocrxtract.fr.amounts import (
    CENT,
    amount_in_words,
    format_euros,
    format_number,
    format_percent,
    money,
    normalize_amount,
    number_in_words,
    parse_amount,
    unbreakable,
)
from ocrxtract.fr.dates import (
    MONTHS,
    format_date,
    format_long_date,
    format_month,
    month_bounds,
    normalize_date,
    normalize_period,
    parse_date,
    parse_period,
)
from ocrxtract.fr.identifiers import (
    check_mrz_td1,
    format_iban,
    format_nir,
    iban_check_digits,
    iban_valid,
    luhn_complete,
    luhn_sum,
    luhn_valid,
    mrz_check_digit,
    mrz_valid,
    nir_key,
    nir_valid,
    normalize_identifier,
    rib_key,
    siren_valid,
    siret_valid,
    vat_key,
    vat_number,
    vat_valid,
)
from ocrxtract.fr.text import normalize_text_field

__all__ = [
    "CENT",
    "MONTHS",
    "amount_in_words",
    "check_mrz_td1",
    "format_date",
    "format_euros",
    "format_iban",
    "format_long_date",
    "format_month",
    "format_nir",
    "format_number",
    "format_percent",
    "iban_check_digits",
    "iban_valid",
    "luhn_complete",
    "luhn_sum",
    "luhn_valid",
    "money",
    "month_bounds",
    "mrz_check_digit",
    "mrz_valid",
    "nir_key",
    "nir_valid",
    "normalize_amount",
    "normalize_date",
    "normalize_identifier",
    "normalize_period",
    "normalize_text_field",
    "number_in_words",
    "parse_amount",
    "parse_date",
    "parse_period",
    "rib_key",
    "siren_valid",
    "siret_valid",
    "unbreakable",
    "vat_key",
    "vat_number",
    "vat_valid",
]
