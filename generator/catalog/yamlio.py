"""Read YAML files so that every value can be traced back to its line.

Mappings come back as `LineDict` (knows its own line and the line of each
key), sequences as `LineList` (knows its own line and the line of each item).
Every problem with a file is returned as a `Problem`, never raised: bad
UTF-8, tabs, syntax errors, duplicate keys, impossible dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from generator.errors import Problem

BOM = b"\xef\xbb\xbf"
SYNTAX_HINT = "check indentation and quoting near here"
# The largest document (weifang-2021, 191 measures) is under 200 kB: a file 25 times that is a mistake
# (a pasted log, a file appended to itself) and would only slow every build down.
MAX_BYTES = 5 * 1024 * 1024
TAB_MESSAGE = "tab character in the indentation: YAML indents with spaces only; replace the tab with spaces"


_CONFLICT = re.compile(r"^(?:<{7}|>{7})(?: |$)", re.MULTILINE)


class LineDict(dict):
    """A mapping that knows its own 1-based line and the line of each key."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that knows its own 1-based line and the line of each item."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class Invalid:
    """Stands in for a scalar whose problem has already been reported (an impossible date)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Invalid({self.text!r})"


class _Loader(yaml.SafeLoader):
    """SafeLoader that records line numbers and reports instead of raising where it can."""

    def __init__(self, text: str, path: str, problems: list[Problem]) -> None:
        super().__init__(text)
        self.path = path
        self.problems = problems

    def report(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, _line(node), message))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Iterator[LineDict]:
    data = LineDict(_line(node))
    yield data
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):
            loader.report(key_node, "a key must be a plain word, not a list or mapping")
            continue
        if key in data:
            loader.report(key_node, f"duplicate key '{key}' (first at line {data.key_lines[key]})")
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = _line(key_node)


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Iterator[LineList]:
    data = LineList(_line(node))
    yield data
    for item_node in node.value:
        data.append(loader.construct_object(item_node, deep=True))
        data.item_lines.append(_line(item_node))


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> dt.date | Invalid:
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        loader.report(node, f"impossible date '{node.value}'")
        return Invalid(node.value)


_FastLoader = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """The same loader on libyaml's parser: about ten times faster, same nodes and marks. Used first;
        any file it finds a problem in is parsed again by _Loader, so every message stays the same."""

        def __init__(self, text: str, path: str, problems: list[Problem]) -> None:
            super().__init__(text)
            self.path = path
            self.problems = problems

        report = _Loader.report


for _loader_class in (_Loader, _FastLoader):
    if _loader_class is not None:
        _loader_class.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
        _loader_class.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
        _loader_class.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_bytes(path: Path, shown: str) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or (None, the problem): unreadable, or larger than MAX_BYTES."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, Problem(shown, None, f"file is too large: {size / 2**20:.1f} MB, over the limit of "
                                 f"{MAX_BYTES // 2**20} MB for one catalogue file (pasted twice? a log?); shorten it")
        return path.read_bytes(), None
    except OSError as err:
        return None, Problem(shown, None, f"cannot read the file: {err.strerror}")


def read_yaml(path: Path, shown: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML file. Returns (data, problems); data is None when the file could not be parsed.

    `shown` is the path as messages name it. Problems that leave the data
    usable (duplicate keys, impossible dates) come with the data.
    """
    raw, problem = read_bytes(path, shown)
    return (None, [problem]) if raw is None else parse_yaml(raw, shown)


def parse_yaml(raw: bytes, shown: str) -> tuple[Any, list[Problem]]:
    """`read_yaml` of a file's bytes: a function of `raw` and `shown` alone."""
    text, problem = _decode(raw, shown)
    if problem:
        return None, [problem]
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return None, [Problem(shown, line, "unresolved merge conflict (a line starting with <<<<<<<, ======= or >>>>>>>): "
                                           "keep one side, delete the markers")]
    if _FastLoader is not None:
        fast: list[Problem] = []
        try:
            loader = _FastLoader(text, shown, fast)
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
            if not fast:
                return data, []
        except yaml.YAMLError:
            pass  # parsed again below, for the exact message
    problems: list[Problem] = []
    try:
        loader = _Loader(text, shown, problems)
        try:
            return loader.get_single_data(), problems
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as err:
        return None, [*problems, _reader_problem(err, text, shown)]
    except yaml.YAMLError as err:
        return None, [*problems, _syntax_problem(err, text, shown)]


def read_mapping(path: Path, shown: str, expected: str) -> tuple[LineDict | None, list[Problem]]:
    """Parse a YAML file whose top level must be a mapping; `expected` says what it should hold."""
    raw, problem = read_bytes(path, shown)
    return (None, [problem]) if raw is None else parse_mapping(raw, shown, expected)


def parse_mapping(raw: bytes, shown: str, expected: str) -> tuple[LineDict | None, list[Problem]]:
    """`read_mapping` of a file's bytes: a function of its three arguments alone."""
    data, problems = parse_yaml(raw, shown)
    if data is None and not problems:
        return None, [Problem(shown, None, f"file is empty: expected {expected}")]
    if data is not None and not isinstance(data, LineDict):
        line = data.line if isinstance(data, LineList) else 1
        return None, [*problems, Problem(shown, line, f"the top level must be {expected}, got {describe(data)}")]
    return data, problems


def describe(value: Any) -> str:
    """What kind of YAML value this is, for messages: "a string", "a list", …"""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dt.datetime):
        return "a date with a time"
    kinds = [(str, "a string"), (int, "an integer"), (float, "a number"), (dt.date, "a date"),
             (list, "a list"), (dict, "a mapping"), (Invalid, "an impossible date")]
    return next((name for kind, name in kinds if isinstance(value, kind)), type(value).__name__)


def _decode(raw: bytes, shown: str) -> tuple[str, Problem | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", Problem(shown, 1, "the file is saved as UTF-16 (\"Unicode\" in some editors): save it as UTF-8")
    start = len(BOM) if raw.startswith(BOM) else 0
    try:
        # A BOM inside the file (one file pasted into another) would glue itself to a key or value;
        # `check` reports where it was (generator/lookalikes.py), the data is read without it.
        return raw[start:].decode("utf-8").replace("\ufeff", ""), None
    except UnicodeDecodeError as err:
        bad = start + err.start
        line = raw.count(b"\n", 0, bad) + 1
        column = bad - raw.rfind(b"\n", 0, bad)
        message = f"not valid UTF-8 (byte 0x{raw[bad]:02x} at column {column}): save the file as UTF-8"
        return "", Problem(shown, line, message)


def _reader_problem(err: yaml.reader.ReaderError, text: str, shown: str) -> Problem:
    line = text.count("\n", 0, err.position) + 1
    return Problem(shown, line, f"control character #x{err.character:04x} is not allowed in YAML: remove it")


def _syntax_problem(err: yaml.YAMLError, text: str, shown: str) -> Problem:
    mark = getattr(err, "problem_mark", None)
    line = mark.line + 1 if mark else None
    tab_line = _first_tab_indented_line(text, line)
    if tab_line:
        return Problem(shown, tab_line, TAB_MESSAGE)
    message = f"YAML syntax error: {getattr(err, 'problem', None) or err}"
    context, context_mark = getattr(err, "context", None), getattr(err, "context_mark", None)
    if context and context_mark:
        message += f" ({context} at line {context_mark.line + 1})"
    return Problem(shown, line, f"{message}; {SYNTAX_HINT}")


def _first_tab_indented_line(text: str, last_line: int | None) -> int | None:
    """The first line up to `last_line` whose indentation holds a tab."""
    for number, line in enumerate(text.splitlines()[:last_line], 1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return number
    return None
