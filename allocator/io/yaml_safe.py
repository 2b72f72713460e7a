"""YAML read safely: no duplicate keys, keys as written, and a cap on alias expansion and string length.

PyYAML keeps the last of two equal keys without a word, turns a key ``null`` into None and ``2021`` into
an int, and lets a 1 KB alias bomb expand into billions of nodes for whoever walks the result. Here a
duplicate key is an error naming both lines, every scalar key is the text as written (ids stay text), and
the document is measured with every alias expanded before anything is built from it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import yaml

from ..errors import DataError
from ..limits import MAX_CELL_CHARS, MAX_YAML_NODES

_MERGE = "tag:yaml.org,2002:merge"


class YamlSyntaxError(DataError):
    """Text that is not YAML at all (a --set value may then be taken as plain text)."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser where installed: 5x faster
    label = "YAML"

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, f"expected a mapping, found {node.id}", node.start_mark)
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
                continue
            line = key_node.start_mark.line + 1
            if key_node.value in seen:
                raise DataError(
                    f"{self.label}: key '{key_node.value}' appears twice in one mapping (lines {seen[key_node.value]} and {line}); keep one"
                )
            seen[key_node.value] = line
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                raise DataError(f"{self.label} line {key_node.start_mark.line + 1}: a key must be a single value")
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _measure(root: yaml.Node, label: str) -> None:
    """Count the nodes of the document with every alias expanded; refuse it beyond the limit or with a long string."""
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            total = 1 + sum(size[id(c)] for c in _children(node))
            if total > MAX_YAML_NODES:
                raise DataError(
                    f"{label}: the document expands to more than {MAX_YAML_NODES:,} values (aliases repeating aliases); not a scenario"
                )
            size[key] = total
            continue
        if key in size:
            continue
        if key in open_:
            raise DataError(f"{label} line {node.start_mark.line + 1}: an alias refers to a value that contains it")
        if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_CELL_CHARS:
            raise DataError(
                f"{label} line {node.start_mark.line + 1}: a text of {len(node.value):,} characters; the limit is {MAX_CELL_CHARS:,}"
            )
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def load_yaml(text: str, label: str) -> Any:
    """One YAML document as Python data (see the module docstring); DataError naming ``label`` otherwise."""
    loader = None
    try:
        loader = _Loader(text)  # the reader already refuses control characters here
        loader.label = label
        node = loader.get_single_node()
        if node is None:
            return None
        _measure(node, label)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"{label}: not valid YAML: {exc}") from None
    except RecursionError:
        raise DataError(f"{label}: nested too deeply to be a scenario") from None
    finally:
        if loader is not None:
            loader.dispose()
