"""A safe evaluator of the XLSForm (XPath 1.0) subset used in `relevant` and `constraint`.

Supported: `${name}` references, `.` (the question's own value), string and number
literals, `= != < <= > >=`, `+ - * div mod`, unary minus, `and`, `or`, parentheses,
and the functions in FUNCTIONS (selected, count-selected, string-length, regex, if,
today, coalesce, not, true, false, number, string, int, concat, contains,
starts-with). Nothing is ever passed to Python's eval(): a tokenizer and a
recursive-descent parser build a tree of tuples that `_evaluate` walks.

An expression outside this subset (an unknown function, XPath paths, a syntax
error) raises `UnsupportedExpression` when compiled. Callers treat such a
condition as "not checkable": `is_relevant` says the question is shown and
`satisfies_constraint` accepts the value, so the web form never blocks a respondent
because of a condition Kopiena cannot read; the answer is kept as given.

Values follow XPath 1.0 as ODK applies it: an answer is a string (a
select_multiple is its choice names separated by spaces), a blank answer is "";
`=` compares as booleans if either side is one, else as numbers if either side
is a number, else as strings; `<` and friends compare as numbers, where a date
(`YYYY-MM-DD`) counts as days since 1970-01-01. The JavaScript port in
`static/surveys/form.js` follows the same rules, so live skip logic in the
browser and the server's re-check agree.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from django.utils import timezone


class UnsupportedExpression(ValueError):
    """The expression is outside the subset Kopiena can check."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][\w.\-]*)\s*\})
      | (?P<number>\d+(?:\.\d*)?|\.\d+)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
      | (?P<name>[A-Za-z_][\w\-]*(?::[A-Za-z_][\w\-]*)?)
      | (?P<dot>\.)
    )""",
    re.VERBOSE,
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_EPOCH = dt.date(1970, 1, 1)
# Inputs come from the public; a constraint's regex only ever sees a bounded string.
_REGEX_INPUT_LIMIT = 10_000


def _tokenize(source: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    source = source.strip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            raise UnsupportedExpression(f"unexpected {source[position : position + 10]!r}")
        position = match.end()
        if match.group("ref"):
            tokens.append(("ref", match.group("refname")))
        elif match.group("number") is not None:
            tokens.append(("number", match.group("number")))
        elif match.group("string") is not None:
            tokens.append(("string", match.group("string")[1:-1]))
        elif match.group("op"):
            tokens.append(("op", match.group("op")))
        elif match.group("name"):
            word = match.group("name")
            kind = "op" if word in ("and", "or", "div", "mod") else "name"
            tokens.append((kind, word))
        else:
            tokens.append(("dot", "."))
    return tokens


class _Parser:
    """Recursive descent, lowest precedence first: or, and, equality, relational,
    additive, multiplicative, unary, primary."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise UnsupportedExpression("unexpected end")
        self.index += 1
        return token

    def accept(self, *ops: str) -> str | None:
        token = self.peek()
        if token and token[0] == "op" and token[1] in ops:
            self.index += 1
            return token[1]
        return None

    def parse(self) -> tuple:
        tree = self.binary(0)
        if self.peek() is not None:
            raise UnsupportedExpression(f"unexpected {self.peek()[1]!r}")
        return tree

    LEVELS = (
        ("or",),
        ("and",),
        ("=", "!="),
        ("<", "<=", ">", ">="),
        ("+", "-"),
        ("*", "div", "mod"),
    )

    def binary(self, level: int) -> tuple:
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while (op := self.accept(*self.LEVELS[level])) is not None:
            left = ("binary", op, left, self.binary(level + 1))
        return left

    def unary(self) -> tuple:
        if self.accept("-"):
            return ("negate", self.unary())
        return self.primary()

    def primary(self) -> tuple:
        kind, text = self.take()
        if kind == "ref":
            return ("ref", text)
        if kind == "dot":
            return ("current",)
        if kind == "number":
            return ("literal", float(text))
        if kind == "string":
            return ("literal", text)
        if kind == "op" and text == "(":
            inner = self.binary(0)
            if not self.accept(")"):
                raise UnsupportedExpression("missing )")
            return inner
        if kind == "name" and self.accept("("):
            if text not in FUNCTIONS:
                raise UnsupportedExpression(f"unknown function {text}()")
            arguments: list[tuple] = []
            if not self.accept(")"):
                arguments.append(self.binary(0))
                while self.accept(","):
                    arguments.append(self.binary(0))
                if not self.accept(")"):
                    raise UnsupportedExpression("missing )")
            low, high = FUNCTION_ARITY[text]
            if not low <= len(arguments) <= high:
                raise UnsupportedExpression(f"{text}() takes {low}–{high} arguments")
            return ("call", text, tuple(arguments))
        raise UnsupportedExpression(f"unexpected {text!r}")


# --- XPath value conversions -------------------------------------------------------


def to_string(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (list, tuple)):
        return " ".join(to_string(item) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_number(value: object) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.date):
        return float((value - _EPOCH).days)
    text = to_string(value).strip()
    if _DATE.match(text):
        try:
            return float((dt.date.fromisoformat(text[:10]) - _EPOCH).days)
        except ValueError:
            return math.nan
    try:
        return float(text)
    except ValueError:
        return math.nan


def to_boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return not (value == 0 or math.isnan(value))
    return bool(to_string(value))


def _tokens(value: object) -> list[str]:
    return to_string(value).split()


def _compare(op: str, left: object, right: object) -> bool:
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = to_boolean(left) == to_boolean(right)
        elif isinstance(left, float) or isinstance(right, float):
            equal = to_number(left) == to_number(right)
        else:
            equal = to_string(left) == to_string(right)
        return equal if op == "=" else not equal
    a, b = to_number(left), to_number(right)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _arithmetic(op: str, left: object, right: object) -> float:
    a, b = to_number(left), to_number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0 or math.isnan(a) or math.isnan(b):
        if op == "div" and b == 0 and not math.isnan(a) and a != 0:
            return math.copysign(math.inf, a)
        return math.nan
    return a / b if op == "div" else math.fmod(a, b)


def _regex(value: object, pattern: object) -> bool:
    try:
        return re.search(to_string(pattern), to_string(value)[:_REGEX_INPUT_LIMIT]) is not None
    except re.error:
        raise UnsupportedExpression(f"bad regex {pattern!r}") from None


def _int(value: object) -> float:
    number = to_number(value)
    return number if math.isnan(number) or math.isinf(number) else float(math.trunc(number))


FUNCTIONS: dict[str, Callable[..., object]] = {
    "selected": lambda value, choice: to_string(choice).strip() in _tokens(value),
    "count-selected": lambda value: float(len(_tokens(value))),
    "string-length": lambda value: float(len(to_string(value))),
    "regex": _regex,
    "if": None,  # evaluated lazily in _evaluate
    "today": lambda: timezone.localdate().isoformat(),
    "coalesce": lambda first, second: first if to_string(first) else second,
    "not": lambda value: not to_boolean(value),
    "true": lambda: True,
    "false": lambda: False,
    "number": to_number,
    "string": to_string,
    "int": _int,
    "concat": lambda *values: "".join(to_string(value) for value in values),
    "contains": lambda haystack, needle: to_string(needle) in to_string(haystack),
    "starts-with": lambda text, prefix: to_string(text).startswith(to_string(prefix)),
}
FUNCTION_ARITY: dict[str, tuple[int, int]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "regex": (2, 2),
    "if": (3, 3),
    "today": (0, 0),
    "coalesce": (2, 2),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "number": (1, 1),
    "string": (1, 1),
    "int": (1, 1),
    "concat": (1, 20),
    "contains": (2, 2),
    "starts-with": (2, 2),
}


def _evaluate(node: tuple, values: Mapping[str, object], current: object) -> object:
    kind = node[0]
    if kind == "literal":
        return node[1]
    if kind == "ref":
        value = values.get(node[1])
        return "" if value is None else value
    if kind == "current":
        return "" if current is None else current
    if kind == "negate":
        return -to_number(_evaluate(node[1], values, current))
    if kind == "binary":
        op, left_node, right_node = node[1], node[2], node[3]
        if op == "and":
            return to_boolean(_evaluate(left_node, values, current)) and to_boolean(
                _evaluate(right_node, values, current)
            )
        if op == "or":
            return to_boolean(_evaluate(left_node, values, current)) or to_boolean(
                _evaluate(right_node, values, current)
            )
        left = _evaluate(left_node, values, current)
        right = _evaluate(right_node, values, current)
        if op in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(op, left, right)
        return _arithmetic(op, left, right)
    # A function call.
    name, arguments = node[1], node[2]
    if name == "if":
        condition = to_boolean(_evaluate(arguments[0], values, current))
        return _evaluate(arguments[1 if condition else 2], values, current)
    return FUNCTIONS[name](*(_evaluate(argument, values, current) for argument in arguments))


class Expression:
    """A compiled condition; `names` are the questions it refers to."""

    __slots__ = ("source", "tree", "names")

    def __init__(self, source: str, tree: tuple, names: frozenset[str]):
        self.source = source
        self.tree = tree
        self.names = names

    def evaluate(self, values: Mapping[str, object], current: object = None) -> object:
        return _evaluate(self.tree, values, current)


@lru_cache(maxsize=4096)
def compile_expression(source: str) -> Expression:
    """Parse once; raises UnsupportedExpression outside the supported subset."""
    tokens = _tokenize(source)
    if not tokens:
        raise UnsupportedExpression("empty expression")
    tree = _Parser(tokens).parse()
    names = frozenset(text for kind, text in tokens if kind == "ref")
    return Expression(source, tree, names)


def referenced_names(source: str) -> frozenset[str]:
    """The questions an expression refers to; empty for a blank or unsupported one."""
    if not source.strip():
        return frozenset()
    try:
        return compile_expression(source).names
    except UnsupportedExpression:
        return frozenset()


def is_relevant(source: str, values: Mapping[str, object]) -> bool:
    """A blank or unsupported condition shows the question."""
    if not source.strip():
        return True
    try:
        return to_boolean(compile_expression(source).evaluate(values))
    except UnsupportedExpression:
        return True


def satisfies_constraint(source: str, values: Mapping[str, object], current: object) -> bool:
    """A blank or unsupported constraint accepts the value."""
    if not source.strip():
        return True
    try:
        return to_boolean(compile_expression(source).evaluate(values, current))
    except UnsupportedExpression:
        return True
