"""Shared building blocks of the schema: the frozen base model and the id, money and year types."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

KEY_PATTERN = r"^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$"
"""Ids are plain identifiers because PuLP rewrites ``-+[] ->/`` in names (``a-1`` and ``a_1`` would collide),
and have no double or trailing underscore because model rows are named ``family__id__id``."""

Key = Annotated[
    str,
    StringConstraints(pattern=KEY_PATTERN, strip_whitespace=True),
    Field(description="Identifier: a letter, then letters, digits and single underscores (not at the end)."),
]
Year = Annotated[int, Field(ge=1990, le=2100, description="Calendar year.")]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False, description="Amount of money in the scenario's currency (万元 by default).")]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, description="A fraction between 0 and 1.")]
Grade = Annotated[str, StringConstraints(pattern=r"^[A-D]$"), Field(description="Performance grade A, B, C or D.")]


def _token(value: object) -> object:
    """A whole number as its text (YAML reads ``years: [2021, 2022]`` as numbers); anything else unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    return value


def _split_tokens(value: object) -> object:
    """Accept ``"a; b, c"``, a list, or one number: selectors are written as one spreadsheet cell."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(t for t in re.split(r"[;,\s]+", value.strip()) if t)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (_token(value),)
    if isinstance(value, (list, tuple)):
        return tuple(_token(v) for v in value)
    return value


Tokens = Annotated[tuple[str, ...], BeforeValidator(_split_tokens)]
"""A list written in one cell, separated by ``;``, ``,`` or spaces."""


def _blank_to_none(value: object) -> object:
    """Empty spreadsheet cells mean "not given", never zero."""
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, float) and value != value:  # NaN from pandas
        return None
    return value


OptionalFloat = Annotated[Annotated[float, Field(allow_inf_nan=False)] | None, BeforeValidator(_blank_to_none)]
OptionalNonNeg = Annotated[Annotated[float, Field(ge=0, allow_inf_nan=False)] | None, BeforeValidator(_blank_to_none)]
Priority = Annotated[int, Field(ge=1, le=1000, strict=False, description="Priority level: 1 is solved first.")]
OptionalPriority = Annotated[Priority | None, BeforeValidator(_blank_to_none)]
OptionalYear = Annotated[Annotated[int, Field(ge=1990, le=2100)] | None, BeforeValidator(_blank_to_none)]


class FrozenModel(BaseModel):
    """Immutable model that rejects unknown fields, so a typo is an error rather than a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, validate_default=True)
