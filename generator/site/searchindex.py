"""The site's search index: pure, Catalog -> {site path: bytes}. Never committed, built with the site.

What the browser (docs/assets/search.js) needs to find, without a server, every
measure that contains a fragment of two or more characters, while downloading
only a few small files per query however large the catalogue grows:

- `search/<v>/b/<n>.bin` — a positional character-bigram inverted index, split
  into shards by a hash of the bigram (FNV-1a, see `bigram_shard`). The shard
  count grows with the catalogue (`shard_count`). A query fetches only the
  shards of the bigrams that cover it; aligned positions make the match an
  exact substring match (recall 1.0, no false positives) without any text.
- `search/<v>/c/<n>.json` — the measures themselves, CHUNK measures per file,
  fetched only for the results shown (title, passage to highlight, facets).
- `search/<v>/v/<key>.json` — the pinyin vocabulary: named reforms, domain
  names, jurisdiction names, unit names and words of titles, each with its
  readings per character (the reading in context first, then every other
  reading), sharded by the first letters of its first two syllables. A pinyin
  query becomes Chinese terms, which are then searched as fragments.
- `search/<v>/facets.json` — per measure: document, domain, lead units and
  deadline range, for the explorer page.
- `search/meta.json` — the one file fetched first: where the rest is (`<v>` is
  a digest of the content, so a browser never mixes files of two builds),
  the shard counts, and the small tables (documents, jurisdictions, domains,
  pinyin syllables).

The text searched for a measure (its "haystack") is, joined by newlines:
title (left out when the text starts with it), text, units, jurisdiction name,
domain name. Queries never contain whitespace, so no match crosses a field.
Letters are compared case-insensitively and full-width ASCII as half-width
(`normalize`, one character for one character, so positions stay valid).

Shard formats (all integers unsigned LEB128 varints):
  bigram shard: nkeys, then per key (code point 1, code point 2, body length),
  then the bodies. Body: ndocs, then per measure: measure number delta
  (from the previous measure of the same bigram, the first from 0), npos,
  ntitle (how many of the positions have the whole bigram inside the title;
  they come first), then the npos positions as deltas (first from 0).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.model import Catalog, Measure

ROOT = "search"
CHUNK = 16  # measures per chunk file: a page of results fetches a few small files
SHARD_TARGET = 16_000  # aimed raw bytes per bigram shard; the count is a power of two
VOCAB_KINDS = ("reform", "domain", "jurisdiction", "unit", "title")  # priority when a pinyin query matches many
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SUFFIXES = ("省", "市", "区", "县")


# --- text -----------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Lower-case ASCII letters and fold full-width ASCII to half-width; one character for one."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        out.append(ch.lower() if "A" <= ch <= "Z" else ch)
    return "".join(out)


def haystack(measure: Measure, jurisdiction_name: str, domain_name: str) -> tuple[str, int]:
    """The measure's searched text (not yet normalized) and the length of its title part."""
    head = measure.text if measure.text.startswith(measure.title) else f"{measure.title}\n{measure.text}"
    return "\n".join((head, measure.units, jurisdiction_name, domain_name)), len(measure.title)


def bigram_shard(first: str, second: str, shards: int) -> int:
    """FNV-1a (32 bit) over the two code points, modulo the shard count; search.js computes the same."""
    h = 0x811C9DC5
    for ch in (first, second):
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def shard_count(total_bytes: int, target: int = SHARD_TARGET) -> int:
    count = 1
    while total_bytes / count > target:
        count *= 2
    return count


def _varint(out: bytearray, value: int) -> None:
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


# --- pinyin -----------------------------------------------------------------------------


def readings(term: str) -> list[list[str]]:
    """Per character of `term` that has a sound: its readings, the one in context first.

    Han characters read with pypinyin (phrase-aware: 银行 → yin hang, then xing, heng for 行);
    ASCII letters and digits read as themselves; other characters (punctuation) are skipped.
    """
    from pypinyin import Style, lazy_pinyin, pinyin

    in_context = lazy_pinyin(term, style=Style.NORMAL, errors=lambda chars: list(chars))
    result = []
    for ch, first in zip(term, in_context, strict=True):
        if _HAN.match(ch):
            alternatives = pinyin(ch, style=Style.NORMAL, heteronym=True)[0]
            options = _dedupe([first, *alternatives])
            options = _dedupe([v for o in options for v in ((o, o.replace("v", "u")) if "v" in o else (o,))])
            result.append(options)
        elif ch.isascii() and ch.isalnum():
            result.append([ch.lower()])
    return result


def syllables() -> list[str]:
    """Every toneless pinyin syllable pypinyin knows (with ü as v), for splitting typed pinyin."""
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    found = {to_normal(r) for value in pinyin_dict.values() for r in value.split(",")}
    found |= {s.replace("v", "u") for s in found}
    return sorted(s for s in found if s.isascii() and s.isalpha())


def vocab_keys(options: Sequence[Sequence[str]]) -> set[str]:
    """The shard keys of a term: first letter of a reading of syllable 1 + of syllable 2."""
    return {a[0] + b[0] for a in options[0] for b in options[1]}


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    kind: str


def vocabulary(catalog: Catalog) -> list[Term]:
    """Terms a reader may type in pinyin: reforms, domains, jurisdictions, units, words of titles."""
    terms: dict[str, str] = {}

    def add(text: str, kind: str) -> None:
        text = text.strip()
        if len(_HAN.findall(text)) >= 2 and text not in terms:
            terms[text] = kind

    for reform in catalog.reforms:
        for name in (reform.name, *reform.match):
            add(name, "reform")
    for measure in catalog.measures():
        for tag in measure.tags:
            add(tag, "reform")
    for domain in catalog.domains:
        for name in (domain.name, *domain.aliases):
            add(name, "domain")
    for jurisdiction in catalog.jurisdictions:
        name = jurisdiction.name
        add(name, "jurisdiction")
        parent = catalog.jurisdiction(jurisdiction.parent).name if jurisdiction.parent else ""
        if parent and name.startswith(parent):
            add(name[len(parent):], "jurisdiction")
        for part in (name, name[len(parent):] if parent and name.startswith(parent) else ""):
            if part.endswith(_SUFFIXES):
                add(part[:-1], "jurisdiction")
    for measure in catalog.measures():
        for unit in (*measure.lead, *measure.responsible, *measure.section_lead):
            add(unit.removeprefix("等"), "unit")
    for measure in catalog.measures():
        for word in title_words(measure.title):
            add(word, "title")
    return [Term(text, kind) for text, kind in terms.items()]


def title_words(title: str) -> list[str]:
    """Words of a title: pypinyin's segmenter's words, runs of single characters, and adjacent pairs."""
    from pypinyin.seg.mmseg import seg

    words: list[str] = []
    for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]+", title):
        pieces: list[str] = []
        singles = ""
        for piece in seg.cut(run):
            if len(piece) == 1:
                singles += piece
                continue
            if singles:
                pieces.append(singles)
                singles = ""
            pieces.append(piece)
        if singles:
            pieces.append(singles)
        pieces = [p for p in pieces if 2 <= len(p) <= 8]
        words += pieces
        words += [a + b for a, b in zip(pieces, pieces[1:], strict=False) if len(a + b) <= 8]
    return words


# --- the index ----------------------------------------------------------------------------


def build(catalog: Catalog, *, shard_target: int = SHARD_TARGET) -> dict[str, bytes]:
    """Every file of the search index: {site path: content}.

    Long because: records, facets, bigram postings and their shards are written in one pass over the
    measures, in the order the browser's decoder reads them."""
    measures = catalog.measures()
    documents = list(catalog.documents)
    doc_index = {d.slug: i for i, d in enumerate(documents)}
    jurisdictions = list(catalog.jurisdictions)
    jur_index = {j.slug: i for i, j in enumerate(jurisdictions)}
    domains = list(catalog.domains)
    dom_index = {d.slug: i for i, d in enumerate(domains)}

    postings: dict[tuple[str, str], bytearray] = defaultdict(bytearray)
    last_doc: dict[tuple[str, str], int] = {}
    for number, measure in enumerate(measures):
        jurisdiction = catalog.jurisdiction(catalog.document(measure.document).jurisdiction)
        text, title_len = haystack(measure, jurisdiction.name, catalog.domain(measure.domain).name)
        text = normalize(text)
        positions: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in range(len(text) - 1):
            a, b = text[i], text[i + 1]
            if not (a.isspace() or b.isspace()):
                positions[a, b].append(i)
        for key, found in positions.items():
            out = postings[key]
            _varint(out, number - last_doc.get(key, 0))
            last_doc[key] = number
            _varint(out, len(found))
            _varint(out, sum(1 for p in found if p + 2 <= title_len))
            previous = 0
            for p in found:
                _varint(out, p - previous)
                previous = p

    files: dict[str, bytes] = {}
    total = sum(len(body) + 8 for body in postings.values())
    shards = shard_count(total, shard_target)
    by_shard: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for key in postings:
        by_shard[bigram_shard(*key, shards)].append(key)
    for shard in range(shards):
        keys = sorted(by_shard.get(shard, []))
        head, bodies = bytearray(), bytearray()
        _varint(head, len(keys))
        for key in keys:
            body = bytearray()
            _varint(body, _ndocs(postings[key]))
            body += postings[key]
            _varint(head, ord(key[0]))
            _varint(head, ord(key[1]))
            _varint(head, len(body))
            bodies += body
        files[f"b/{shard}.bin"] = bytes(head + bodies)

    chunks = [measures[i:i + CHUNK] for i in range(0, len(measures), CHUNK)]
    for n, chunk in enumerate(chunks):
        files[f"c/{n}.json"] = _json([_record(m, doc_index, dom_index) for m in chunk])

    vocab: dict[str, list[list]] = defaultdict(list)
    for term in vocabulary(catalog):
        options = readings(term.text)
        if len(options) < 2:
            continue
        entry = [term.text, VOCAB_KINDS.index(term.kind), " ".join("|".join(o) for o in options)]
        for key in sorted(vocab_keys(options)):
            vocab[key].append(entry)
    for key, entries in vocab.items():
        files[f"v/{key}.json"] = _json(entries)

    files["facets.json"] = _json(_facets(measures, doc_index, dom_index))

    version = hashlib.sha256(b"".join(k.encode() + v for k, v in sorted(files.items()))).hexdigest()[:12]
    meta = {
        "version": version,
        "base": f"{version}/",
        "count": len(measures),
        "chunk": CHUNK,
        "shards": shards,
        "vocab": sorted(vocab),
        "documents": [[d.slug, d.title, jur_index[d.jurisdiction], d.year] for d in documents],
        "jurisdictions": [[j.slug, j.name, jur_index.get(j.parent or "", -1)] for j in jurisdictions],
        "domains": [[d.slug, d.name, dom_index.get(d.parent or "", -1)] for d in domains],
        "syllables": syllables(),
    }
    result = {f"{ROOT}/{version}/{path}": content for path, content in files.items()}
    result[f"{ROOT}/meta.json"] = _json(meta)
    return result


def _ndocs(body: bytearray) -> int:
    """How many measures a posting body lists (walks its varints)."""
    count, i, n = 0, 0, len(body)
    while i < n:
        values = []
        while len(values) < 3:
            value, shift = 0, 0
            while True:
                byte = body[i]
                i += 1
                value |= (byte & 0x7F) << shift
                shift += 7
                if byte < 0x80:
                    break
            values.append(value)
        for _ in range(values[1]):  # skip npos positions
            while body[i] >= 0x80:
                i += 1
            i += 1
        count += 1
    return count


def _record(measure: Measure, doc_index: dict[str, int], dom_index: dict[str, int]) -> list:
    deadlines = [[d.date.isoformat() if d.date else None, d.phrase, d.kind] for d in measure.deadlines]
    return [
        measure.id, doc_index[measure.document], measure.title, measure.text, measure.units,
        dom_index[measure.domain], list(measure.section), measure.label,
        list(measure.lead), list(measure.responsible), deadlines, list(measure.tags),
    ]


def _facets(measures: list[Measure], doc_index: dict[str, int], dom_index: dict[str, int]) -> dict:
    """{"units": lead unit names, "rows": per measure [document, domain, [lead units], [deadline dates]]}."""
    units: dict[str, int] = {}
    rows = []
    for measure in measures:
        dates = sorted({d.date.isoformat() for d in measure.deadlines if d.date})
        leads = [units.setdefault(unit, len(units)) for unit in measure.lead]
        rows.append([doc_index[measure.document], dom_index[measure.domain], leads, dates])
    return {"units": list(units), "rows": rows}


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sizes(files: dict[str, bytes]) -> tuple[int, int]:
    """Total raw and gzip bytes of some index files."""
    return sum(map(len, files.values())), sum(len(gzip.compress(v, 6)) for v in files.values())
