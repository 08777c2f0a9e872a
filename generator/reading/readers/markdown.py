"""Markdown articles with YAML (`---`) or TOML (`+++`) front matter."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from generator.reading.readers.parsed import Parsed

_FENCES = {"---": "yaml", "+++": "toml"}
MAX_DEPTH = 20  # front matter is a flat list of keys; lists of names nest once


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader (~10x faster on 20,000 front matters), with dates left as text.

    PyYAML turns `2022-01-08` into a date while loading, and raises on `2022-02-30`; as text it reaches our
    date reading, which reports it like any other unreadable date.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
_HEADING = re.compile(r"#\s+(.+?)\s*#*\s*$")


def parse_markdown(text: str) -> Parsed:
    lines = text.split("\n")
    fields: dict[str, Any] = {}
    field_lines: dict[str, int] = {}
    problems: list[tuple[int, str]] = []
    start = 0  # index of the first body line
    fence = lines[0].strip() if lines else ""
    if fence in _FENCES:
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in (fence, "...")), None)
        if end is None:
            problems.append((1, f"front matter opened with '{fence}' is never closed"))
        else:
            block = "\n".join(lines[1:end]) + "\n"
            fields, error = _load(_FENCES[fence], block)
            if error:
                problems.append(error)
            field_lines = _key_lines(lines[1:end])
            start = end + 1
    body_lines = lines[start:]
    given = fields.get("title")
    # A title of the wrong type is reported when the fields are checked; here it must not become the text.
    title = str(given).strip() if isinstance(given, str | int | float) and not isinstance(given, bool) else ""
    title_line = field_lines.get("title", 0)
    first = next((i for i, line in enumerate(body_lines) if line.strip()), None)
    if not title and first is not None and (m := _HEADING.match(body_lines[first].strip())):
        # A leading "# Heading" is the title; keeping it in the body would print it twice.
        title, title_line = m.group(1), start + first + 1
        body_lines = body_lines[first + 1 :]
        start += first + 1
        first = next((i for i, line in enumerate(body_lines) if line.strip()), None)
    body = "\n".join(body_lines).strip("\n")
    body_line = start + first + 1 if first is not None else 0
    return Parsed(title, title_line, body, body_line, fields, field_lines, tuple(problems))


def _load(kind: str, block: str) -> tuple[dict[str, Any], tuple[int, str] | None]:
    """Parse a front-matter block; errors carry the file line (the block starts on line 2)."""
    try:
        if kind == "yaml":
            refused = _refused_yaml(block)
            if refused:
                return {}, refused
            data = yaml.load(block, Loader=_Loader)
        else:
            refused = _refused_toml(block)
            if refused:
                return {}, refused
            data = tomllib.loads(block)
    except yaml.YAMLError as e:
        # The context mark is where the broken construct starts: the line a person has to fix.
        mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        return {}, (line, f"front matter is not valid YAML: {getattr(e, 'problem', None) or e}")
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        return {}, (int(m.group(1)) + 1 if m else 1, f"front matter is not valid TOML: {e}")
    except ValueError as e:  # a number of 5,000 digits: Python refuses to read it (int max_str_digits)
        return {}, (1, f"front matter cannot be read: {e}")
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, (2, f"front matter must be a mapping of keys to values, not {type(data).__name__}")
    return {str(k): v for k, v in data.items()}, None


def _refused_yaml(block: str) -> tuple[int, str] | None:
    """Aliases (the "billion laughs": a few lines that expand to gigabytes) and deep nesting, found from the
    parser's events before anything is built."""
    depth = 0
    for event in yaml.parse(block, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent | yaml.NodeEvent) and getattr(event, "anchor", None):
            line = event.start_mark.line + 2
            return line, "front matter uses YAML anchors or aliases (&name, *name); write the values out"
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 2, f"front matter nests deeper than {MAX_DEPTH} levels"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _refused_toml(block: str) -> tuple[int, str] | None:
    """Nesting deep enough to exhaust tomllib's recursion, counted on the brackets (a cheap upper bound)."""
    line = deepest(block, "[{", "]}")
    return None if line is None else (line + 1, f"front matter nests deeper than {MAX_DEPTH} levels")


def deepest(text: str, openers: str, closers: str, limit: int = MAX_DEPTH) -> int | None:
    """The line where brackets in `text` first nest past `limit` (strings not told apart: a bound, not a parse)."""
    depth = 0
    for i, char in enumerate(text):
        if char in openers:
            depth += 1
            if depth > limit:
                return text.count("\n", 0, i) + 1
        elif char in closers:
            depth = max(0, depth - 1)
    return None


def _key_lines(block: list[str]) -> dict[str, int]:
    """Top-level key -> file line, so a bad value can be reported where it is written."""
    found: dict[str, int] = {}
    for i, line in enumerate(block):
        m = re.match(r"([A-Za-z_][\w-]*)\s*[:=]", line)
        if m and m.group(1) not in found:
            found[m.group(1)] = i + 2
    return found
