"""Write a synthetic but valid catalogue N times the size of the real one, for scale benchmarks.

    .venv/bin/python benchmarks/synth_catalog.py --factor 50 --seed 1 --out /tmp/synth50

writes /tmp/synth50/catalog (domains, jurisdictions, reforms, classification,
documents/*.yaml) and /tmp/synth50/sources/*.txt, so that

    .venv/bin/python -m generator --catalog /tmp/synth50/catalog check

passes. It never writes into the repository's catalog/.

What it holds: the five real documents unchanged (so the classification
overrides keep naming real measures, and --factor 1 is exactly the real
catalogue), plus synthetic plans until the catalogue has exactly
factor × (real measure count) measures. The synthetic plans belong to
Shandong's real 16 cities and 136 county-level governments (named with their
city, slugs `<city>-<county>` in pinyin), one plan per jurisdiction and year
at most, years 2019-2024 (earlier years are added when a large factor needs
more room). Each plan copies the layout of a real plan of the same level
(sections, numbering, ids, domains, deadlines, units), and its measures'
text recombines real titles and sentences of measures in the same domain,
with place names, unit prefixes (市 → 区/县) and years changed to the new
plan's. Tags are recomputed from the new text the way the importer does.
Everything is drawn from one `random.Random(seed)`: the same factor and seed
give byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.catalog import load_catalog  # noqa: E402
from generator.errors import CatalogError  # noqa: E402
from generator.importer.yamlwrite import dump_document  # noqa: E402
from generator.model import Catalog, Document, Measure  # noqa: E402

MARKER = ".synthetic"  # written into DIR/catalog: only such a folder is ever replaced
YEARS = range(2019, 2025)
LEVEL_WEIGHT = {"province": 1.0, "city": 0.8, "district": 0.35}  # how likely a (jurisdiction, year) has a plan

# Shandong's 16 cities and their county-level divisions: (slug, name, [(slug, name), …]).
CITIES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("jinan", "济南市", [
        ("lixia", "历下区"), ("shizhong", "市中区"), ("huaiyin", "槐荫区"), ("tianqiao", "天桥区"), ("licheng", "历城区"),
        ("changqing", "长清区"), ("zhangqiu", "章丘区"), ("jiyang", "济阳区"), ("laiwu", "莱芜区"), ("gangcheng", "钢城区"),
        ("pingyin", "平阴县"), ("shanghe", "商河县")]),
    ("qingdao", "青岛市", [
        ("shinan", "市南区"), ("shibei", "市北区"), ("huangdao", "黄岛区"), ("laoshan", "崂山区"), ("licang", "李沧区"),
        ("chengyang", "城阳区"), ("jimo", "即墨区"), ("jiaozhou", "胶州市"), ("pingdu", "平度市"), ("laixi", "莱西市")]),
    ("zibo", "淄博市", [
        ("zichuan", "淄川区"), ("zhangdian", "张店区"), ("boshan", "博山区"), ("linzi", "临淄区"), ("zhoucun", "周村区"),
        ("huantai", "桓台县"), ("gaoqing", "高青县"), ("yiyuan", "沂源县")]),
    ("zaozhuang", "枣庄市", [
        ("shizhong", "市中区"), ("xuecheng", "薛城区"), ("yicheng", "峄城区"), ("taierzhuang", "台儿庄区"),
        ("shanting", "山亭区"), ("tengzhou", "滕州市")]),
    ("dongying", "东营市", [
        ("dongying", "东营区"), ("hekou", "河口区"), ("kenli", "垦利区"), ("lijin", "利津县"), ("guangrao", "广饶县")]),
    ("yantai", "烟台市", [
        ("zhifu", "芝罘区"), ("fushan", "福山区"), ("muping", "牟平区"), ("laishan", "莱山区"), ("penglai", "蓬莱区"),
        ("longkou", "龙口市"), ("laiyang", "莱阳市"), ("laizhou", "莱州市"), ("zhaoyuan", "招远市"), ("qixia", "栖霞市"),
        ("haiyang", "海阳市")]),
    ("weifang", "潍坊市", [
        ("weicheng", "潍城区"), ("hanting", "寒亭区"), ("fangzi", "坊子区"), ("kuiwen", "奎文区"), ("qingzhou", "青州市"),
        ("zhucheng", "诸城市"), ("shouguang", "寿光市"), ("anqiu", "安丘市"), ("gaomi", "高密市"), ("changyi", "昌邑市"),
        ("linqu", "临朐县"), ("changle", "昌乐县")]),
    ("jining", "济宁市", [
        ("rencheng", "任城区"), ("yanzhou", "兖州区"), ("qufu", "曲阜市"), ("zoucheng", "邹城市"), ("weishan", "微山县"),
        ("yutai", "鱼台县"), ("jinxiang", "金乡县"), ("jiaxiang", "嘉祥县"), ("wenshang", "汶上县"), ("sishui", "泗水县"),
        ("liangshan", "梁山县")]),
    ("taian", "泰安市", [
        ("taishan", "泰山区"), ("daiyue", "岱岳区"), ("xintai", "新泰市"), ("feicheng", "肥城市"), ("ningyang", "宁阳县"),
        ("dongping", "东平县")]),
    ("weihai", "威海市", [("huancui", "环翠区"), ("wendeng", "文登区"), ("rongcheng", "荣成市"), ("rushan", "乳山市")]),
    ("rizhao", "日照市", [("donggang", "东港区"), ("lanshan", "岚山区"), ("wulian", "五莲县"), ("juxian", "莒县")]),
    ("linyi", "临沂市", [
        ("lanshan", "兰山区"), ("luozhuang", "罗庄区"), ("hedong", "河东区"), ("yinan", "沂南县"), ("tancheng", "郯城县"),
        ("yishui", "沂水县"), ("lanling", "兰陵县"), ("feixian", "费县"), ("pingyi", "平邑县"), ("junan", "莒南县"),
        ("mengyin", "蒙阴县"), ("linshu", "临沭县")]),
    ("dezhou", "德州市", [
        ("decheng", "德城区"), ("lingcheng", "陵城区"), ("laoling", "乐陵市"), ("yucheng", "禹城市"), ("ningjin", "宁津县"),
        ("qingyun", "庆云县"), ("linyi", "临邑县"), ("qihe", "齐河县"), ("pingyuan", "平原县"), ("xiajin", "夏津县"),
        ("wucheng", "武城县")]),
    ("liaocheng", "聊城市", [
        ("dongchangfu", "东昌府区"), ("chiping", "茌平区"), ("linqing", "临清市"), ("yanggu", "阳谷县"), ("shenxian", "莘县"),
        ("donge", "东阿县"), ("guanxian", "冠县"), ("gaotang", "高唐县")]),
    ("binzhou", "滨州市", [
        ("bincheng", "滨城区"), ("zhanhua", "沾化区"), ("zouping", "邹平市"), ("huimin", "惠民县"), ("yangxin", "阳信县"),
        ("wudi", "无棣县"), ("boxing", "博兴县")]),
    ("heze", "菏泽市", [
        ("mudan", "牡丹区"), ("dingtao", "定陶区"), ("caoxian", "曹县"), ("shanxian", "单县"), ("chengwu", "成武县"),
        ("juye", "巨野县"), ("yuncheng", "郓城县"), ("juancheng", "鄄城县"), ("dongming", "东明县")]),
]
_YEAR = re.compile(r"(20[12]\d)(?=年|〕|）|\))")
_SENTENCE = re.compile(r"[^。；]+[。；]?")
_UNIT_PREFIX = {  # a unit name's level prefix (市行政审批局), after a separator, not 市场/区域…
    "市": re.compile(r"(^|[：:、，,；;（(])市(?=[^场民区县直])"),
    "区": re.compile(r"(^|[：:、，,；;（(])区(?=[^域县直])"),
    "县": re.compile(r"(^|[：:、，,；;（(])县(?=[^域城级乡区直])"),  # a county's plan (县市场监管局), not 县域/县城…
}


@dataclass(frozen=True)
class Place:
    """A jurisdiction a plan is written for: slug, full name, short name (济南), and its unit prefix (市/区/县)."""

    slug: str
    name: str
    level: str
    parent: str | None
    short: str
    prefix: str
    city_name: str  # the city it belongs to (itself for a city); "" for the province


def shandong_places() -> list[Place]:
    places = [Place("shandong", "山东省", "province", None, "山东", "省", "")]
    for slug, name, _ in CITIES:
        places.append(Place(slug, name, "city", "shandong", name[:-1], "市", name))
    for city_slug, city_name, counties in CITIES:
        for slug, name in counties:
            # The real catalogue names a district with its city (济南市历城区); keep that.
            prefix = "县" if name.endswith("县") else ("市" if name.endswith("市") else "区")
            short = name[:-1] if len(name) > 2 else name
            places.append(Place(f"{city_slug}-{slug}", city_name + name, "district", city_slug, short, prefix, city_name))
    return places


# --- text ------------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s.strip("。；")]


def body_of(measure: Measure) -> list[str]:
    """The measure's sentences after its title."""
    text = measure.text[len(measure.title):] if measure.text.startswith(measure.title) else measure.text
    return sentences(text.lstrip("。.；;：: "))


class Rewriter:
    """Place names, unit prefixes and years of a template plan, rewritten for a new plan."""

    def __init__(self, template: Document, template_place: Place, target: Place, year: int) -> None:
        self.delta = year - template.year
        pairs: list[tuple[str, str]] = []
        tp, tg = template_place, target
        if tp.level == "district":  # 济南市历城区 / 历城区 / 历城, and its city 济南市 / 济南
            city = tg.city_name or tg.name
            pairs += [(tp.name, tg.name), (tp.name[len(tp.city_name):], tg.name[len(tg.city_name):] or tg.name),
                      (tp.short, tg.short), (tp.city_name, city), (tp.city_name[:-1], city[:-1])]
        elif tp.level == "city":
            pairs += [(tp.name, tg.name[len(tg.city_name):] if tg.level == "district" else tg.name), (tp.short, tg.short)]
        if tg.level == "district" and tp.level != "province":
            old = tp.prefix
            pairs += [("全" + old, "全" + tg.prefix), (old + "直", tg.prefix + "直"), (old + "政府", tg.prefix + "政府"),
                      (old + "委", tg.prefix + "委")]
        # the province keeps its own names
        self.pairs = sorted({a: b for a, b in pairs if a and a != b}.items(), key=lambda p: -len(p[0]))
        wanted = tg.level == "district" and tp.level != "province" and tp.prefix != tg.prefix
        self.unit_prefix = (_UNIT_PREFIX[tp.prefix], tg.prefix) if wanted else None

    def text(self, value: str) -> str:
        for old, new in self.pairs:
            value = value.replace(old, new)
        if self.delta:
            value = _YEAR.sub(lambda m: str(int(m.group(1)) + self.delta), value)
        return value

    def units(self, value: str) -> str:
        value = self.text(value)
        if self.unit_prefix:
            pattern, prefix = self.unit_prefix
            value = pattern.sub(lambda m: m.group(1) + prefix, value)
        return value

    def date(self, value: dt.date | None) -> dt.date | None:
        if value is None:
            return None
        year = value.year + self.delta
        return value.replace(year=year, day=min(value.day, 28)) if value.month == 2 else value.replace(year=year)


# --- generation ------------------------------------------------------------------------


class Synthesizer:
    def __init__(self, real: Catalog, reforms: list[dict], seed: int) -> None:
        self.real = real
        self.reforms = reforms
        self.rng = random.Random(seed)
        self.places = shandong_places()
        self.place = {p.slug: p for p in self.places}
        self.measures = real.measures()
        self.by_domain: dict[str, list[Measure]] = {}
        for measure in self.measures:
            self.by_domain.setdefault(measure.domain, []).append(measure)
        self.templates = {level: [d for d in real.documents if real.jurisdiction(d.jurisdiction).level == level]
                          for level in ("province", "city", "district")}

    def slots(self, years: range) -> list[tuple[Place, int]]:
        """(jurisdiction, year) pairs without a real plan, in a seeded weighted order (likelier first)."""
        taken = {(d.jurisdiction, d.year) for d in self.real.documents}
        keyed = []
        for place in self.places:
            for year in years:
                if (place.slug, year) not in taken:
                    keyed.append((self.rng.random() ** (1 / LEVEL_WEIGHT[place.level]), place.slug, year))
        keyed.sort(key=lambda k: (-k[0], k[1], k[2]))
        return [(self.place[slug], year) for _, slug, year in keyed]

    def documents(self, count: int) -> list[dict]:
        """Synthetic document records holding `count` measures in all."""
        docs: list[dict] = []
        years = YEARS
        slots = self.slots(years)
        while count > 0:
            if not slots:  # every jurisdiction has a plan every year: go back in time
                years = range(years.start - len(YEARS), years.start)
                slots = self.slots(years)
            place, year = slots.pop(0)
            doc = self.document(place, year, limit=count)
            docs.append(doc)
            count -= len(doc["measures"])
        return docs

    def _template(self, place: Place) -> tuple[Document, float, float]:
        """A real plan to copy the layout of, and the share of its measures to keep (low, high)."""
        if place.level == "province":
            return self.rng.choice(self.templates["province"]), 0.75, 1.0
        if place.level == "city":
            return self.rng.choice(self.templates["city"]), 0.6, 1.0
        if self.rng.random() < 0.4:
            return self.rng.choice(self.templates["district"]), 0.7, 1.0
        return self.rng.choice(self.templates["city"]), 0.15, 0.45

    def document(self, place: Place, year: int, *, limit: int) -> dict:
        rng = self.rng
        template, low, high = self._template(place)
        template_place = self.place[template.jurisdiction]
        rw = Rewriter(template, template_place, place, year)
        size = max(1, min(limit, round(len(template.measures) * rng.uniform(low, high))))
        keep = sorted(rng.sample(range(len(template.measures)), size))
        slug = f"{place.slug}-{year}"
        measures = [self.measure(template.measures[i], template.slug, slug, rw) for i in keep]
        issuer = rw.text(template.issuer) if template.issuer else ""
        if not issuer and rng.random() < 0.5:
            issuer = f"{place.name}人民政府办公{'厅' if place.level == 'province' else '室'}"
        return {
            "slug": slug,
            "title": rw.text(template.title),
            "jurisdiction": place.slug,
            "year": year,
            "source": f"sources/{slug}.txt",
            "issuer": issuer,
            "doc_number": rw.text(template.doc_number),
            "date": rw.date(template.date),
            "running_headers": [],
            "preamble": [rw.text(p) for p in template.preamble],
            "closing": [rw.text(p) for p in template.closing],
            "measures": measures,
        }

    def measure(self, base: Measure, template_slug: str, slug: str, rw: Rewriter) -> dict:
        rng = self.rng
        pool = self.by_domain[base.domain]
        donor = base if rng.random() < 0.5 else rng.choice(pool)
        title = rw.text(donor.title)
        wanted = max(1, len(body_of(base)) + rng.randint(-1, 1))
        body = []
        for _ in range(wanted):
            source = base if rng.random() < 0.4 else rng.choice(pool)
            parts = body_of(source)
            if parts:
                body.append(rw.text(rng.choice(parts)))
        body_text = "".join(s if s[-1] in "。；" else s + "；" for s in body)
        if body_text.endswith("；"):
            body_text = body_text[:-1] + "。"
        text = title + ("" if title[-1] in "。；：！？" else "。") + body_text
        record: dict = {"id": slug + base.id[len(template_slug):], "number": base.number}
        if base.sub:
            record["sub"] = base.sub
        record["section"] = [rw.text(s) for s in base.section]
        record["title"] = title
        record["text"] = text
        if base.units:
            record["units"] = rw.units(base.units)
        for key in ("lead", "responsible", "section_lead"):
            names = [rw.units(n) for n in getattr(base, key)]
            if names:
                record[key] = names
        deadlines = []
        for d in base.deadlines:
            item: dict = {"phrase": rw.text(d.phrase)}
            if d.kind == "date":
                item["date"] = rw.date(d.date)
            else:
                item["kind"] = d.kind
            deadlines.append(item)
        if deadlines:
            record["deadlines"] = deadlines
        record["domain"] = base.domain
        record["domain_by"] = base.domain_by
        tags = [r["name"] for r in self.reforms if any(v in title + text for v in (r["name"], *r.get("match", ())))]
        if tags:
            record["tags"] = tags
        record["line"] = 1  # set when the source text is written
        return record


def source_text(doc: dict) -> str:
    """A plain-text 'source' for a synthetic plan, and each measure's `line` in it."""
    lines = [doc["title"], ""]
    for paragraph in doc["preamble"]:
        lines += [paragraph, ""]
    previous: list[str] = []
    for m in doc["measures"]:
        for depth, heading in enumerate(m["section"]):
            if depth >= len(previous) or previous[depth] != heading:
                lines += [heading, ""]
                previous = []
        previous = m["section"]
        m["line"] = len(lines) + 1
        label = f"{m['number']}（{m['sub']}）" if "sub" in m else m["number"]
        lines.append(f"{label}．{m['text']}" + (f"（{m['units']}）" if m.get("units") else ""))
        lines.append("")
    for paragraph in doc["closing"]:
        lines += [paragraph, ""]
    return "\n".join(lines)


# --- files -----------------------------------------------------------------------------


def jurisdictions_yaml(real: Catalog, places: list[Place]) -> str:
    """Every Shandong jurisdiction; the real slugs keep their names (济南市历城区 is the real 'jinan-licheng')."""
    real_names = {j.slug: j for j in real.jurisdictions}
    lines = ["# Synthetic: Shandong's province, 16 cities and 136 county-level divisions "
             "(written by benchmarks/synth_catalog.py).", "jurisdictions:"]
    for p in places:
        name = real_names[p.slug].name if p.slug in real_names else p.name
        lines.append(f"  - {{slug: {p.slug}, name: {name}, level: {p.level}" + (f", parent: {p.parent}}}" if p.parent else "}"))
    return "\n".join(lines) + "\n"


def write_catalog(out: Path, factor: int, seed: int, real_dir: Path = ROOT / "catalog") -> dict[str, int]:
    """Write DIR/catalog and DIR/sources; return counts. Replaces only a folder this script wrote."""
    out = out.resolve()
    catalog_dir, sources_dir = out / "catalog", out / "sources"
    if catalog_dir == real_dir.resolve() or out == ROOT:
        raise SystemExit(f"refusing to write into the repository's catalogue: {catalog_dir}")
    for folder in (catalog_dir, sources_dir):
        if folder.exists() and any(folder.iterdir()) and not (catalog_dir / MARKER).exists():
            raise SystemExit(f"{folder} exists and was not written by this script: choose another --out")
    real = load_catalog(real_dir)
    reforms = yaml.safe_load((real_dir / "reforms.yaml").read_text(encoding="utf-8"))["reforms"]
    total = factor * len(real.measures())
    synth = Synthesizer(real, reforms, seed)
    docs = synth.documents(total - len(real.measures()))

    for folder in (catalog_dir, sources_dir):
        shutil.rmtree(folder, ignore_errors=True)
    (catalog_dir / "documents").mkdir(parents=True)
    sources_dir.mkdir(parents=True)
    (catalog_dir / MARKER).write_text("incomplete\n", encoding="utf-8")  # claims the folder; completed below
    for path in sorted(real_dir.iterdir()):  # domains, reforms, classification, alignment, …: as they are
        if path.is_file() and path.name != "jurisdictions.yaml":
            shutil.copyfile(path, catalog_dir / path.name)
    if factor == 1:
        shutil.copyfile(real_dir / "jurisdictions.yaml", catalog_dir / "jurisdictions.yaml")
    else:
        (catalog_dir / "jurisdictions.yaml").write_text(jurisdictions_yaml(real, synth.places), encoding="utf-8")
    for document in real.documents:
        shutil.copyfile(real_dir / "documents" / f"{document.slug}.yaml", catalog_dir / "documents" / f"{document.slug}.yaml")
        shutil.copyfile(real_dir.parent / document.source, out / document.source)
    header = f"# Synthetic plan written by benchmarks/synth_catalog.py --factor {factor} --seed {seed}: not a real document.\n"
    for doc in docs:
        (out / doc["source"]).write_text(source_text(doc), encoding="utf-8")
        (catalog_dir / "documents" / f"{doc['slug']}.yaml").write_text(header + dump_document(doc), encoding="utf-8")
    (catalog_dir / MARKER).write_text(f"factor {factor} seed {seed}\n", encoding="utf-8")
    return {"documents": len(real.documents) + len(docs), "measures": total,
            "jurisdictions": len({d["jurisdiction"] for d in docs} | {d.jurisdiction for d in real.documents})}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, required=True, help="catalogue size as a multiple of the real one (>= 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to write catalog/ and sources/ into")
    parser.add_argument("--check", action="store_true", help="load the written catalogue to prove it valid")
    args = parser.parse_args(argv)
    if args.factor < 1:
        parser.error("--factor must be at least 1")
    counts = write_catalog(args.out, args.factor, args.seed)
    print(f"wrote {args.out / 'catalog'}: {counts['documents']} documents, {counts['measures']} measures, "
          f"{counts['jurisdictions']} jurisdictions with plans")
    if args.check:
        try:
            load_catalog(args.out / "catalog")
        except CatalogError as err:
            for problem in err.problems[:20]:
                print(problem, file=sys.stderr)
            return 1
        print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
