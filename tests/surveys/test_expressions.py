"""The XLSForm condition evaluator: what a form author writes, what the server decides."""

import datetime as dt

import pytest
from django.utils import timezone

from kopiena.surveys.questionnaire.expressions import (
    UnsupportedExpression,
    compile_expression,
    is_relevant,
    referenced_names,
    satisfies_constraint,
)


def value(source, values=None, current=None):
    return compile_expression(source).evaluate(values or {}, current)


# The reference questionnaire's own conditions.


def test_other_support_is_relevant_only_when_other_is_selected():
    source = "selected(${support_received}, 'other')"
    assert is_relevant(source, {"support_received": "projektu_konkurss other"})
    assert is_relevant(source, {"support_received": ["other"]})
    assert not is_relevant(source, {"support_received": "projektu_konkurss"})
    assert not is_relevant(source, {"support_received": ""})
    assert not is_relevant(source, {})


def test_other_involvement_is_relevant_only_for_other():
    source = "${needed_involvement} = 'other'"
    assert is_relevant(source, {"needed_involvement": "other"})
    assert not is_relevant(source, {"needed_involvement": "atbalsta_sistema"})
    assert not is_relevant(source, {})


def test_at_most_three_instruments():
    source = "count-selected(.) <= 3"
    assert satisfies_constraint(source, {}, "prakses info platforma")
    assert satisfies_constraint(source, {}, "")
    assert not satisfies_constraint(source, {}, "prakses info platforma padome")
    assert not satisfies_constraint(source, {}, ["a", "b", "c", "d"])


# The grammar.


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("7 div 2", 3.5),
        ("7 mod 3", 1.0),
        ("-3 + 5", 2.0),
        ("10 - 2 - 3", 5.0),
        ("1 = 1 and 2 > 1", True),
        ("1 = 2 or 3 >= 3", True),
        ("not(1 = 1)", False),
        ("'a' != 'b'", True),
        ("2 <= 1", False),
        ("if(1 < 2, 'yes', 'no')", "yes"),
        ("if(false(), 'yes', 'no')", "no"),
        ("string-length('Ķekava')", 6.0),
        ("coalesce('', 'b')", "b"),
        ("coalesce('a', 'b')", "a"),
        ("regex('LV40003012345', '^LV[0-9]{11}$')", True),
        ("regex('x', '^[0-9]+$')", False),
        ("concat('a', 'b', 1)", "ab1"),
        ("int(3.7)", 3.0),
        ("number('2.5') * 2", 5.0),
        ('"double" = "double"', True),
    ],
)
def test_grammar(source, expected):
    assert value(source) == expected


def test_references_and_current_value():
    values = {"age": "42", "name": "Anna"}
    assert value("${age} > 18", values) is True
    assert value("${age} + 1", values) == 43.0
    assert value(". > 5 and . < 10", values, current="7") is True
    assert value("string-length(${name}) = 4", values) is True
    assert referenced_names("${a} = 1 and selected(${b}, 'x')") == {"a", "b"}


def test_blank_answers_compare_as_empty_strings_and_not_as_zero():
    assert value("${missing} = ''", {}) is True
    assert value("${missing} > 0", {}) is False
    assert value("${missing} < 1", {}) is False


def test_equality_with_a_number_compares_numbers():
    assert value("${rating} = 5", {"rating": "5.0"}) is True
    assert value("${rating} = '5'", {"rating": "5.0"}) is False


def test_dates_compare_by_day_and_today():
    today = timezone.localdate()
    assert value(". <= today()", current=today.isoformat()) is True
    assert value(". <= today()", current=(today + dt.timedelta(days=1)).isoformat()) is False
    assert value("${d} > '2020-01-01'", {"d": "2024-05-01"}) is True


def test_division_by_zero_does_not_crash():
    assert value("1 div 0") == float("inf")
    assert value("0 div 0") != value("0 div 0")  # NaN
    assert value("5 mod 0") != value("5 mod 0")


@pytest.mark.parametrize(
    "source",
    [
        "pulldata('x', 'y', 'z', 'w')",
        "/data/age > 3",
        "${a} = ",
        "(1 + 2",
        "__import__('os')",
        "selected(${a})",
        "1 ; 2",
    ],
)
def test_unsupported_expressions_are_refused_at_compile_time(source):
    with pytest.raises(UnsupportedExpression):
        compile_expression(source)


def test_unsupported_conditions_are_not_checkable_and_never_block():
    assert is_relevant("pulldata('a', 'b', 'c', 'd') = 1", {}) is True
    assert satisfies_constraint("jr:choice-name(., 'x') = 'y'", {}, "anything") is True
    assert referenced_names("pulldata(${a})") == frozenset()


def test_blank_conditions_always_hold():
    assert is_relevant("", {}) is True
    assert satisfies_constraint("  ", {}, "x") is True
