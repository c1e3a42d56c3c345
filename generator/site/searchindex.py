"""The site's search index: pure, Catalog -> {site path: bytes}. Never committed, built with the site.

What the browser (docs/assets/search-engine.js) needs to find, without a server,
every measure that contains a fragment, a word typed in pinyin, a month, an id
or a plan, while downloading only a few small files per query however large the
catalogue grows. Text rules (normalisation, words, pinyin) are in searchtext.py.

- `search/<v>/b/<n>.bin` — a positional character-bigram inverted index, split
  into shards by a hash of the bigram (FNV-1a, see `bigram_shard`). A query
  fetches only the shards of the bigrams that cover it; aligned positions make
  the match an exact substring match. Each position carries two flags: a word
  (jieba) starts at it, a word ends after its second character, so the browser
  ranks whole-word matches first; per measure, counts say how many positions lie
  in the title, the text and the unit lists (the rest: jurisdiction, domain).
- `search/<v>/u/<n>.bin` — the one-character index: per Han character, the
  measures that contain it and the best field it is in (title, text, units, other).
- `search/<v>/c/<n>.json` — the measures themselves, CHUNK per file, as rows whose
  field names are `meta.fields` (the browser reads names from there). Each row
  carries the measure's address as Python computes it (`url`).
- `search/<v>/v/<key>.json` — the pinyin vocabulary: reforms, domains, places,
  units, plan titles and issuers, every word of every title and text (jieba's
  words, their parts, and every 2–4 character run of a title), each with its
  readings per character (the one in context first), its kind and how many
  measures use it; sharded by the first letters of its first two syllables.
- `search/<v>/py.json` — per pinyin syllable, the catalogue's characters with that reading
  (most used first), for a syllable typed beside Chinese characters (biao准化).
- `search/<v>/d/<key>.json` — measures due in a month: `2021-06` (that month of
  that year) and `06` (that month of the measure's own plan year).
- `search/<v>/i/<n>.json` — the measure ids of document n (an id opens its measure).
- `search/meta.json` — fetched first: where the rest is (`<v>` is a digest of the
  content), shard counts, the field names of every table, the documents (title,
  issuer, number: a query naming a plan finds it), jurisdictions, domains, the
  traditional → simplified table, the unit abbreviations, pinyin syllables.

Searched text of a measure ("haystack"), fields joined by newlines: title (left
out when the text starts with it), text, units (plus the section's 领域牵头单位
when the measure's own units do not name them), jurisdiction name, domain name.

Shard formats (all integers unsigned LEB128 varints):
  bigram shard: nkeys, then per key (code point 1, code point 2, body length),
  then the bodies. Body: ndocs, then per measure: measure number delta (from the
  previous measure of the same bigram, the first from 0), npos, ntitle, ntext,
  nunits (positions per field, in that order), then npos values
  `delta * 4 + flags` (position delta from the previous, the first from 0;
  flags 2: a word starts here, 1: a word ends after the bigram).
  unigram shard: nkeys, then per key (code point, body length), then bodies:
  ndocs, then per measure `delta * 4 + field` (0 title, 1 text, 2 units, 3 other).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

from generator.model import Catalog, Document, Measure
from generator.site.addresses import document_url, url_for
from generator.site.searchpostings import (
    SHARD_TARGET,
    bigram_shard,
    postings,
    shard_count,
    unigram_shard,
    write_shards,
)
from generator.site.searchtext import (
    normalize,
    readings,
    release,
    save_lookups,
    syllables,
    t2s_table,
    vocab_keys,
)
from generator.site.searchvocab import VOCAB_KINDS, short_names, syllable_chars, vocabulary

__all__ = ["build", "build_once", "normalize", "readings", "vocab_keys", "bigram_shard", "shard_count", "sizes", "haystack"]

ROOT = "search"
CHUNK = 16  # measures per chunk file: a page of results fetches a few small files
ABBREVIATIONS = Path(__file__).with_name("unit_abbreviations.yaml")

# Field names of every table the browser reads: written once here, read by name in the browser.
RECORD_FIELDS = ("id", "document", "title", "text", "units", "searched_units", "domain", "section", "label",
                 "lead", "responsible", "deadlines", "tags", "url")
DEADLINE_FIELDS = ("date", "phrase", "kind")
DOCUMENT_FIELDS = ("slug", "title", "jurisdiction", "year", "issuer", "doc_number", "first", "count", "url")
JURISDICTION_FIELDS = ("slug", "name", "parent", "short")
DOMAIN_FIELDS = ("slug", "name", "parent", "aliases")
VOCAB_FIELDS = ("term", "kind", "readings", "uses")


# --- text -----------------------------------------------------------------------------


def searched_units(measure: Measure) -> str:
    """The unit list as searched: the measure's units, plus the section's lead units it does not name."""
    missing = [u for u in measure.section_lead if u not in measure.units]
    if not missing:
        return measure.units
    return (measure.units + "；" if measure.units else "") + "领域牵头单位：" + "、".join(missing)


def haystack(measure: Measure, jurisdiction_name: str, domain_name: str) -> tuple[str, tuple[int, int, int]]:
    """The measure's searched text (not yet folded) and where its title, text and units parts end."""
    head = measure.text if measure.text.startswith(measure.title) else f"{measure.title}\n{measure.text}"
    units = searched_units(measure)
    text = "\n".join((head, units, jurisdiction_name, domain_name))
    return text, (len(measure.title), len(head), len(head) + 1 + len(units))


def load_abbreviations(path: Path = ABBREVIATIONS) -> list[list[str]]:
    """The reviewed groups of unit spellings (unit_abbreviations.yaml); a malformed file names itself."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not all(
        isinstance(g, list) and len(g) >= 2 and all(isinstance(s, str) and len(s) >= 2 for s in g) for g in groups
    ):
        raise ValueError(f"{path}: `groups` must be a list of lists of two or more spellings")
    return groups


# --- the index ----------------------------------------------------------------------------


def build(
    catalog: Catalog,
    *,
    shard_target: int = SHARD_TARGET,
    url_for: Callable[[Measure], str] = url_for,  # the measure's address as Python defines it, never the browser
    document_url: Callable[[Document], str] = document_url,
    abbreviations: list[list[str]] | None = None,
) -> dict[str, bytes]:
    """Every file of the search index: {site path: content}. Addresses come from `addresses` (url_for of a
    measure, page_url of a plan) unless a test passes others.

    Long because: records, bigram postings and their shards are written in one pass over the
    measures, in the order the browser's decoder reads them."""
    measures = catalog.measures()
    documents = list(catalog.documents)
    doc_index = {d.slug: i for i, d in enumerate(documents)}
    jurisdictions = list(catalog.jurisdictions)
    jur_index = {j.slug: i for i, j in enumerate(jurisdictions)}
    domains = list(catalog.domains)
    dom_index = {d.slug: i for i, d in enumerate(domains)}
    groups = load_abbreviations() if abbreviations is None else abbreviations
    terms, uses = vocabulary(catalog)  # also teaches the segmenter the catalogue's names

    texts = []
    for measure in measures:
        jurisdiction = catalog.jurisdiction(catalog.document(measure.document).jurisdiction)
        texts.append(haystack(measure, jurisdiction.name, catalog.domain(measure.domain).name))
    chars = {ch for text, _ in texts for ch in text}
    chars |= {ch for d in documents for ch in d.title + d.issuer + d.doc_number}
    chars |= {ch for g in groups for s in g for ch in s}
    table = t2s_table(chars)

    files: dict[str, bytes] = {}
    bigrams, unigrams = postings(texts, table)
    shards = write_shards(files, "b", bigrams, shard_target, lambda key, n: bigram_shard(key[0], key[1], n))
    ushards = write_shards(files, "u", unigrams, shard_target, lambda key, n: unigram_shard(key, n))

    for n in range(0, len(measures), CHUNK):
        rows = [_record(m, doc_index, dom_index, url_for) for m in measures[n:n + CHUNK]]
        files[f"c/{n // CHUNK}.json"] = _json(rows)

    vocab: dict[str, list[list]] = defaultdict(list)
    for term in terms:
        options = readings(term.text)
        if len(options) < 2:
            continue
        entry = [term.text, VOCAB_KINDS.index(term.kind), " ".join("|".join(o) for o in options), uses.get(term.text, 0)]
        for key in sorted(vocab_keys(options)):
            vocab[key].append(entry)
    for key, entries in vocab.items():
        files[f"v/{key}.json"] = _json(entries)

    files["py.json"] = _json(syllable_chars(texts))

    months = _months(catalog, measures)
    for key, numbers in months.items():
        files[f"d/{key}.json"] = _json(numbers)
    first = 0
    document_rows = []
    for i, document in enumerate(documents):
        files[f"i/{i}.json"] = _json([m.id for m in document.measures])
        document_rows.append([document.slug, document.title, jur_index[document.jurisdiction], document.year,
                              document.issuer, document.doc_number, first, len(document.measures), document_url(document)])
        first += len(document.measures)


    version = hashlib.sha256(b"".join(k.encode() + v for k, v in sorted(files.items()))).hexdigest()[:12]
    short = short_names(catalog)
    meta = {
        "version": version,
        "base": f"{version}/",
        "count": len(measures),
        "chunk": CHUNK,
        "shards": shards,
        "ushards": ushards,
        "vocab": sorted(vocab),
        "vocab_kinds": list(VOCAB_KINDS),
        "vocab_fields": list(VOCAB_FIELDS),
        "months": sorted(months),
        "fields": list(RECORD_FIELDS),
        "deadline_fields": list(DEADLINE_FIELDS),
        "documents": {"fields": list(DOCUMENT_FIELDS), "rows": document_rows},
        "jurisdictions": {"fields": list(JURISDICTION_FIELDS), "rows": [
            [j.slug, j.name, jur_index.get(j.parent or "", -1), short[j.slug]] for j in jurisdictions]},
        "domains": {"fields": list(DOMAIN_FIELDS), "rows": [
            [d.slug, d.name, dom_index.get(d.parent or "", -1), list(d.aliases)] for d in domains]},
        "t2s": "".join(t + s for t, s in sorted(table.items())),
        "abbreviations": groups,
        "syllables": syllables(),
    }
    result = {f"{ROOT}/{version}/{path}": content for path, content in files.items()}
    result[f"{ROOT}/meta.json"] = _json(meta)
    save_lookups()  # the cuts, readings and tables asked for, for the next build (site.lookups)
    return result


def build_once(catalog: Catalog) -> dict[str, bytes]:
    """`build` with the addresses of the site, for a process that makes the index once and goes on to other work
    (`generator build` of more than background.MAX_MEASURES measures, where the index comes before the pages in
    the same process): then the segmenter and the memoised cuts and readings are let go (searchtext.release)."""
    try:
        return build(catalog)
    finally:
        release()


def _months(catalog: Catalog, measures: list[Measure]) -> dict[str, list[int]]:
    """{"2021-06": measures due that month, "06": measures due that month of their plan's year}."""
    found: dict[str, set[int]] = defaultdict(set)
    for number, measure in enumerate(measures):
        year = catalog.document(measure.document).year
        for deadline in measure.deadlines:
            if deadline.date:
                found[f"{deadline.date.year}-{deadline.date.month:02d}"].add(number)
                if deadline.date.year == year:
                    found[f"{deadline.date.month:02d}"].add(number)
    return {key: sorted(numbers) for key, numbers in found.items()}


def _record(measure: Measure, doc_index: dict[str, int], dom_index: dict[str, int], url_for: Callable[[Measure], str]) -> list:
    deadlines = [[d.date.isoformat() if d.date else None, d.phrase, d.kind] for d in measure.deadlines]
    units = searched_units(measure)
    values = {
        "id": measure.id, "document": doc_index[measure.document], "title": measure.title, "text": measure.text,
        "units": measure.units, "searched_units": None if units == measure.units else units,
        "domain": dom_index[measure.domain], "section": list(measure.section), "label": measure.label,
        "lead": list(measure.lead), "responsible": list(measure.responsible), "deadlines": deadlines,
        "tags": list(measure.tags), "url": url_for(measure),
    }
    return [values[name] for name in RECORD_FIELDS]


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sizes(files: dict[str, bytes]) -> tuple[int, int]:
    """Total raw and gzip bytes of some index files."""
    return sum(map(len, files.values())), sum(len(gzip.compress(v, 6)) for v in files.values())
