"""Bounds on the shape of a parsed document: nesting depth, expanded size, alias cycles.

A scenario document nests about eight levels deep. A file nested a thousand levels (of
brackets, say) would exhaust Python's recursion while it is built or checked, and a few YAML
aliases that refer to each other can expand into billions of values (an "alias bomb"); both
are refused before the document is built, with the line where it happens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

from detente.errors import InputError

#: Deepest nesting of lists and mappings a document may have.
MAX_DEPTH = 64
#: Most values a document may hold once its YAML aliases are expanded.
MAX_VALUES = 2_000_000

_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep(file: str, line: int | None) -> InputError:
    return InputError(f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                      file=file, line=line,
                      hint="a scenario nests about eight levels; look for unclosed or "
                           "repeated brackets")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def check_yaml_tree(root: yaml.Node | None, file: str) -> None:
    """Refuse a node tree nested deeper than :data:`MAX_DEPTH`, expanding to more than
    :data:`MAX_VALUES` values, or holding an alias that contains itself.

    Aliases make the tree a graph whose shared nodes are counted once per use, as the
    document built from it holds them; the walk visits each node once (no recursion).
    """
    if root is None or isinstance(root, yaml.ScalarNode):
        return
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    scalar = yaml.ScalarNode
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total, deepest = 1, 0
            for c in _children(node):
                if isinstance(c, scalar):
                    total += 1
                else:
                    total += size[id(c)]
                    deepest = max(deepest, depth[id(c)])
            size[key], depth[key] = total, deepest + 1
            if deepest + 1 > MAX_DEPTH:
                raise _too_deep(file, node.start_mark.line + 1)
            if total > MAX_VALUES:
                raise InputError(
                    f"aliases expand the document to more than {MAX_VALUES:,} values",
                    file=file, line=node.start_mark.line + 1,
                    hint="a YAML alias (*name) repeats what its anchor (&name) holds; "
                         "write the values out instead of nesting aliases")
            continue
        if key in size:
            continue
        if key in on_path:
            raise InputError("a YAML alias refers to a value that contains it", file=file,
                             line=node.start_mark.line + 1,
                             hint="an alias (*name) must not sit inside the value its anchor "
                                  "(&name) names")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node)
                     if not isinstance(c, scalar) and id(c) not in size)


def check_depth(data: Any, file: str, text: str) -> None:
    """Refuse parsed JSON nested deeper than :data:`MAX_DEPTH` (line found in ``text``)."""
    level: list[tuple[Any, int]] = [(data, 1)]
    while level:
        value, d = level.pop()
        if d > MAX_DEPTH:
            raise _too_deep(file, json_depth_line(text))
        items: Iterable[Any] = (
            value.values() if isinstance(value, dict)
            else value if isinstance(value, list) else ())
        level.extend((v, d + 1) for v in items if isinstance(v, dict | list))


def json_depth_line(text: str) -> int | None:
    """The line of JSON text where brackets first nest deeper than :data:`MAX_DEPTH`."""
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, m.start()) + 1
        elif token in "]}":
            depth -= 1
    return None
