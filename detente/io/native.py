"""detente's own formats: YAML (written by people) and JSON (written by programs)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from detente.errors import InputError, Loc
from detente.io.document import Locator, document_from_scenario, scenario_from_document
from detente.io.nesting import MAX_DEPTH, check_depth, check_yaml_tree, json_depth_line
from detente.scenario import Scenario

#: PyYAML's C parser where it was built with libyaml (several times faster), else Python's.
_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictConstructor(yaml.constructor.SafeConstructor):
    """SafeConstructor that refuses duplicate mapping keys (PyYAML silently keeps the last),
    and reports a value its constructor cannot build (a date such as 2024-13-45) with its
    line instead of a ValueError."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise InputError(f"cannot read the value {str(node.value)[:80]!r}: {exc}",
                             line=node.start_mark.line + 1,
                             hint="dates are YYYY-MM-DD; quote text that only looks like "
                                  "a date or number") from None


def _construct_mapping(loader: _StrictConstructor, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
            raise InputError(f"a key is a {kind}; keys are plain names",
                             line=key_node.start_mark.line + 1,
                             hint="write 'name: value'; a '?' or brackets before the colon "
                                  "make the key a list or mapping")
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise InputError(
                f"key {key!r} appears twice in the same mapping "
                f"(first on line {seen[key] + 1})",
                line=key_node.start_mark.line + 1,
                hint="keep one",
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=True)


_StrictConstructor.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[type-var]  # the stubs expect a whole loader
)


def _compose(text: str) -> yaml.Node | None:
    """The YAML (or JSON) node tree, parsed once, with every node's line."""
    node: yaml.Node | None = yaml.compose(text, Loader=_PARSER)
    return node


def node_locator(root: yaml.Node | None) -> Locator:
    """A function from field path to line number, from a node tree."""

    def locate(loc: Loc) -> int | None:
        if root is None:
            return None
        node: yaml.Node = root
        line = None
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line

    return locate


def yaml_locator(text: str) -> Locator:
    """Like :func:`node_locator` for a text that is parsed only when a line is asked for."""
    root: list[yaml.Node | None] = []

    def locate(loc: Loc) -> int | None:
        if not root:
            try:
                root.append(_compose(text))
            except yaml.YAMLError:
                root.append(None)
        return node_locator(root[0])(loc)

    return locate


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        pairs: list[tuple[yaml.Node, yaml.Node]] = node.value
        for k, v in pairs:
            if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                return v
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        items: list[yaml.Node] = node.value
        return items[part] if 0 <= part < len(items) else None
    return None


def _yaml_problem(exc: yaml.YAMLError, file: str, text: str) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        # the reader stops at the first character YAML forbids (control characters, NUL);
        # its position counts bytes or characters depending on the parser, the character
        # itself is unambiguous
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        code = exc.character if isinstance(exc.character, int) else 0
        return InputError(
            f"not valid YAML: the character U+{code:04X} is not allowed (control "
            "characters and NUL cannot appear in YAML)",
            file=file, line=None if at < 0 else text.count("\n", 0, at) + 1,
            hint="delete it, or write it as an escape such as \\x07 inside double quotes")
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return InputError(
        f"not valid YAML: {problem}",
        file=file,
        line=None if mark is None else mark.line + 1,
        hint="check indentation, colons and quotes around that line",
    )


def read_yaml(path: Path, text: str, default_salience_scale: str | None = None) -> Scenario:
    file = str(path)
    try:
        root = _compose(text)
        check_yaml_tree(root, file)
        data = None if root is None else _StrictConstructor().construct_document(root)
    except InputError as exc:
        raise exc.at(file) from None
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, file, text) from None
    except RecursionError:  # Python's own parser, on nesting deeper than the stack allows
        raise InputError(f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                         file=file, hint="look for unclosed or repeated brackets") from None
    return scenario_from_document(
        data,
        file=file,
        locate=node_locator(root),
        default_salience_scale=default_salience_scale,
    )


class _LongNumber(Exception):
    def __init__(self, digits: str) -> None:
        self.digits = digits
        super().__init__(digits[:40])


def _integer(digits: str) -> int:
    """An integer of JSON text; Python refuses to convert more than 4,300 digits anyway."""
    if len(digits.lstrip("-")) > 40:
        raise _LongNumber(digits)
    return int(digits)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = v
    return out


def _duplicate_line(text: str, key: str) -> int | None:
    """The line where ``key`` repeats within one object of a JSON text."""
    try:
        root = _compose(text)
    except yaml.YAMLError:
        root = None
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            names = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
            keys = [k for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
            hits = [k for k, name in zip(keys, names, strict=True) if name == key]
            if len(hits) > 1:
                return int(hits[1].start_mark.line) + 1
            stack.extend(v for _, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    found = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
    return text.count("\n", 0, found[1]) + 1 if len(found) > 1 else None


def read_json(path: Path, text: str, default_salience_scale: str | None = None) -> Scenario:
    file = str(path)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_integer)
    except _LongNumber as exc:
        at = text.find(exc.digits[:40])
        raise InputError(f"a number of {len(exc.digits):,} digits", file=file,
                         line=text.count("\n", 0, at) + 1 if at >= 0 else None,
                         hint="numbers have at most 40 digits; check that line") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg}", file=file, line=exc.lineno, hint="check the syntax there"
        ) from None
    except _DuplicateKey as exc:
        raise InputError(f"key {exc.key!r} appears twice in the same object", file=file,
                         line=_duplicate_line(text, exc.key), hint="keep one") from None
    except RecursionError:
        raise InputError(f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                         file=file, line=json_depth_line(text),
                         hint="look for unclosed or repeated brackets") from None
    check_depth(data, file, text)
    return scenario_from_document(
        data, file=file, locate=yaml_locator(text), default_salience_scale=default_salience_scale
    )


def write_yaml(scenario: Scenario, salience_scale: str = "0-100") -> str:
    doc = document_from_scenario(scenario, salience_scale)
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def write_json(scenario: Scenario, salience_scale: str = "0-1") -> str:
    doc = document_from_scenario(scenario, salience_scale)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
