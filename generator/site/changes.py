"""The change log as data: which measures each revision of the catalogue added, changed and removed.

The revisions come from the publish stage (git history of catalog/documents/);
this module only words them: downloads/changes.json and the change log page.
"""

from __future__ import annotations

import json
from typing import Any

from generator.model import Change, Release, Revision
from generator.site.downloads import about

KINDS = (("added", "新增"), ("changed", "修改"), ("removed", "删除"))


def revision_record(revision: Revision) -> dict[str, Any]:
    def items(changes: tuple[Change, ...]) -> list[dict[str, str]]:
        return [{"id": c.id, "document": c.document, "title": c.title} for c in changes]

    return {"commit": revision.commit, "date": revision.date.isoformat(),
            **{kind: items(getattr(revision, kind)) for kind, _ in KINDS}}


def changes_json(release: Release) -> bytes:
    """{"version", "licence", "count", "revisions": [{commit, date, added, changed, removed}]}, newest first."""
    records = [revision_record(r) for r in release.history]
    data = {**about(release.version), "count": len(records), "revisions": records}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
