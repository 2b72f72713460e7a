"""What-if overrides: ``PATH=VALUE`` edits of a scenario's nested form, checked against the schema.

Paths are dotted, as a user reads the scenario: ``budget.increment.2023=800``,
``indicators.kunpeng_hire.target_year=2023``, ``initiatives.joint_programs.unit_cost*=1.2`` (scale),
``policy.floors.C=0.9``. Unknown paths, non-numeric scaling and two overrides of the same key are errors
that name the override; every applied edit is listed (with the value it replaced) for the run manifest.
"""

from __future__ import annotations

import logging
import re
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from models import Scenario

from .errors import OverrideError
from .io.yaml_safe import YamlSyntaxError, load_yaml

logger = logging.getLogger(__name__)

Op = Literal["=", "*=", "+="]
_SET_RE = re.compile(r"^\s*(?P<path>[^=*+\s]+)\s*(?P<op>\*=|\+=|=)\s*(?P<value>.*)$", re.S)


@dataclass(frozen=True)
class Override:
    """One edit: a path, an operation (set, scale or add) and a value, with where it was asked for."""

    path: tuple[str, ...]
    op: Op
    value: Any
    origin: str

    @property
    def dotted(self) -> str:
        """The path as the user wrote it."""
        return ".".join(self.path)

    def __str__(self) -> str:
        return f"{self.dotted}{self.op}{self.value} ({self.origin})"


def parse_value(text: str, origin: str = "--set") -> Any:
    """Read a value as YAML does (800 -> int, 0.9 -> float, true -> bool, anything else a string)."""
    try:
        return load_yaml(text, origin) if text.strip() else ""
    except YamlSyntaxError:
        return text


def parse_set(text: str, origin: str = "--set") -> Override:
    """Parse ``PATH=VALUE``, ``PATH*=FACTOR`` or ``PATH+=DELTA``."""
    m = _SET_RE.match(text)
    if not m or not m.group("path"):
        raise OverrideError(f"{origin} '{text}': expected PATH=VALUE, PATH*=FACTOR or PATH+=DELTA (e.g. budget.increment.2023=800)")
    path = tuple(p for p in m.group("path").split("."))
    if any(not p for p in path):
        raise OverrideError(f"{origin} '{text}': empty part in path '{m.group('path')}'")
    return Override(path, m.group("op"), parse_value(m.group("value"), origin), f"{origin} {text.strip()}")  # type: ignore[arg-type]


def overrides_from_mapping(mapping: Any, origin: str) -> list[Override]:
    """Overrides from a YAML mapping: dotted keys, nested mappings, or keys ending in ``*``/``+`` to scale/add."""
    if not isinstance(mapping, dict):
        raise OverrideError(f"{origin}: expected a mapping of PATH: VALUE, got {type(mapping).__name__}")
    out: list[Override] = []

    def walk(node: dict, prefix: tuple[str, ...]) -> None:
        for key, value in node.items():
            text = str(key)
            op: Op = "="
            if text.endswith("*"):
                op, text = "*=", text[:-1]
            elif text.endswith("+"):
                op, text = "+=", text[:-1]
            path = prefix + tuple(text.split("."))
            if isinstance(value, dict) and op == "=" and value:
                walk(value, path)
            else:
                out.append(Override(path, op, value, f"{origin} {'.'.join(path)}{op}{value}"))

    walk(mapping, ())
    return out


def overrides_from_items(items: Any, named: dict[str, Any], origin: str) -> list[Override]:
    """Resolve a named scenario's list: each item names an override block or is an inline ``PATH=VALUE``."""
    if not isinstance(items, list):
        raise OverrideError(f"{origin}: a scenario is a list of override names or PATH=VALUE strings")
    out: list[Override] = []
    for item in items:
        if isinstance(item, dict):
            out += overrides_from_mapping(item, origin)
        elif isinstance(item, str) and item in named:
            out += overrides_from_mapping(named[item], f"{origin} (override '{item}')")
        elif isinstance(item, str) and re.search(r"[*+]?=", item):
            out.append(parse_set(item, origin))
        else:
            known = ", ".join(sorted(named)) or "none defined"
            raise OverrideError(f"{origin}: unknown override '{item}' (known overrides: {known})")
    return out


# ---------------------------------------------------------------------------------------------
# checking a path against the schema
# ---------------------------------------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional wrappers down to the meaningful type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _step(annotation: Any, key: str, where: str) -> tuple[Any, str]:
    """Type reached by one more path step, and what kind of container it was stepped from."""
    ann = _unwrap(annotation)
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        if key not in ann.model_fields:
            fields = ", ".join(ann.model_fields)
            raise KeyError(f"'{key}' is not a field of {where} (fields: {fields})")
        return ann.model_fields[key].annotation, "model"
    origin = typing.get_origin(ann)
    if origin is dict:
        return typing.get_args(ann)[1], "dict"
    if origin is tuple or origin is list:
        if not key.isdigit():
            raise KeyError(f"'{key}' must be a position (0, 1, ...) in the list {where}")
        return typing.get_args(ann)[0], "list"
    raise KeyError(f"{where} is a single value; it has no part '{key}'")


def _is_model(annotation: Any) -> bool:
    ann = _unwrap(annotation)
    return isinstance(ann, type) and issubclass(ann, BaseModel)


def _find_key(node: dict, key: str) -> Any:
    """The actual key in ``node`` that spells ``key`` (years may be ints in YAML and strings in CSV)."""
    for k in node:
        if str(k) == key:
            return k
    return None


def _numeric(value: Any, override: Override, what: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise OverrideError(f"{override.origin}: {what} '{value}' is not a number") from None


def apply_one(data: dict, override: Override, model: type[BaseModel] = Scenario) -> dict[str, Any]:
    """Apply one override in place; return a record of the change (path, op, value, old, new, origin)."""
    annotation: Any = model
    node: Any = data
    where = model.__name__
    for depth, key in enumerate(override.path):
        try:
            annotation, container = _step(annotation, key, where)
        except KeyError as exc:
            raise OverrideError(f"{override.origin}: unknown path '{override.dotted}': {exc.args[0]}") from None
        last = depth == len(override.path) - 1
        if container == "list":
            idx = int(key)
            if not isinstance(node, list) or idx >= len(node):
                raise OverrideError(f"{override.origin}: unknown path '{override.dotted}': {where} has no item {idx}")
            if last:
                return _assign(node, idx, override)
            node, where = node[idx], f"{where}.{key}"
            continue
        actual = _find_key(node, key) if isinstance(node, dict) else None
        if actual is None:
            if container == "dict" and _is_model(annotation):
                known = ", ".join(sorted(str(k) for k in node)) if isinstance(node, dict) else ""
                raise OverrideError(f"{override.origin}: unknown path '{override.dotted}': no '{key}' in {where} (known: {known})")
            if not last and container == "model" and _is_model(annotation):
                node.setdefault(key, {})
                actual = key
            elif not last:
                node[key] = {}
                actual = key
            else:
                actual = key
        if last:
            return _assign(node, actual, override)
        node, where = node[actual], f"{where}.{key}" if depth else key


def _assign(node: Any, key: Any, override: Override) -> dict[str, Any]:
    old = node[key] if (isinstance(node, list) or key in node) else None
    if override.op == "=":
        new = override.value
    else:
        if old is None or old == "":
            raise OverrideError(f"{override.origin}: '{override.dotted}' has no value to {'scale' if override.op == '*=' else 'add to'}")
        base = _numeric(old, override, "current value")
        amount = _numeric(override.value, override, "factor" if override.op == "*=" else "amount")
        new = base * amount if override.op == "*=" else base + amount
    node[key] = new
    logger.debug("override %s: %r -> %r", override.dotted, old, new)
    return {"path": override.dotted, "op": override.op, "value": override.value, "old": old, "new": new, "origin": override.origin}


def overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two paths edit the same key (equal, or one lies inside the other)."""
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def check_conflicts(overrides: list[Override]) -> None:
    """Two overrides of the same key (or one of a key and one inside it) are an error naming both."""
    seen: dict[tuple[str, ...], Override] = {}
    for ov in overrides:
        for path, other in seen.items():
            if overlaps(path, ov.path):
                raise OverrideError(f"conflicting overrides of '{ov.dotted}': {other.origin} and {ov.origin}")
        seen[ov.path] = ov


def apply_overrides(data: dict, overrides: list[Override], model: type[BaseModel] = Scenario) -> list[dict[str, Any]]:
    """Apply overrides in order to a scenario's nested form (in place), after checking they do not conflict."""
    check_conflicts(overrides)
    return [apply_one(data, ov, model) for ov in overrides]
