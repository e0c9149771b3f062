"""The generated French values of the synthetic documents: identifiers that validate, places,
reproducibility. (The rules themselves are tested in ``test_fr.py``.)"""

from __future__ import annotations

from ocrxtract import fr
from ocrxtract.datasets.synthetic import values as v

# --- places ---------------------------------------------------------------------------------------


def test_prefecture_names():
    assert v.prefecture("69") == "Préfecture du Rhône"
    assert v.prefecture("38") == "Préfecture de l'Isère"
    assert v.prefecture("75") == "Préfecture de police"


# --- generated values -----------------------------------------------------------------------------


def test_generated_identifiers_validate():
    for seed in range(40):
        values = v.FrenchValues(seed)
        company = values.company()
        assert fr.siren_valid(company.siren), company.siren
        assert fr.siret_valid(company.siret), company.siret
        assert company.siret.startswith(company.siren)
        assert fr.vat_valid(company.vat), company.vat
        account = values.bank_account()
        assert fr.iban_valid(account.iban), account.iban
        assert len(account.iban) == 27 and account.iban.startswith("FR")
        person = values.person()
        nir = values.nir(person)
        assert fr.nir_valid(nir), nir
        assert nir[0] == ("1" if person.sex == "M" else "2")
        assert nir[1:3] == f"{person.birth_date.year % 100:02d}"


def test_same_seed_same_values():
    first, second = v.FrenchValues(7), v.FrenchValues(7)
    assert first.company() == second.company()
    assert first.person() == second.person()
    assert v.FrenchValues(8).company() != v.FrenchValues(7).company()
