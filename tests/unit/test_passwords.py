"""Password policy (CNIL deliberation 2022-100): plain unit tests."""

from illkirch.eservices.accounts import passwords
from illkirch.eservices.accounts.passwords import MAX_LENGTH
from illkirch.eservices.accounts.passwords import MIN_LENGTH
from illkirch.eservices.accounts.passwords import RULE
from illkirch.eservices.accounts.passwords import is_common
from illkirch.eservices.accounts.passwords import password_problems
from zope.i18nmessageid import Message

import pytest
import unicodedata


PERSONAL = ["Amélie", "Lire", "amélie.lire", "alire@example.org"]


def ids(problems):
    return [str(problem) for problem in problems]


def test_constants_and_rule():
    assert (MIN_LENGTH, passwords.MIN_CLASSES, MAX_LENGTH) == (12, 3, 128)
    assert isinstance(RULE, Message)
    assert RULE == "password_rule"
    assert RULE.domain == "illkirch.eservices"
    assert RULE.default.startswith("At least 12 characters")


@pytest.mark.parametrize(
    "password",
    [
        "Illkirch-2026!",
        "Graffenstaden67",  # upper, lower, digits
        "rue du 14 juillet",  # lower, digits, spaces as special
        "ÉLÉPHANTrosé!",  # accented letters count as letters of their case
        "ILLKIRCHéèàç2026",  # accented lowercase letters are lowercase
        "A" * 40 + "b" * 40 + "1" * 48,  # exactly MAX_LENGTH
    ],
)
def test_acceptable_passwords(password):
    assert password_problems(password, PERSONAL) == []


def test_too_short():
    assert ids(password_problems("Ill-2026!ab")) == ["password_too_short"]
    assert password_problems("Ill-2026!abc") == []


def test_length_counts_composed_characters():
    # 11 characters, 12 code points once the "é" is decomposed.
    decomposed = unicodedata.normalize("NFD", "Illkirch-2é")
    assert len(decomposed) == 12
    assert ids(password_problems(decomposed)) == ["password_too_short"]


def test_too_long():
    password = "A" * 40 + "b" * 40 + "1" * 49
    assert len(password) == MAX_LENGTH + 1
    assert ids(password_problems(password)) == ["password_too_long"]


@pytest.mark.parametrize(
    "password",
    [
        "illkirchgraffenstaden",  # lowercase only
        "ILLKIRCH2026GRAFF",  # uppercase and digits
        "illkirch-graffenstaden",  # lowercase and special
        "éléphantrosé",  # accented lowercase letters are not special
        "ÉLÉPHANTrosé",  # upper and lower only
    ],
)
def test_too_few_character_classes(password):
    assert ids(password_problems(password)) == ["password_too_few_classes"]


def test_common_passwords():
    assert is_common("qwerty123456")
    assert is_common("Qwerty123456")  # case-insensitive
    assert is_common("PASSWORD")
    assert not is_common("Illkirch-2026!")
    # The header comment line is not a password.
    assert not is_common("# source: zxcvbn 4.5.0, MIT")


def test_common_password_long_enough_is_still_refused():
    # 12 characters, 3 classes: only its being common is wrong.
    assert ids(password_problems("Qwerty123456")) == ["password_common"]


def test_common_list_file():
    lines = passwords.COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# source: ")
    words = lines[1:]
    assert len(words) == 10_000
    assert len(set(words)) == len(words)
    assert all(word == word.lower() for word in words)
    assert passwords.COMMON_PASSWORDS_FILE.stat().st_size < 150_000


def test_contains_last_name():
    assert ids(password_problems("Graffenstaden-Lire-7", PERSONAL)) == [
        "password_personal"
    ]
    # Without the personal values the same password is fine.
    assert password_problems("Graffenstaden-Lire-7") == []


@pytest.mark.parametrize(
    "password",
    [
        "AMELIE-rocks-2026",  # first name, accent- and case-insensitive
        "Sûr-Amélie-2026",
        "xx-Amélie.Lire-2026",  # identifier
        "ALIRE-2026-xyz!",  # email local part
    ],
)
def test_contains_personal_information(password):
    assert ids(password_problems(password, PERSONAL)) == ["password_personal"]


def test_personal_values_compound_and_short():
    personal = ["Jean-Pierre", "Li", "jp.li@example.org"]
    # Parts of a compound first name count.
    assert ids(password_problems("Pierre-de-Lune-2026", personal)) == [
        "password_personal"
    ]
    # Values shorter than 3 characters, and the email domain, do not.
    assert password_problems("Lighthouse-Example-2026", personal) == []


def test_several_rules_in_stable_order():
    assert ids(password_problems("lire", PERSONAL)) == [
        "password_too_short",
        "password_too_few_classes",
        "password_personal",
    ]
    assert ids(password_problems("password")) == [
        "password_too_short",
        "password_too_few_classes",
        "password_common",
    ]
    assert ids(password_problems("")) == [
        "password_too_short",
        "password_too_few_classes",
    ]


def test_messages_are_translatable():
    problems = password_problems("lire", PERSONAL)
    assert all(isinstance(problem, Message) for problem in problems)
    assert {problem.domain for problem in problems} == {"illkirch.eservices"}
    assert all(problem.default for problem in problems)
    assert problems[0].mapping == {"min_length": 12}
    assert problems[1].mapping == {"min_classes": 3}
