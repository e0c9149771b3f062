"""French people, companies and places for the synthetic documents, drawn from one seed.

:class:`FrenchValues` draws people, companies and addresses from Faker's ``fr_FR`` locale, mixed
with real French communes (Faker's ``fr_FR`` cities are surnames) and street names, and computes
their identifiers (SIREN/SIRET, IBAN, NIR) with valid check digits. The rules themselves (check
digits, French formats) live in :mod:`ocrxtract.fr`.
"""

from __future__ import annotations

import logging
import random
import string
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ocrxtract.errors import MissingDependencyError
from ocrxtract.fr import (
    format_iban,
    iban_check_digits,
    luhn_complete,
    nir_key,
    rib_key,
    vat_number,
)

if TYPE_CHECKING:
    from faker import Faker

log = logging.getLogger(__name__)

# --- people, companies, places ------------------------------------------------------------------

#: Real communes: (name, postcode, department code).
COMMUNES = (
    ("Paris", "75011", "75"), ("Paris", "75015", "75"), ("Paris", "75018", "75"),
    ("Marseille", "13006", "13"), ("Lyon", "69003", "69"), ("Lyon", "69007", "69"),
    ("Toulouse", "31000", "31"), ("Nice", "06000", "06"), ("Nantes", "44000", "44"),
    ("Strasbourg", "67000", "67"), ("Montpellier", "34000", "34"), ("Bordeaux", "33000", "33"),
    ("Lille", "59000", "59"), ("Rennes", "35000", "35"), ("Reims", "51100", "51"),
    ("Saint-Étienne", "42000", "42"), ("Le Havre", "76600", "76"), ("Toulon", "83000", "83"),
    ("Grenoble", "38000", "38"), ("Dijon", "21000", "21"), ("Angers", "49000", "49"),
    ("Nîmes", "30000", "30"), ("Villeurbanne", "69100", "69"), ("Clermont-Ferrand", "63000", "63"),
    ("Le Mans", "72000", "72"), ("Aix-en-Provence", "13100", "13"), ("Brest", "29200", "29"),
    ("Tours", "37000", "37"), ("Amiens", "80000", "80"), ("Limoges", "87000", "87"),
    ("Annecy", "74000", "74"), ("Perpignan", "66000", "66"), ("Besançon", "25000", "25"),
    ("Metz", "57000", "57"), ("Orléans", "45000", "45"), ("Rouen", "76000", "76"),
    ("Mulhouse", "68100", "68"), ("Caen", "14000", "14"), ("Nancy", "54000", "54"),
    ("Argenteuil", "95100", "95"), ("Montreuil", "93100", "93"), ("Roubaix", "59100", "59"),
    ("Avignon", "84000", "84"), ("Poitiers", "86000", "86"), ("Pau", "64000", "64"),
    ("La Rochelle", "17000", "17"), ("Ajaccio", "20000", "2A"), ("Bastia", "20200", "2B"),
    ("Quimper", "29000", "29"), ("Valence", "26000", "26"), ("Troyes", "10000", "10"),
    ("Chambéry", "73000", "73"), ("Niort", "79000", "79"), ("Lorient", "56100", "56"),
    ("Colmar", "68000", "68"), ("Vannes", "56000", "56"), ("Saint-Malo", "35400", "35"),
    ("Châteauroux", "36000", "36"), ("Bourg-en-Bresse", "01000", "01"), ("Évreux", "27000", "27"),
)  # fmt: skip
#: Department code -> (name, preposition as in "Préfecture du Rhône").
DEPARTMENTS = {
    "01": ("Ain", "de l'"), "06": ("Alpes-Maritimes", "des"), "10": ("Aube", "de l'"),
    "13": ("Bouches-du-Rhône", "des"), "14": ("Calvados", "du"),
    "17": ("Charente-Maritime", "de la"),
    "21": ("Côte-d'Or", "de la"), "25": ("Doubs", "du"), "26": ("Drôme", "de la"),
    "27": ("Eure", "de l'"), "29": ("Finistère", "du"), "2A": ("Corse-du-Sud", "de la"),
    "2B": ("Haute-Corse", "de la"), "30": ("Gard", "du"), "31": ("Haute-Garonne", "de la"),
    "33": ("Gironde", "de la"), "34": ("Hérault", "de l'"), "35": ("Ille-et-Vilaine", "d'"),
    "36": ("Indre", "de l'"), "37": ("Indre-et-Loire", "d'"), "38": ("Isère", "de l'"),
    "42": ("Loire", "de la"), "44": ("Loire-Atlantique", "de la"), "45": ("Loiret", "du"),
    "49": ("Maine-et-Loire", "de"), "51": ("Marne", "de la"), "54": ("Meurthe-et-Moselle", "de"),
    "56": ("Morbihan", "du"), "57": ("Moselle", "de la"), "59": ("Nord", "du"),
    "63": ("Puy-de-Dôme", "du"), "64": ("Pyrénées-Atlantiques", "des"),
    "66": ("Pyrénées-Orientales", "des"), "67": ("Bas-Rhin", "du"), "68": ("Haut-Rhin", "du"),
    "69": ("Rhône", "du"), "72": ("Sarthe", "de la"), "73": ("Savoie", "de la"),
    "74": ("Haute-Savoie", "de la"), "75": ("Paris", "de"), "76": ("Seine-Maritime", "de la"),
    "79": ("Deux-Sèvres", "des"), "80": ("Somme", "de la"), "83": ("Var", "du"),
    "84": ("Vaucluse", "du"), "86": ("Vienne", "de la"), "87": ("Haute-Vienne", "de la"),
    "93": ("Seine-Saint-Denis", "de la"), "95": ("Val-d'Oise", "du"),
}  # fmt: skip


def prefecture(department: str) -> str:
    """``Préfecture du Rhône``, ``Préfecture de l'Isère`` (``Préfecture de police`` in Paris)."""
    if department == "75":
        return "Préfecture de police"
    name, article = DEPARTMENTS[department]
    joiner = "" if article.endswith("'") else " "
    return f"Préfecture {article}{joiner}{name}"


STREET_TYPES = (
    "rue", "rue", "rue", "avenue", "boulevard", "place", "allée", "impasse", "chemin", "quai",
)  # fmt: skip
STREET_NAMES = (
    "Victor Hugo", "Jean Jaurès", "de la République", "Pasteur", "du Général de Gaulle",
    "des Lilas", "de la Gare", "Gambetta", "Émile Zola", "des Écoles", "du Moulin", "de l'Église",
    "Voltaire", "Jules Ferry", "de la Liberté", "des Acacias", "Carnot", "du Château",
    "Anatole France", "de Verdun", "Paul Bert", "Louis Pasteur", "des Tilleuls",
    "Saint-Exupéry", "du Maréchal Foch", "Édouard Herriot", "de la Paix", "des Peupliers",
    "Marie Curie", "Jean Moulin", "du 8 Mai 1945", "de Provence", "Sainte-Catherine",
)  # fmt: skip
BANKS = (
    ("30004", "BNPAFRPPXXX", "BNP Paribas"), ("30003", "SOGEFRPPXXX", "Société Générale"),
    ("30002", "CRLYFRPPXXX", "LCL"), ("20041", "PSSTFRPPXXX", "La Banque Postale"),
    ("30066", "CMCIFRPPXXX", "CIC"), ("10278", "CMCIFR2AXXX", "Crédit Mutuel"),
    ("16006", "AGRIFRPP860", "Crédit Agricole"), ("17515", "CEPAFRPP751", "Caisse d'Épargne"),
)  # fmt: skip
APE_CODES = (
    ("6201Z", "Programmation informatique"), ("4711D", "Supermarchés"),
    ("5610A", "Restauration traditionnelle"), ("4120A", "Construction de maisons individuelles"),
    ("7022Z", "Conseil pour les affaires et autres conseils de gestion"),
    ("4941A", "Transports routiers de fret interurbains"),
    ("1071C", "Boulangerie et boulangerie-pâtisserie"),
    ("8621Z", "Activité des médecins généralistes"), ("6920Z", "Activités comptables"),
    ("4332A", "Travaux de menuiserie bois et PVC"), ("8559A", "Formation continue d'adultes"),
    ("4321A", "Travaux d'installation électrique dans tous locaux"), ("9602A", "Coiffure"),
)  # fmt: skip
LEGAL_FORMS = ("SARL", "SAS", "SA", "EURL", "SASU", "SCOP")
COMPANY_PATTERNS = (
    "{name} {form}", "{trade} {name}", "{trade} {name} {form}", "{name} et Fils",
    "{name} & {name2}", "Groupe {name}", "{acronym} {form}", "Atelier {name}",
)  # fmt: skip
TRADES = (
    "Transports", "Boulangerie", "Menuiserie", "Électricité", "Garage", "Imprimerie", "Cabinet",
    "Plomberie", "Informatique", "Conseil", "Maçonnerie", "Pharmacie", "Librairie", "Fromagerie",
)  # fmt: skip


@dataclass(frozen=True)
class Address:
    """A French postal address."""

    street: str
    postcode: str
    city: str
    department: str

    @property
    def city_line(self) -> str:
        """``69003 Lyon`` (postcode and commune, as on an envelope)."""
        return f"{self.postcode} {self.city}"

    def lines(self) -> list[str]:
        """Street line, then postcode and city."""
        return [self.street, self.city_line]

    def one_line(self) -> str:
        """``12 rue Victor Hugo, 69003 Lyon``."""
        return f"{self.street}, {self.city_line}"


@dataclass(frozen=True)
class Person:
    """A person: civility, first name(s), last name, birth date and place."""

    civility: str  # "M." or "Mme"
    first_name: str
    last_name: str
    birth_date: date
    birth_commune: tuple[str, str, str]
    other_first_names: tuple[str, ...] = ()

    @property
    def sex(self) -> str:
        """``M`` or ``F`` (as on an identity card)."""
        return "M" if self.civility == "M." else "F"

    @property
    def full_name(self) -> str:
        """``Marie Martin``."""
        return f"{self.first_name} {self.last_name}"

    @property
    def formal_name(self) -> str:
        """``Mme Marie MARTIN``."""
        return f"{self.civility} {self.first_name} {self.last_name.upper()}"


@dataclass(frozen=True)
class Company:
    """A company: name, SIREN/SIRET, APE code, address, VAT number, contact."""

    name: str
    siren: str
    siret: str
    ape: tuple[str, str]
    address: Address
    phone: str
    email: str
    legal_form: str
    capital: int
    rcs_city: str

    @property
    def vat(self) -> str:
        """Intra-community VAT number (``FR83404833048``)."""
        return vat_number(self.siren)

    @property
    def siren_display(self) -> str:
        """``732 829 320``."""
        return f"{self.siren[:3]} {self.siren[3:6]} {self.siren[6:]}"

    @property
    def siret_display(self) -> str:
        """``732 829 320 00074``."""
        return f"{self.siren_display} {self.siret[9:]}"


@dataclass(frozen=True)
class BankAccount:
    """A French bank account: IBAN and BIC."""

    iban: str
    bic: str
    bank: str

    @property
    def iban_display(self) -> str:
        """``FR76 3000 6000 0112 3456 7890 189``."""
        return format_iban(self.iban)


def _faker() -> Faker:
    """A new Faker ``fr_FR`` (about a millisecond: each value source owns its own generator)."""
    try:
        from faker import Faker
    except ImportError as exc:
        raise MissingDependencyError(
            "faker", "generate synthetic French documents", "pip install 'faker>=40,<41'"
        ) from exc
    return Faker("fr_FR")


def faker_version() -> str:
    """Version of the installed Faker (stamped in generated datasets), or ``"absent"``."""
    try:
        from importlib.metadata import version

        return version("faker")
    except Exception:
        return "absent"


class FrenchValues:
    """Reproducible French values from one seed: Faker ``fr_FR`` plus computed identifiers.

    The same seed always gives the same values (for a given Faker version: its word lists
    change between releases, so generated datasets record the version).
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake: Any = _faker()
        self.fake.seed_instance(seed)

    # identifiers
    def siren(self) -> str:
        """A Luhn-valid SIREN (never La Poste's)."""
        while True:
            partial = f"{self.rng.randrange(10_000_000, 99_999_999)}"
            number = luhn_complete(partial)
            if not number.startswith("356000000"):
                return number

    def siret(self, siren: str) -> str:
        """A Luhn-valid SIRET of ``siren`` (establishment number 000xx)."""
        partial = siren + f"{self.rng.randrange(1, 80):04d}"
        return luhn_complete(partial)

    def bank_account(self) -> BankAccount:
        """A French IBAN with a valid RIB key and ISO check digits, and its bank's BIC."""
        bank, bic, name = self.rng.choice(BANKS)
        branch = f"{self.rng.randrange(0, 99_999):05d}"
        account = "".join(self.rng.choice(string.digits) for _ in range(11))
        if self.rng.random() < 0.2:  # some account numbers hold a letter
            position = self.rng.randrange(11)
            account = account[:position] + self.rng.choice("ABCDEFGHJK") + account[position + 1 :]
        bban = bank + branch + account + rib_key(bank, branch, account)
        return BankAccount(iban=f"FR{iban_check_digits('FR', bban)}{bban}", bic=bic, bank=name)

    def nir(self, person: Person) -> str:
        """A NIR consistent with ``person`` (sex, birth year and month, department), with key."""
        sex = "1" if person.sex == "M" else "2"
        department = person.birth_commune[2]
        commune = f"{self.rng.randrange(1, 400):03d}"
        order = f"{self.rng.randrange(1, 999):03d}"
        body = f"{sex}{person.birth_date.year % 100:02d}{person.birth_date.month:02d}"
        body += f"{department}{commune}{order}"
        return body + nir_key(body)

    # people and places
    def commune(self) -> tuple[str, str, str]:
        """A real commune: (name, postcode, department)."""
        return self.rng.choice(COMMUNES)

    def address(self) -> Address:
        """A French street address in a real commune."""
        city, postcode, department = self.commune()
        number = self.rng.randrange(1, 160)
        suffix = self.rng.choice(("", "", "", "", " bis", " ter"))
        kind = self.rng.choice(STREET_TYPES)
        if self.rng.random() < 0.6:
            name = self.rng.choice(STREET_NAMES)
        else:
            name = (
                f"{self.rng.choice(('de', 'du Docteur', 'Jean', 'Marcel'))} {self.fake.last_name()}"
            )
        return Address(f"{number}{suffix} {kind} {name}", postcode, city, department)

    def person(self, sex: str | None = None, min_age: int = 18, max_age: int = 75) -> Person:
        """A person with a Faker ``fr_FR`` name and a birth date ``min_age..max_age`` years ago."""
        sex = sex or self.rng.choice("MF")
        first = self.fake.first_name_male() if sex == "M" else self.fake.first_name_female()
        others = tuple(
            self.fake.first_name_male() if sex == "M" else self.fake.first_name_female()
            for _ in range(self.rng.randrange(0, 3))
        )
        last = self.fake.last_name()
        age_days = self.rng.randrange(min_age * 365, max_age * 365)
        birth = date(2024, 6, 30) - timedelta(days=age_days)
        return Person(
            civility="M." if sex == "M" else "Mme",
            first_name=first,
            last_name=last,
            birth_date=birth,
            birth_commune=self.commune(),
            other_first_names=others,
        )

    def phone(self) -> str:
        """A French phone number ``04 72 12 34 56``."""
        first = self.rng.choice(("01", "02", "03", "04", "05", "06", "07", "09"))
        return " ".join([first] + [f"{self.rng.randrange(100):02d}" for _ in range(4)])

    def email(self, name: str, domain: str | None = None) -> str:
        """An e-mail address at an ``example`` domain (never a real mailbox)."""
        local = "".join(c for c in _ascii(name.lower()) if c.isalnum() or c in ".-")
        local = local.strip(".-") or "contact"
        return f"{local}@{domain or self.rng.choice(('example.fr', 'example.com', 'example.org'))}"

    def company(self) -> Company:
        """A company with a Luhn-valid SIREN/SIRET, an APE code and an address."""
        form = self.rng.choice(LEGAL_FORMS)
        pattern = self.rng.choice(COMPANY_PATTERNS)
        acronym = "".join(self.rng.choice(string.ascii_uppercase) for _ in range(3))
        name = pattern.format(
            name=self.fake.last_name(),
            name2=self.fake.last_name(),
            form=form,
            trade=self.rng.choice(TRADES),
            acronym=acronym,
        )
        siren = self.siren()
        address = self.address()
        domain = "".join(c for c in _ascii(name.split()[0].lower()) if c.isalnum()) + ".example.fr"
        return Company(
            name=name,
            siren=siren,
            siret=self.siret(siren),
            ape=self.rng.choice(APE_CODES),
            address=address,
            phone=self.phone(),
            email=self.email(self.rng.choice(("contact", "compta", "accueil", "factures")), domain),
            legal_form=form,
            capital=self.rng.choice((1000, 5000, 7500, 10_000, 37_000, 50_000, 150_000)),
            rcs_city=self.rng.choice(COMMUNES)[0],
        )

    def job(self) -> str:
        """A job title (Faker ``fr_FR``), first letter capitalised."""
        title = str(self.fake.job())
        return title[:1].upper() + title[1:]

    def day_between(self, start: date, end: date) -> date:
        """A day in ``[start, end]``."""
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))


def _ascii(text: str) -> str:
    import unicodedata

    return "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).replace(" ", ".")
