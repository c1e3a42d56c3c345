"""Old versions of document files, for the change log: each measure's id, title and a digest of its fields.

The publish stage reads the catalogue's git history and hands the text of each
version of a document file here; only this package reads catalogue files. Old
versions are not validated (they were, when they were current): a version that
no longer parses counts as holding no measures.
"""

from __future__ import annotations

import hashlib
import json

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def measure_digests(text: str) -> dict[str, tuple[str, str, str]]:
    """{measure id: (document slug, title, digest of every field)} of one version of a document file."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
        return {}
    document = str(data.get("slug", ""))
    found = {}
    for item in data["measures"]:
        if isinstance(item, dict) and item.get("id"):
            digest = hashlib.sha256(json.dumps(item, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
            found[str(item["id"])] = (document, str(item.get("title", "")), digest)
    return found
