"""The documentation and the code say the same thing (the datasette manner): every documented command,
field and task exists, and every existing one is documented."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
from pathlib import Path

from generator.catalog.documents import DEADLINE_FIELDS, DOCUMENT_FIELDS, MEASURE_FIELDS
from generator.cli import COMMANDS
from generator.model import Deadline, Document, Measure

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
CATALOG_README = (REPO / "catalog" / "README.md").read_text(encoding="utf-8")
MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")


def _make_targets() -> dict[str, str]:
    """{target: help text ("" when none)} of every task the Makefile declares .PHONY."""
    phony = re.search(r"^\.PHONY:(.*)$", MAKEFILE, re.M)
    assert phony, "the Makefile declares its tasks .PHONY"
    helps = dict(re.findall(r"^([a-z-]+):[^\n#]*## (.+)$", MAKEFILE, re.M))
    return {name: helps.get(name, "") for name in phony.group(1).split()}


def test_every_make_task_has_help_text() -> None:
    targets = _make_targets()
    assert {"site", "test", "serve", "check", "manifest"} <= set(targets)
    assert not [name for name, text in targets.items() if not text], "tasks without a '## help' comment"


def test_each_task_runs_with_the_default_its_help_names_and_takes_another() -> None:
    """A help text's "(… NAME=value)" is the value the task passes when NAME is not set, and NAME=other is
    passed instead when it is (bench-scale once ran 1x alone: its `$(or $(FACTORS),1,10,50)` split at commas)."""
    named = [(task, var, value) for task, text in _make_targets().items()
             for var, value in re.findall(r"\b([A-Z]+)=([\w,.]+)\)", text)]
    assert ("bench-scale", "FACTORS", "1,10,50") in named
    for task, var, value in named:
        env = {k: v for k, v in os.environ.items() if k not in (var, "MAKEFLAGS", "MAKELEVEL")}
        for given, expected in ((None, value), ("7", "7")):
            args = ["make", "-n", "-C", str(REPO), task] + ([f"{var}={given}"] if given else [])
            shown = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
            command = next(line for line in shown.splitlines() if "benchmarks/" in line or "-m generator" in line)
            assert re.search(rf"(?<![\w,]){re.escape(expected)}(?![\w,])", command), (task, var, given, command)


def test_the_readmes_make_commands_are_tasks() -> None:
    named = set(re.findall(r"`make ([a-z-]+)", README)) | set(re.findall(r"^make ([a-z-]+)", README, re.M))
    assert named, "the README names its make commands"
    assert named <= set(_make_targets())


def test_the_readme_documents_every_command_and_only_real_ones() -> None:
    documented = set(re.findall(r"python -m generator (?:--catalog \S+ )?([a-z]+)", README))
    assert documented <= set(COMMANDS), f"the README names commands that do not exist: {documented - set(COMMANDS)}"
    recipes = dict(re.findall(r"^([a-z-]+):[^\n]*\n((?:\t[^\n]*\n)+)", MAKEFILE, re.M))
    by_task = {name for task in re.findall(r"make ([a-z-]+)", README)
               for name in re.findall(r"-m generator (?:--catalog \S+ )?([a-z]+)", recipes.get(task, ""))}
    assert set(COMMANDS) <= documented | by_task, (
        f"commands the README does not show, directly or by a make task: {set(COMMANDS) - documented - by_task}")


def _documented_keys(block: str, indent: int) -> list[str]:
    return re.findall(rf"^{' ' * indent}(?:- )?([a-z_]+):", block, re.M)


def test_the_catalogue_readme_shows_every_field_of_a_document_and_no_other() -> None:
    block = re.search(r"## A document file\s+```yaml\n(.*?)```", CATALOG_README, re.S).group(1)
    assert set(_documented_keys(block, 0)) == set(DOCUMENT_FIELDS)
    measures = set(re.findall(r"^(?:  - |    )([a-z_]+):", block, re.M))
    assert measures == set(MEASURE_FIELDS)
    deadline_keys = set(re.findall(r"\{([a-z_]+):|, ([a-z_]+):", block))
    assert {k for pair in deadline_keys for k in pair if k} <= set(DEADLINE_FIELDS)


def test_the_model_has_the_fields_the_files_have() -> None:
    assert {f.name for f in dataclasses.fields(Document)} == set(DOCUMENT_FIELDS)
    assert {f.name for f in dataclasses.fields(Measure)} == set(MEASURE_FIELDS) | {"document"}  # from the file's slug
    assert {f.name for f in dataclasses.fields(Deadline)} == set(DEADLINE_FIELDS)


def test_the_catalogue_readme_lists_every_file_the_loader_reads() -> None:
    read = set()
    for path in (REPO / "generator" / "catalog").glob("*.py"):
        read |= set(re.findall(r'"([a-z-]+\.yaml)"', path.read_text(encoding="utf-8")))
    listed = set(re.findall(r"^\| `([a-z-]+\.yaml)` \|", CATALOG_README, re.M))
    assert read and read <= listed, f"catalog/README.md does not describe {read - listed}"


def test_the_report_addresses_are_set_once_in_mkdocs_yml_and_repeated_where_readers_need_them() -> None:
    """mkdocs.yml sets the repository (repo_url) and the contact (extra.contact); the footer (copyright), the
    about page and the 404 page name them. A changed address must be changed everywhere, or this fails."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    repository = re.search(r'^repo_url: !ENV \[REPO_URL, "([^"]+)"\]', config, re.M).group(1)
    contact = re.search(r"^  contact: (\S+)", config, re.M).group(1)
    copyright_text = re.search(r"^copyright: >-\n((?:  .*\n)+)", config, re.M).group(1)
    about = (REPO / "docs" / "about.md").read_text(encoding="utf-8")
    assert repository.startswith("https://") and "@" in contact
    assert f"mailto:{contact}" in copyright_text
    assert f"({repository})" in about and f"(mailto:{contact})" in about
    assert "config.extra.contact" in (REPO / "overrides" / "404.html").read_text(encoding="utf-8")
