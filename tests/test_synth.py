"""The synthetic catalogue generator of the scale benchmarks (benchmarks/synth_catalog.py), at factor 2."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.catalog import load_catalog

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("synth_catalog", REPO / "benchmarks" / "synth_catalog.py")
synth = sys.modules.setdefault("synth_catalog", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(synth)


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def real():
    return load_catalog(REPO / "catalog")


@pytest.fixture(scope="module")
def synth2(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth2")
    synth.write_catalog(out, factor=2, seed=7)
    return out


@pytest.fixture(scope="module")
def loaded(synth2):
    return load_catalog(synth2 / "catalog")


def test_factor_2_passes_check(synth2):
    done = subprocess.run([sys.executable, "-m", "generator", "--catalog", str(synth2 / "catalog"), "check"],
                          cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "catalog OK" in done.stdout


def test_factor_2_has_twice_the_measures_and_keeps_the_real_documents(synth2, loaded, real):
    catalog = loaded
    assert len(catalog.measures()) == 2 * len(real.measures())
    assert len(catalog.documents) > len(real.documents)
    for document in real.documents:
        assert catalog.document(document.slug) == document
        assert (synth2 / document.source).read_bytes() == (REPO / document.source).read_bytes()


def test_new_plans_belong_to_shandong_places_with_parents(synth2, loaded, real):
    catalog = loaded
    assert len(catalog.jurisdictions) == 1 + 16 + 136
    for j in catalog.jurisdictions:
        assert j.slug.isascii()
        assert (j.parent is None) == (j.level == "province")
    real_slugs = {d.slug for d in real.documents}
    new = [d for d in catalog.documents if d.slug not in real_slugs]
    assert {d.slug for d in new}.isdisjoint(real_slugs)
    for document in new:
        assert document.slug == f"{document.jurisdiction}-{document.year}"
        assert document.year in synth.YEARS
        assert (synth2 / document.source).is_file()
        assert all(m.line and m.text.startswith(m.title) for m in document.measures)


def test_new_measures_vary_real_text_and_follow_real_distributions(loaded, real):
    catalog = loaded
    real_ids = {m.id for m in real.measures()}
    new = [m for m in catalog.measures() if m.id not in real_ids]
    real_texts = {m.text for m in real.measures()}
    copied = sum(m.text in real_texts for m in new)
    assert copied < len(new) * 0.2, f"{copied} of {len(new)} synthetic texts are verbatim real texts"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m.text) for m in new)
    # Every real domain with a handful of measures turns up among the new ones too, in a similar share.
    real_share, new_share = Counter(m.domain for m in real.measures()), Counter(m.domain for m in new)
    for domain, count in real_share.items():
        if count >= 20:
            assert new_share[domain] > 0.3 * count * len(new) / len(real.measures()), domain
    assert sum(bool(m.tags) for m in new) > 0.1 * len(new)
    assert sum(bool(m.deadlines) for m in new) > 0.3 * len(new)


def test_same_seed_same_bytes_other_seed_other_catalogue(synth2, tmp_path):
    synth.write_catalog(tmp_path / "again", factor=2, seed=7)
    assert _digests(tmp_path / "again") == _digests(synth2)
    synth.write_catalog(tmp_path / "other", factor=2, seed=8)
    assert _digests(tmp_path / "other") != _digests(synth2)


def test_never_writes_into_the_repository_or_a_foreign_folder(tmp_path):
    with pytest.raises(SystemExit, match="repository"):
        synth.write_catalog(REPO, factor=2, seed=1)
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(SystemExit, match="not written by this script"):
        synth.write_catalog(tmp_path, factor=2, seed=1)
    assert (tmp_path / "catalog" / "mine.txt").read_text(encoding="utf-8") == "keep"
