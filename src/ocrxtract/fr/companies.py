"""French company names: the legal form (SARL, SAS...) is not part of the name.

The SIRENE register keeps a company's name (*dénomination*) and its legal form (*forme
juridique*) apart; invoices print them together ("Au bon moulin SARL") and e-invoice XML keeps
the name alone. :func:`strip_legal_form` takes the form off either end so both compare alike.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Legal forms printed with a company's name (dotted spellings are matched too).
LEGAL_FORMS = (
    "SARL", "SAS", "SASU", "SA", "EURL", "SCI", "SNC", "SCOP", "SCA", "SCS", "SELARL", "SELAS",
    "SEL", "GIE", "EIRL", "EI", "SEM", "SPL", "SCP", "SARLU",
)  # fmt: skip

_FORM = "|".join(
    sorted((r"\.?".join(form) + r"\.?" for form in LEGAL_FORMS), key=len, reverse=True)
)
#: A legal form as a word of its own (``SARL``, ``S.A.R.L.``), case as printed.
LEGAL_FORM = re.compile(rf"(?<![\w.])(?:{_FORM})(?!\w)")


@lru_cache(maxsize=16)
def legal_form_pattern(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    """:data:`LEGAL_FORM`, or the French forms and ``extra`` ones (another country's, named
    by a schema: ``SDN BHD``, ``S/B``), each word of an extra form followed by an optional
    dot and the words by any spaces (``SDN. BHD.``), case as printed."""
    if not extra:
        return LEGAL_FORM
    spelled = (r"\s*".join(re.escape(word) + r"\.?" for word in form.split()) for form in extra)
    alternatives = "|".join(sorted(spelled, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives}|{_FORM})(?!\w)")


_AT_END = re.compile(rf"[\s,\-–]+(?:{_FORM})[\s,.\-–]*$")
_AT_START = re.compile(rf"^(?:{_FORM})[\s,\-–]+")


def strip_legal_form(name: str) -> str:
    """``name`` without a legal form at its end or start (``"Au bon moulin SARL"`` ->
    ``"Au bon moulin"``); a name that is only a form is kept as it is."""
    stripped = _AT_START.sub("", _AT_END.sub("", name.strip())).strip(" ,-–")
    return stripped or name.strip()
