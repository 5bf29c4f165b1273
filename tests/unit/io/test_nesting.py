"""Bounds on a document's shape: depth, alias expansion, alias cycles."""

from __future__ import annotations

import pytest
import yaml

from detente.errors import InputError
from detente.io.nesting import MAX_DEPTH, check_depth, check_yaml_tree, json_depth_line


def _tree(text: str) -> yaml.Node:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert node is not None
    return node


def test_depth_limit_is_exact() -> None:
    check_yaml_tree(_tree("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)), "f")
    with pytest.raises(InputError, match=f"more than {MAX_DEPTH}") as err:
        check_yaml_tree(_tree("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH), "f")
    assert err.value.line == 1
    check_depth([[]], "f", "[[]]")
    deep: list[object] = []
    for _ in range(MAX_DEPTH):
        deep = [deep]
    with pytest.raises(InputError, match="nested"):
        check_depth(deep, "f", "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_json_depth_line_skips_brackets_in_strings() -> None:
    text = '{"a": "[[[[[[",\n"b": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}"
    assert json_depth_line(text) == 2


def test_shared_aliases_are_counted_per_use() -> None:
    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n"
        for p, c in zip("abcdef", "bcdefg", strict=True))
    with pytest.raises(InputError, match="aliases expand") as err:
        check_yaml_tree(_tree(bomb), "f")
    assert err.value.line is not None
    check_yaml_tree(_tree("a: &a [1, 2]\nb: *a\nc: *a\n"), "f")  # ordinary reuse is fine


def test_alias_cycle() -> None:
    with pytest.raises(InputError, match="contains it"):
        check_yaml_tree(_tree("a: &a [1, *a]\n"), "f")
