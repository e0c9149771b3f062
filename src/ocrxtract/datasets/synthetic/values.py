"""French values with valid check digits, and the French ways of writing them.

Identifiers (all computed, never looked up):

* SIREN (9 digits) and SIRET (SIREN + 5-digit NIC): the Luhn algorithm on the whole number;
* intra-community VAT number: ``FR`` + key + SIREN, key = ``(12 + 3 * (SIREN mod 97)) mod 97``;
* French IBAN: RIB key ``97 - (89 bank + 15 branch + 3 account) mod 97`` (letters of the account
  turned into digits), then the ISO 13616 check digits (the IBAN read as a number is 1 mod 97);
* NIR (social security number): 13 digits + key ``97 - NIR mod 97`` (Corsica ``2A``/``2B`` count
  as 19/18);
* ICAO 9303 machine-readable zone check digits (weights 7, 3, 1).

Formats: amounts ``1 234,56 €`` (plain spaces: the narrow no-break space of print is replaced by
a space so that words split where an OCR engine splits them), numbers ``12 345,6``, dates
``12/03/2024``, ``mars 2024``, ``1er mars 2024``, amounts in words (``huit cent quarante-cinq
euros``).

:class:`FrenchValues` draws people, companies and addresses from Faker's ``fr_FR`` locale, mixed
with real French communes (Faker's ``fr_FR`` cities are surnames) and street names.
"""

from __future__ import annotations

import logging
import random
import string
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ocrxtract.errors import MissingDependencyError

if TYPE_CHECKING:
    from faker import Faker

log = logging.getLogger(__name__)

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
CENT = Decimal("0.01")

# --- check digits ------------------------------------------------------------------------------


def luhn_sum(digits: str) -> int:
    """Luhn sum of a digit string (every second digit from the right doubled), mod 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10


def luhn_valid(number: str) -> bool:
    """True when ``number`` (spaces allowed) is all digits and passes the Luhn test."""
    digits = number.replace(" ", "")
    return digits.isdigit() and luhn_sum(digits) == 0


def luhn_complete(partial: str) -> str:
    """``partial`` followed by the digit that makes the whole number Luhn-valid."""
    for check in "0123456789":
        if luhn_sum(partial + check) == 0:
            return partial + check
    raise AssertionError("unreachable: one of ten digits always completes a Luhn number")


def siren_valid(siren: str) -> bool:
    """A SIREN: 9 digits, Luhn-valid."""
    digits = siren.replace(" ", "")
    return len(digits) == 9 and luhn_valid(digits)


def siret_valid(siret: str) -> bool:
    """A SIRET: 14 digits, its SIREN and the whole number Luhn-valid.

    (La Poste's establishments, SIREN 356 000 000, follow another rule; never generated here.)
    """
    digits = siret.replace(" ", "")
    return len(digits) == 14 and luhn_valid(digits) and siren_valid(digits[:9])


def vat_key(siren: str) -> str:
    """The 2-digit key of the French intra-community VAT number of ``siren``."""
    return f"{(12 + 3 * (int(siren.replace(' ', '')) % 97)) % 97:02d}"


def vat_number(siren: str) -> str:
    """``FR`` + key + SIREN (``FR83404833048``)."""
    digits = siren.replace(" ", "")
    return f"FR{vat_key(digits)}{digits}"


def vat_valid(number: str) -> bool:
    """A French VAT number whose key matches its SIREN."""
    compact = number.replace(" ", "").upper()
    return (
        len(compact) == 13
        and compact.startswith("FR")
        and compact[2:].isdigit()
        and compact[2:4] == vat_key(compact[4:])
    )


def _letters_to_digits(text: str) -> str:
    """ISO 13616: ``A`` -> 10 … ``Z`` -> 35; digits kept."""
    return "".join(str(int(c, 36)) for c in text.upper())


# RIB convention: letters of the account number become digits 1-9 (A,J=1 B,K,S=2 ... I,R,Z=9).
_RIB_LETTERS = {c: str(i % 9 + 1) for i, c in enumerate("ABCDEFGHI")}
_RIB_LETTERS |= {c: str(i % 9 + 1) for i, c in enumerate("JKLMNOPQR")}
_RIB_LETTERS |= {c: str(i % 9 + 2) for i, c in enumerate("STUVWXYZ")}


def rib_key(bank: str, branch: str, account: str) -> str:
    """The 2-digit key of a French RIB (bank code, branch code, 11-character account)."""
    account_digits = "".join(_RIB_LETTERS.get(c, c) for c in account.upper())
    remainder = (89 * int(bank) + 15 * int(branch) + 3 * int(account_digits)) % 97
    return f"{97 - remainder:02d}"


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits of ``country`` + ``bban``."""
    number = int(_letters_to_digits(bban + country + "00"))
    return f"{98 - number % 97:02d}"


def iban_valid(iban: str) -> bool:
    """True when ``iban`` (spaces allowed) passes the ISO 13616 mod-97 test."""
    compact = iban.replace(" ", "").upper()
    if len(compact) < 15 or not compact[:2].isalpha() or not compact.isalnum():
        return False
    return int(_letters_to_digits(compact[4:] + compact[:4])) % 97 == 1


def format_iban(iban: str) -> str:
    """Groups of four: ``FR76 3000 6000 0112 3456 7890 189``."""
    compact = iban.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def nir_key(nir13: str) -> str:
    """The 2-digit key of a 13-character NIR (``2A``/``2B`` department codes allowed)."""
    compact = nir13.replace(" ", "").upper()
    compact = compact.replace("2A", "19", 1) if compact[5:7] == "2A" else compact
    compact = compact.replace("2B", "18", 1) if compact[5:7] == "2B" else compact
    return f"{97 - int(compact) % 97:02d}"


def nir_valid(nir: str) -> bool:
    """A 15-character NIR whose last two digits are the key of the first 13."""
    compact = nir.replace(" ", "").upper()
    return len(compact) == 15 and compact[13:].isdigit() and nir_key(compact[:13]) == compact[13:]


def format_nir(nir: str) -> str:
    """``1 84 12 75 123 456 78``."""
    c = nir.replace(" ", "")
    return f"{c[0]} {c[1:3]} {c[3:5]} {c[5:7]} {c[7:10]} {c[10:13]} {c[13:15]}"


_MRZ_WEIGHTS = (7, 3, 1)


def mrz_check_digit(field: str) -> str:
    """ICAO 9303 check digit: ``<`` = 0, ``A`` = 10 … ``Z`` = 35, weights 7, 3, 1."""
    total = 0
    for position, char in enumerate(field):
        value = 0 if char == "<" else int(char, 36)
        total += value * _MRZ_WEIGHTS[position % 3]
    return str(total % 10)


# --- formats -----------------------------------------------------------------------------------


def money(value: Decimal | float | int | str) -> Decimal:
    """A Decimal rounded to the cent (half up, as payroll and invoices round)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_number(value: Decimal | float | int, decimals: int = 2) -> str:
    """French number: ``12 345,67`` (space between thousands, comma for decimals)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):,.{decimals}f}"
    whole, _, fraction = text.partition(".")
    whole = whole.replace(",", " ")
    return f"{sign}{whole},{fraction}" if decimals else f"{sign}{whole}"


def format_euros(value: Decimal | float | int, symbol: str = "€") -> str:
    """``1 234,56 €`` (``symbol=""``: ``1 234,56``)."""
    number = format_number(value, 2)
    return f"{number} {symbol}" if symbol else number


def unbreakable(text: str) -> str:
    """``text`` with no-break spaces: a paragraph never breaks ``1 234,56 €`` across lines."""
    return text.replace(" ", "\u00a0")


def format_percent(value: Decimal | float, decimals: int = 2) -> str:
    """``6,90 %``."""
    return f"{format_number(value, decimals)} %"


def format_date(day: date) -> str:
    """``12/03/2024``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_month(day: date) -> str:
    """``mars 2024``."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def format_long_date(day: date) -> str:
    """``12 mars 2024``, ``1er mars 2024``."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def month_bounds(day: date) -> tuple[date, date]:
    """First and last day of ``day``'s month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


_UNITS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
)  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_hundred(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix, quatre-vingt-dix: 60/80 + 10..19
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = 10 + unit
        joiner = " et " if tens == 7 and unit == 1 else "-"
        return f"{base}{joiner}{_UNITS[rest]}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}"
    word = _TENS[tens]
    if unit == 0:
        return word
    return f"{word} et un" if unit == 1 else f"{word}-{_UNITS[unit]}"


def _below_thousand(n: int, final: bool) -> str:
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        if hundreds == 1:
            parts.append("cent")
        else:
            plural = "s" if rest == 0 and final else ""
            parts.append(f"{_UNITS[hundreds]} cent{plural}")
    if rest or not hundreds:
        text = _below_hundred(rest)
        if not final and text == "quatre-vingts":
            text = "quatre-vingt"
        parts.append(text)
    return " ".join(parts)


def number_in_words(n: int) -> str:
    """A whole number (0 <= n < 10**9) in French words (traditional spelling).

    >>> number_in_words(845)
    'huit cent quarante-cinq'
    >>> number_in_words(2080)
    'deux mille quatre-vingts'
    """
    if not 0 <= n < 10**9:
        raise ValueError(f"{n} is out of range for number_in_words")
    if n == 0:
        return "zéro"
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        word = _below_thousand(millions, final=False)
        parts.append(f"{word} million{'s' if millions > 1 else ''}")
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_thousand(thousands, False)} mille")
    if units:
        parts.append(_below_thousand(units, final=True))
    return " ".join(parts)


def amount_in_words(value: Decimal) -> str:
    """``845,50`` -> ``huit cent quarante-cinq euros et cinquante centimes``."""
    cents_total = int(money(value) * 100)
    euros, cents = divmod(cents_total, 100)
    text = f"{number_in_words(euros)} euro{'s' if euros > 1 else ''}"
    if euros and euros % 1_000_000 == 0:
        text = text.replace(" euros", " d'euros")
    if cents:
        text += f" et {number_in_words(cents)} centime{'s' if cents > 1 else ''}"
    return text


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
