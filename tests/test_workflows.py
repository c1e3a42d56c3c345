"""The GitHub workflows and the CI script, linted as CI would read them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def _actionlint() -> str:
    found = Path(sys.executable).with_name("actionlint")
    return str(found) if found.exists() else shutil.which("actionlint") or "actionlint"


def test_there_are_workflows_to_test_and_to_deploy() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"test.yml", "deploy.yml"} <= names, names


def test_workflows_pass_actionlint() -> None:
    done = subprocess.run([_actionlint(), "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    steps = "    steps:\n      - run: echo ${{ github.evnt.name }}\n"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n" + steps)
    done = subprocess.run([_actionlint(), "-no-color", str(broken)], capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "evnt" in done.stdout, done.stdout + done.stderr


def test_deploy_uses_the_official_pages_actions() -> None:
    deploy = (REPO / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8")
    assert "actions/upload-pages-artifact@" in deploy and "actions/deploy-pages@" in deploy


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme
    assert script.rstrip().splitlines()[-1] == "make test"
