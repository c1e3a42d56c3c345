"""Write a document as reviewable YAML, and tell whether a reviewer has changed it.

The importer writes a header with the digest of the YAML body it wrote. A file
whose body no longer has that digest was edited by a person: re-importing
must not overwrite it silently.
"""

from __future__ import annotations

import hashlib
import re

import yaml

_DIGEST = re.compile(r"^# import-digest: ([0-9a-f]{64})$", re.MULTILINE)


class _Flow(dict):
    """A mapping written on one line: {phrase: 6月底前, date: 2021-06-30}."""


class _FlowList(list):
    """A short list written on one line: [配套措施—开办企业]."""


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    """Text with line breaks (unit lines printed on their own lines) as a literal block."""
    style = "|" if "\n" in data and "\r" not in data and not data.startswith((" ", "\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))


def dump_document(doc: dict) -> str:
    """The YAML body of a document (no header)."""
    shaped = dict(doc)
    shaped["measures"] = [_shape(m) for m in doc["measures"]]
    return yaml.dump(shaped, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9)


def _shape(measure: dict) -> dict:
    out = dict(measure)
    out["section"] = _FlowList(measure["section"])
    if "deadlines" in out:
        out["deadlines"] = [_Flow(d) for d in measure["deadlines"]]
    if "tags" in out:
        out["tags"] = _FlowList(measure["tags"])
    return out


def digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


CONVERTED = "# converted: OpenCC t2s (the source is in traditional characters; this file is simplified)"


def with_header(body: str, source_path: str, source_digest: str, *, converted: bool = False) -> str:
    """The file's text: a comment header (provenance, digests, a conversion if any) and `body`."""
    option = " --simplified" if converted else ""
    return (
        f"# Imported from {source_path} by `python -m generator import{option} {source_path}`.\n"
        + (f"{CONVERTED}\n" if converted else "") +
        "# Review every measure against the source, then edit freely: this file is the\n"
        "# source of truth from now on, and re-importing will not overwrite your edits.\n"
        f"# source-digest: {source_digest}\n"
        f"# import-digest: {digest(body)}\n"
        f"{body}"
    )


def split_header(text: str) -> tuple[str | None, str]:
    """(digest the importer recorded, body) of an existing file."""
    match = _DIGEST.search(text)
    lines = text.splitlines(keepends=True)
    body_start = 0
    while body_start < len(lines) and lines[body_start].startswith("#"):
        body_start += 1
    return (match.group(1) if match else None), "".join(lines[body_start:])


def was_converted(text: str) -> bool:
    """True when the file's header records that its source was converted to simplified characters."""
    return any(line == CONVERTED for line in text.splitlines()[:8])


def edited_since_import(existing: str) -> bool:
    recorded, body = split_header(existing)
    return recorded is None or recorded != digest(body)
