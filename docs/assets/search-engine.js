/* The catalogue's search engine, in the browser, from the static index files that
   generator/searchindex.py writes under search/ (format described there; text rules in
   generator/searchtext.py). No page code here: search-highlight.js marks matches and
   search-box.js is the header box.

   window.CatalogSearch.search(query) reads the query the way Chinese readers type it:
   - one normalisation with the index (`fold`): width, case, tone marks, ü, traditional
     characters (OpenCC's table, shipped in meta.json); punctuation, quotes and emoji
     separate terms; apostrophes inside pinyin and tone numbers (yi1wang3) are dropped;
   - each term: Chinese of two or more characters as an exact substring (unit
     abbreviations also find the full names), one character through the one-character
     index, pinyin (full, spaced, initials, mixed) through the vocabulary, mixed tokens
     (一网tongban, 12345rexian) as their runs joined, a place or domain name run into
     a term (济南营业执照) split off when the whole finds nothing;
   - a month in any form (六月底前, 2021-06, 2021年6月, 6月30日前) finds the measures due
     then; a measure id finds that measure; a plan's number, issuer or title finds the plan.
   Results rank whole words before matches across words, title before text before unit
   lists. Every limit that applies is reported in `notes`, never silent.
   Record and table fields are read by the names meta.json gives. Nothing leaves the origin. */
(function () {
  "use strict";

  var MAX_COVER = 12;      // bigrams fetched for one fragment; longer fragments are verified on the text
  var MAX_TERMS = 16;      // Chinese words one pinyin term stands for (the rest are named in a note)
  var MAX_PINYIN = 48;     // letters of a pinyin term that are read as pinyin
  var MAX_TOKENS = 24;     // terms of a query that are searched (the rest are named in a note)
  var MAX_COMBOS = 24;     // spellings of one mixed token that are searched (the rest are counted in a note)
  var MAX_CHARS = 12;      // characters one syllable typed beside Chinese stands for (said in a note)

  // --- where the site is ------------------------------------------------------------------

  function siteRoot() {
    var base = ".";
    var config = document.getElementById("__config");
    if (config) {
      try { base = JSON.parse(config.textContent).base || "."; } catch (e) { base = "."; }
    }
    return new URL(base.replace(/\/?$/, "/"), location.href).href;
  }

  var ROOT = siteRoot();

  // --- text (generator/searchtext.py: fold) --------------------------------------------------

  var t2s = new Map();

  var foldTable = null;  // UTF-16 unit -> its folded unit; made on first use, again once meta.json's t2s is read

  function makeFoldTable() {
    var table = new Uint16Array(65536);
    for (var c = 0; c < 65536; c++) table[c] = c;
    for (c = 65; c <= 90; c++) table[c] = c + 32;
    for (c = 0xc0; c <= 0x24f; c++) {
      var base = String.fromCharCode(c).normalize("NFD")[0];
      if (/^[A-Za-z]$/.test(base)) table[c] = base.toLowerCase().charCodeAt(0);
    }
    var special = new Map();  // a traditional character whose simplified form is not one unit (none so far)
    t2s.forEach(function (simple, traditional) {
      if (traditional.length !== 1) return;  // an astral character is two units: fold reads units one by one
      if (simple.length === 1) table[traditional.charCodeAt(0)] = simple.charCodeAt(0);
      else special.set(traditional.charCodeAt(0), simple);
    });
    for (c = 0xff01; c <= 0xff5e; c++) table[c] = table[c - 0xfee0];  // full width: as its ASCII form
    table[0x3000] = 32;
    return { units: table, special: special };
  }

  /* Width, case, Latin diacritics (tone marks), traditional -> simplified (generator/searchtext.py: fold).
     One UTF-16 unit for one, so positions in the folded text are positions in the text. */
  function fold(text) {
    text = String(text);
    if (!foldTable) foldTable = makeFoldTable();
    var units = foldTable.units, special = foldTable.special;
    var out = "", from = 0;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i), to = units[code];
      if (to === code && !(special.size && special.has(code))) continue;
      if (from < i) { out += text.slice(from, i); }
      out += special.has(code) ? special.get(code) : String.fromCharCode(to);
      from = i + 1;
    }
    return from === 0 ? text : out + text.slice(from);
  }

  var SEPARATORS = /[^\p{L}\p{N}]+/u;
  var HAN = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]$/;
  var HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z]+|[0-9]+|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]+/g;

  function codePoints(text) { return Array.from(text); }
  function isHan(ch) { return HAN.test(ch); }
  function compact(text) { return fold(text).split(SEPARATORS).join(""); }

  /* The terms of a query (generator/searchtext.py: query_tokens does the same). */
  function tokenize(query) {
    var text = fold(query).replace(/(?<=[a-z])['’‘](?=[a-z])/g, "");
    return text.split(SEPARATORS).filter(Boolean).map(function (t) {
      return /^(?:[a-z]+[1-5])+[a-z]*$/.test(t) ? t.replace(/(?<=[a-z])[1-5]/g, "") : t;
    });
  }

  function fnv(codes, shards) {
    var h = 0x811c9dc5;
    codes.forEach(function (c) { h = Math.imul(h ^ c, 0x01000193) >>> 0; });
    return h % shards;
  }

  // --- files -----------------------------------------------------------------------------

  var cache = { meta: null, files: new Map() };

  function fetchFile(path, kind) {
    if (!cache.files.has(path)) {
      var promise = fetch(ROOT + path, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("search index: " + path + " " + response.status);
        return kind === "json" ? response.json() : response.arrayBuffer();
      });
      promise.catch(function () { cache.files.delete(path); });
      cache.files.set(path, promise);
    }
    return cache.files.get(path);
  }

  /* A table {fields, rows} as objects named by its own fields. */
  function named(table) {
    return table.rows.map(function (row) {
      var item = {};
      table.fields.forEach(function (name, i) { item[name] = row[i]; });
      return item;
    });
  }

  function loadMeta() {
    if (!cache.meta) {
      var early = window.CatalogSearchMeta;  // started by search-box.js beside this script, when it loaded it
      window.CatalogSearchMeta = null;
      var url = ROOT + "search/meta.json";
      cache.meta = (early && early.url === url ? early.response : fetch(url, { cache: "no-cache", credentials: "same-origin" }))
        .then(function (response) {
          if (!response.ok) throw new Error("search index: meta.json " + response.status);
          return response.json();
        })
        .then(function (meta) {
          var pairs = codePoints(meta.t2s);
          for (var i = 0; i + 1 < pairs.length; i += 2) t2s.set(pairs[i], pairs[i + 1]);
          foldTable = null;
          meta.syllableSet = new Set(meta.syllables);
          meta.vocabSet = new Set(meta.vocab);
          meta.monthSet = new Set(meta.months);
          meta.documents = named(meta.documents);
          meta.jurisdictions = named(meta.jurisdictions);
          meta.domains = named(meta.domains);
          meta.documents.forEach(function (d) {
            d.compactTitle = compact(d.title);
            d.compactIssuer = compact(d.issuer);
            d.compactNumber = compact(d.doc_number);
          });
          meta.names = namesToSplit(meta);
          meta.abbreviations = meta.abbreviations.map(function (g) { return g.map(fold); });
          return meta;
        });
      cache.meta.catch(function () { cache.meta = null; });
    }
    return cache.meta;
  }

  /* Places and domains a reader runs into a term (济南营业执照), longest first. */
  function namesToSplit(meta) {
    var names = new Set();
    meta.jurisdictions.forEach(function (j) { names.add(fold(j.name)); if (j.short && j.short.length >= 2) names.add(fold(j.short)); });
    meta.domains.forEach(function (d) { names.add(fold(d.name)); d.aliases.forEach(function (a) { names.add(fold(a)); }); });
    return Array.from(names).filter(function (n) { return n.length >= 2; }).sort(function (a, b) { return b.length - a.length; });
  }

  // --- varint shards ---------------------------------------------------------------------------

  function Reader(bytes, at) { this.bytes = bytes; this.at = at || 0; }
  /* One unsigned LEB128 varint. Most are one byte; the rest multiply (not shift: values may pass 2^31).
     The postings of the heaviest bigrams are long (at 50x, 167 kB for 部门): this is the engine's inner loop. */
  Reader.prototype.next = function () {
    var bytes = this.bytes, byte = bytes[this.at++];
    if (byte < 0x80) return byte;
    var value = byte & 0x7f, scale = 128;
    do {
      byte = bytes[this.at++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte >= 0x80);
    return value;
  };

  var shardCache = new Map();

  /* A shard of `folder` ("b": bigrams, "u": single characters) as {bytes, keys: Map key -> {start}}. */
  function shard(meta, folder, n, width) {
    var path = "search/" + meta.base + folder + "/" + n + ".bin";
    if (!shardCache.has(path)) {
      shardCache.set(path, fetchFile(path, "bytes").then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        var reader = new Reader(bytes);
        var count = reader.next();
        var spans = [];
        for (var i = 0; i < count; i++) {
          var key = "";
          for (var w = 0; w < width; w++) key += String.fromCodePoint(reader.next());
          spans.push([key, reader.next()]);
        }
        var keys = new Map();
        var at = reader.at;
        spans.forEach(function (span) { keys.set(span[0], { start: at, postings: null }); at += span[1]; });
        return { bytes: bytes, keys: keys };
      }));
      shardCache.get(path).catch(function () { shardCache.delete(path); });
    }
    return shardCache.get(path);
  }

  /* Map measure number -> {p: positions, f: flags, c: [ntitle, ntext, nunits]} for one bigram. */
  function postings(data, key) {
    var entry = data.keys.get(key);
    if (!entry) return null;
    if (!entry.postings) {
      var reader = new Reader(data.bytes, entry.start);
      var ndocs = reader.next();
      var map = new Map();
      var doc = 0;
      for (var i = 0; i < ndocs; i++) {
        doc += reader.next();
        var npos = reader.next();
        var counts = [reader.next(), reader.next(), reader.next()];
        var positions = new Array(npos), flags = new Array(npos);  // (a small typed array costs more to make)
        var p = 0;
        for (var j = 0; j < npos; j++) {
          var v = reader.next();
          p += Math.floor(v / 4);
          positions[j] = p;
          flags[j] = v % 4;
        }
        map.set(doc, { p: positions, f: flags, c: counts });
      }
      entry.postings = map;
    }
    return entry.postings;
  }

  function indexOfSorted(list, value) {
    var lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] === value) return mid;
      if (list[mid] < value) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  /* Field of the j-th position of a posting: 0 title, 1 text, 2 units, 3 jurisdiction/domain. */
  function fieldOf(entry, j) {
    var c = entry.c;
    return j < c[0] ? 0 : j < c[0] + c[1] ? 1 : j < c[0] + c[1] + c[2] ? 2 : 3;
  }

  /* Rank of one occurrence: 0 a whole word in the title, 1 a whole word in the text, 2 across words
     in the title, 3 across words in the text, 4 unit lists, 5 jurisdiction or domain name. */
  function tier(field, word) {
    return field >= 2 ? field + 2 : field + (word ? 0 : 2);
  }

  /* The measures containing `fragment` (folded, no separators, 2+ code points):
     {exact, docs: Map number -> {tier, n}}. */
  function findFragment(meta, fragment) {
    var chars = codePoints(fragment);
    var length = chars.length;
    var offsets = [];
    for (var o = 0; o + 1 < length; o += 2) offsets.push(o);
    if (offsets[offsets.length - 1] !== length - 2) offsets.push(length - 2);
    var exact = offsets.length <= MAX_COVER;
    if (!exact) {
      var spread = [];
      for (var k = 0; k < MAX_COVER; k++) spread.push(offsets[Math.round(k * (offsets.length - 1) / (MAX_COVER - 1))]);
      offsets = Array.from(new Set(spread));
    }
    var keys = offsets.map(function (at) { return chars[at] + chars[at + 1]; });
    return Promise.all(keys.map(function (key) {
      var pair = codePoints(key);
      return shard(meta, "b", fnv([pair[0].codePointAt(0), pair[1].codePointAt(0)], meta.shards), 2);
    })).then(function (datas) {
      var lists = [];
      for (var i = 0; i < keys.length; i++) {
        var list = postings(datas[i], keys[i]);
        if (!list) return { exact: exact, docs: new Map() };
        lists.push({ offset: offsets[i], map: list });
      }
      var first = lists[0], last = lists[lists.length - 1];
      var order = lists.slice().sort(function (a, b) { return a.map.size - b.map.size; });
      var docs = new Map();
      order[0].map.forEach(function (_, doc) {
        for (var r = 1; r < order.length; r++) if (!order[r].map.has(doc)) return;
        var head = first.map.get(doc), tail = last.map.get(doc);
        var count = 0, best = 9;
        for (var s = 0; s < head.p.length; s++) {
          var start = head.p[s];
          var ok = true;
          for (var q = 1; q < lists.length - 1 && ok; q++) {
            ok = indexOfSorted(lists[q].map.get(doc).p, start + lists[q].offset) >= 0;
          }
          var at = ok ? indexOfSorted(tail.p, start + last.offset) : -1;
          if (at < 0) continue;
          count++;
          var word = (head.f[s] & 2) && (tail.f[at] & 1);
          best = Math.min(best, tier(fieldOf(tail, at), word));
        }
        if (count) docs.set(doc, { tier: best, n: count });
      });
      return { exact: exact, docs: docs };
    });
  }

  /* The measures containing one Han character, with the best field it is in. */
  function findChar(meta, ch) {
    return shard(meta, "u", fnv([ch.codePointAt(0)], meta.ushards), 1).then(function (data) {
      var docs = new Map();
      var entry = data.keys.get(ch);
      if (!entry) return { exact: true, docs: docs };
      var reader = new Reader(data.bytes, entry.start);
      var ndocs = reader.next(), doc = 0;
      for (var i = 0; i < ndocs; i++) {
        var v = reader.next();
        doc += Math.floor(v / 4);
        var field = v % 4;
        docs.set(doc, { tier: field >= 2 ? field + 2 : field, n: 1 });
      }
      return { exact: true, docs: docs };
    });
  }

  function findNeedle(meta, needle) {
    var folded = fold(needle);
    var cps = codePoints(folded);
    if (cps.length === 1) return isHan(folded) ? findChar(meta, folded) : Promise.resolve({ exact: true, docs: new Map() });
    return findFragment(meta, folded);
  }

  // --- measures ----------------------------------------------------------------------------

  var recordCache = new Map();  // measure number -> promise of its record (records never change)

  function record(meta, number) {
    if (!recordCache.has(number)) {
      recordCache.set(number, readRecord(meta, number));
      recordCache.get(number).catch(function () { recordCache.delete(number); });
    }
    return recordCache.get(number);
  }

  function readRecord(meta, number) {
    var n = Math.floor(number / meta.chunk);
    return fetchFile("search/" + meta.base + "c/" + n + ".json", "json").then(function (rows) {
      var row = rows[number - n * meta.chunk];
      var r = {};
      meta.fields.forEach(function (name, i) { r[name] = row[i]; });
      var doc = meta.documents[r.document];
      var jurisdiction = meta.jurisdictions[doc.jurisdiction];
      var domain = meta.domains[r.domain];
      var head = r.text.indexOf(r.title) === 0 ? r.text : r.title + "\n" + r.text;
      var units = r.searched_units === null ? r.units : r.searched_units;
      var hay = [head, units, jurisdiction.name, domain.name].join("\n");
      r.deadlines = r.deadlines.map(function (d) {
        var item = {};
        meta.deadline_fields.forEach(function (name, i) { item[name] = d[i]; });
        return item;
      });
      return Object.assign(r, {
        number: number, document: doc.slug, documentTitle: doc.title, documentUrl: doc.url, year: doc.year,
        jurisdiction: jurisdiction.name, jurisdictionSlug: jurisdiction.slug, domain: domain.name, domainSlug: domain.slug,
        hay: hay, hayNorm: fold(hay), textStart: head === r.text ? 0 : r.title.length + 1,
        headLength: head.length, unitsStart: head.length + 1, unitsEnd: head.length + 1 + units.length
      });
    });
  }

  function records(numbers) {
    return loadMeta().then(function (meta) {
      return Promise.all(numbers.map(function (number) { return record(meta, number); }));
    });
  }

  // --- pinyin ------------------------------------------------------------------------------

  function firstSyllables(meta, q) {
    var found = [q[0]];
    if (/^[zcs]h/.test(q)) found.push(q.slice(0, 2));
    for (var len = 1; len <= Math.min(6, q.length); len++) {
      if (meta.syllableSet.has(q.slice(0, len))) found.push(q.slice(0, len));
    }
    return found;
  }

  function vocabKeys(meta, q) {
    var keys = new Set();
    firstSyllables(meta, q).forEach(function (s) {
      if (s.length < q.length && meta.vocabSet.has(q[0] + q[s.length])) keys.add(q[0] + q[s.length]);
    });
    return Array.from(keys);
  }

  /* How the typed letters `q` spell the term: a cost (lower is better), or null when they do not.
     Each character may be typed as a full reading, its initial (zh/ch/sh or first letter), or, for
     the last one, a prefix; a character not typed in full costs 100, a reading other than the one
     in context 1. So 示范 (both in full) comes before 施方案 for "shifan". */
  function spell(q, options) {
    var memo = new Map();
    var NONE = Infinity;
    function go(i, c) {
      if (c === options.length) return i === q.length ? 0 : NONE;
      if (i >= q.length) return NONE;
      var key = i * 64 + c;
      if (memo.has(key)) return memo.get(key);
      var best = NONE;
      var readings = options[c];
      for (var r = 0; r < readings.length; r++) {
        var reading = readings[r];
        var penalty = r === 0 ? 0 : 1;
        if (q.startsWith(reading, i)) best = Math.min(best, go(i + reading.length, c + 1) + penalty);
        var initials = [reading[0]];
        if (/^[zcs]h/.test(reading)) initials.push(reading.slice(0, 2));
        for (var k = 0; k < initials.length; k++) {
          if (initials[k] !== reading && q.startsWith(initials[k], i)) {
            best = Math.min(best, go(i + initials[k].length, c + 1) + 100 + penalty);
          }
        }
        if (c === options.length - 1 && reading.length > q.length - i && reading.startsWith(q.slice(i))) {
          best = Math.min(best, 100 + penalty);
        }
      }
      memo.set(key, best);
      return best;
    }
    var cost = go(0, 0);
    return cost === NONE ? null : cost;
  }

  function vocabShard(meta, key) {
    return fetchFile("search/" + meta.base + "v/" + key + ".json", "json").then(function (entries) {
      if (!entries.parsed) {
        var f = {};
        meta.vocab_fields.forEach(function (name, i) { f[name] = i; });
        var run = meta.vocab_kinds.indexOf("run");
        entries.parsed = entries.map(function (entry) {
          return {
            term: entry[f.term], kind: entry[f.kind], word: entry[f.kind] !== run, uses: entry[f.uses],
            options: entry[f.readings].split(" ").map(function (s) { return s.split("|"); })
          };
        });
      }
      return entries.parsed;
    });
  }

  /* Chinese terms that the letters `q` spell, best first: {terms, more} (more: how many were left out). */
  function pinyinTerms(meta, q) {
    if (q.length < 2 || q.length > MAX_PINYIN || !/^[a-z]+$/.test(q)) return Promise.resolve({ terms: [], more: 0 });
    return Promise.all(vocabKeys(meta, q).map(function (key) { return vocabShard(meta, key); })).then(function (shards) {
      var best = new Map();
      shards.forEach(function (entries) {
        entries.forEach(function (entry) {
          if (entry.options.length * 6 < q.length) return;
          var cost = spell(q, entry.options);
          if (cost !== null && (!best.has(entry.term) || best.get(entry.term).cost > cost)) {
            best.set(entry.term, { term: entry.term, kind: entry.kind, word: entry.word, uses: entry.uses, cost: cost });
          }
        });
      });
      var all = Array.from(best.values()).sort(function (a, b) {
        return a.cost - b.cost || (b.word - a.word) || a.kind - b.kind || b.uses - a.uses ||
          a.term.length - b.term.length || (a.term < b.term ? -1 : 1);
      });
      return { terms: all.slice(0, MAX_TERMS), more: Math.max(0, all.length - MAX_TERMS) };
    });
  }

  // --- dates ---------------------------------------------------------------------------------

  var CN_MONTH = { "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12 };
  var NUMERIC_DATE = /(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*\d{1,2})?(?!\d)/g;
  var CHINESE_DATE = /(?:(\d{4})\s*年\s*)?(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月(?:份|初|中旬|上旬|下旬)?(?:\s*\d{1,2}\s*日)?(?:底|末)?(?:之前|以前|前)?/g;

  /* Months the query names: {dates: [{year|null, month, text}], rest: the query with them taken out}. */
  function findDates(text) {
    var found = [];
    function take(all, year, month) {
      var m = /^\d+$/.test(month) ? parseInt(month, 10) : CN_MONTH[month];
      if (!m || m > 12 || (year && (+year < 1990 || +year > 2100))) return all;
      found.push({ year: year ? +year : null, month: m, text: all.trim() });
      return " ";
    }
    var rest = text.replace(NUMERIC_DATE, take).replace(CHINESE_DATE, take);
    return { dates: found, rest: rest };
  }

  function findMonth(meta, date) {
    var mm = (date.month < 10 ? "0" : "") + date.month;
    var key = date.year ? date.year + "-" + mm : mm;
    var due = meta.monthSet.has(key) ? fetchFile("search/" + meta.base + "d/" + key + ".json", "json") : Promise.resolve([]);
    var literal = tokenize(date.text);
    var text = literal.length === 1 && codePoints(literal[0]).length >= 2 ? findNeedle(meta, literal[0]) : Promise.resolve(null);
    return Promise.all([due, text]).then(function (both) {
      var docs = new Map();
      if (both[1]) both[1].docs.forEach(function (hit, doc) { docs.set(doc, { tier: hit.tier, n: hit.n, rank: 0 }); });
      both[0].forEach(function (doc) { if (!docs.has(doc)) docs.set(doc, { tier: 1, n: 1, rank: 0 }); });
      return {
        label: date.text, needles: literal.length === 1 ? literal : [], pinyin: [], more: 0, docs: docs, inexact: [],
        month: { year: date.year, month: date.month }
      };
    });
  }

  // --- ids and documents -------------------------------------------------------------------------

  function findId(meta, text) {
    var id = fold(text).trim();
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(id)) return Promise.resolve(null);
    var doc = -1;
    meta.documents.forEach(function (d, i) { if (id.indexOf(d.slug + "-") === 0 && (doc < 0 || d.slug.length > meta.documents[doc].slug.length)) doc = i; });
    if (doc < 0) return Promise.resolve(null);
    return fetchFile("search/" + meta.base + "i/" + doc + ".json", "json").then(function (ids) {
      var at = ids.indexOf(id);
      return at < 0 ? null : meta.documents[doc].first + at;
    });
  }

  /* Plans the query names: by their number (聊政办字〔2022〕13号), issuer, or (most of) their title. */
  function findDocuments(meta, text) {
    var q = compact(text);
    if (codePoints(q).length < 4) return [];
    var found = [];
    meta.documents.forEach(function (d, i) {
      if ((d.compactNumber && q === d.compactNumber) || (d.compactIssuer && q === d.compactIssuer) ||
          (q.length >= 6 && d.compactTitle.indexOf(q) >= 0 && q.length * 3 >= d.compactTitle.length * 2)) found.push(i);
    });
    return found;
  }

  // --- queries ---------------------------------------------------------------------------------

  /* Consecutive pinyin tokens that together spell a vocabulary term form one group ("yi wang tong ban"). */
  function groupTokens(meta, tokens) {
    var groups = [];
    var i = 0;
    function isPinyin(t) { return /^[a-z]+$/.test(t); }
    function step() {
      if (i >= tokens.length) return Promise.resolve(groups);
      if (!isPinyin(tokens[i])) {
        groups.push({ tokens: [tokens[i]] });
        i++;
        return step();
      }
      var end = i + 1;
      while (end < tokens.length && end - i < 8 && isPinyin(tokens[end])) end++;
      function tryEnd(j) {
        if (j <= i + 1) {
          groups.push({ tokens: [tokens[i]] });
          i++;
          return step();
        }
        return pinyinTerms(meta, tokens.slice(i, j).join("")).then(function (found) {
          if (found.terms.length) {
            groups.push({ tokens: tokens.slice(i, j), found: found });
            i = j;
            return step();
          }
          return tryEnd(j - 1);
        });
      }
      return tryEnd(end);
    }
    return step();
  }

  /* Other spellings of a Chinese term by the reviewed unit abbreviations (市住建局 → 市住房城乡建设局). */
  function abbreviationVariants(meta, term) {
    var out = [];
    meta.abbreviations.forEach(function (group) {
      group.forEach(function (spelling) {
        if (term.indexOf(spelling) < 0) return;
        group.forEach(function (other) { if (other !== spelling) out.push(term.split(spelling).join(other)); });
      });
    });
    return out;
  }

  /* Needles of one token: [{text, rank}] (rank orders the words a pinyin token stands for). */
  function needlesOf(meta, group) {
    if (group.found) {
      return Promise.resolve({ needles: group.found.terms.map(function (t, k) { return { text: t.term, rank: k }; }), found: group.found });
    }
    var token = group.tokens[0];
    if (/^[a-z]+$/.test(token)) {
      return pinyinTerms(meta, token).then(function (found) {
        var needles = [{ text: token, rank: 0 }];
        found.terms.forEach(function (t, k) { needles.push({ text: t.term, rank: k }); });
        return { needles: needles, found: found };
      });
    }
    var runs = token.match(HAN_RUN) || [token];
    if (runs.length === 1 || !runs.some(function (r) { return /^[a-z]/.test(r); })) {
      var needles = [{ text: token, rank: 0 }];
      abbreviationVariants(meta, token).forEach(function (v) { needles.push({ text: v, rank: 0 }); });
      return Promise.resolve({ needles: needles, found: null });
    }
    // Chinese, pinyin and digits in one token: each pinyin run as itself, as the words it spells, or
    // as the catalogue's characters with those readings (most used first).
    var limited = [];
    return Promise.all(runs.map(function (run) {
      if (!/^[a-z]/.test(run)) return Promise.resolve([run]);
      return pinyinTerms(meta, run).then(function (found) {
        var words = found.terms.map(function (t) { return t.term; });
        var parts = splitSyllables(meta, run);
        if (!parts) return [run].concat(words);
        return syllableChars(meta).then(function (table) {
          var combos = [{ text: "", rank: 0 }];
          parts.forEach(function (syllable) {
            var all = codePoints(table[syllable] || "");
            if (all.length > MAX_CHARS) limited.push(syllable + " 只按最常用的 " + MAX_CHARS + " 个字（共 " + all.length + " 个）");
            var chars = all.slice(0, MAX_CHARS);
            var next = [];
            combos.forEach(function (c) { chars.forEach(function (ch, k) { next.push({ text: c.text + ch, rank: c.rank + k }); }); });
            next.sort(function (a, b) { return a.rank - b.rank; });
            combos = next.slice(0, MAX_COMBOS);
          });
          var texts = combos.map(function (c) { return c.text; });
          return [run].concat(words, texts.filter(function (c) { return words.indexOf(c) < 0; }));
        });
      });
    })).then(function (choices) {
      var combos = [{ text: "", rank: 0 }];
      var more = 0;
      choices.forEach(function (options) {
        var next = [];
        combos.forEach(function (c) {
          options.forEach(function (o, k) { next.push({ text: c.text + o, rank: c.rank + k }); });
        });
        next.sort(function (a, b) { return a.rank - b.rank; });
        more += Math.max(0, next.length - MAX_COMBOS);
        combos = next.slice(0, MAX_COMBOS);
      });
      var terms = combos.filter(function (c) { return c.text !== token; }).map(function (c) { return { term: c.text }; });
      return { needles: combos, found: { terms: terms, more: more }, limited: limited };
    });
  }

  /* `run` as whole syllables (longest first), or null. */
  function splitSyllables(meta, run) {
    var memo = new Map();
    function go(i) {
      if (i === run.length) return [];
      if (memo.has(i)) return memo.get(i);
      var result = null;
      for (var len = Math.min(6, run.length - i); len >= 1 && !result; len--) {
        var s = run.slice(i, i + len);
        if (meta.syllableSet.has(s)) {
          var rest = go(i + len);
          if (rest) result = [s].concat(rest);
        }
      }
      memo.set(i, result);
      return result;
    }
    var parts = go(0);
    return parts && parts.length <= 3 ? parts : null;
  }

  function syllableChars(meta) { return fetchFile("search/" + meta.base + "py.json", "json"); }

  function searchGroup(meta, group) {
    return needlesOf(meta, group).then(function (plan) {
      var needles = plan.needles.filter(function (n) { return codePoints(n.text).length >= (isHan(n.text) ? 1 : 2); });
      return Promise.all(needles.map(function (n) { return findNeedle(meta, n.text); })).then(function (found) {
        var docs = new Map();
        var inexact = [];
        found.forEach(function (result, k) {
          var needle = needles[k];
          if (!result.exact) inexact.push(needle.text);
          result.docs.forEach(function (hit, doc) {
            var seen = docs.get(doc);
            var score = needle.rank * 10 + hit.tier;
            if (!seen) docs.set(doc, { score: score, n: hit.n, needles: [needle.text] });
            else { seen.score = Math.min(seen.score, score); seen.n += hit.n; seen.needles.push(needle.text); }
          });
        });
        var f = plan.found;
        return {
          label: group.tokens.join(" "), tokens: group.tokens, needles: needles.map(function (n) { return n.text; }),
          pinyin: f ? f.terms.map(function (t) { return t.term; }) : [], more: f ? f.more : 0,
          docs: docs, inexact: inexact, single: needles.length === 1 && codePoints(needles[0].text).length === 1,
          limited: (plan.limited || []).concat(group.tokens.join("").length > MAX_PINYIN && /^[a-z]+$/.test(group.tokens.join(""))
            ? ["“" + group.tokens.join(" ").slice(0, 20) + "…”超过 " + MAX_PINYIN + " 个字母，不按拼音读"] : [])
        };
      });
    });
  }

  /* A Chinese token that finds nothing may be a place or domain run into a term: split it off. */
  function splitNames(meta, group) {
    if (group.docs.size || group.tokens.length !== 1) return null;
    var token = group.tokens[0];
    if (!/^[\u3400-\u9fff]+$/.test(token)) return null;
    for (var i = 0; i < meta.names.length; i++) {
      var name = meta.names[i];
      if (token.length > name.length && token.indexOf(name) === 0) return [name, token.slice(name.length)];
      if (token.length > name.length && token.slice(-name.length) === name) return [token.slice(0, -name.length), name];
    }
    return null;
  }

  /* Long fragments were matched on a spread of their bigrams: keep the measures that contain them. */
  function verify(meta, group) {
    if (!group.inexact.length || !group.docs.size) return Promise.resolve(group);
    var numbers = Array.from(group.docs.keys());
    return records(numbers).then(function (list) {
      list.forEach(function (rec) {
        var hit = group.docs.get(rec.number);
        var still = hit.needles.filter(function (needle) {
          return group.inexact.indexOf(needle) < 0 || rec.hayNorm.indexOf(fold(needle)) >= 0;
        });
        if (!still.length) group.docs.delete(rec.number);
        else hit.needles = still;
      });
      return group;
    });
  }

  function searchTokens(meta, tokens) {
    return groupTokens(meta, tokens).then(function (groups) {
      return Promise.all(groups.map(function (g) {
        return searchGroup(meta, g).then(function (r) {
          var parts = splitNames(meta, r);
          if (!parts) return [r];
          return Promise.all(parts.map(function (p) { return searchGroup(meta, { tokens: [p] }); })).then(function (split) {
            if (split.some(function (s) { return !s.docs.size; })) return [r];
            split.forEach(function (s) { s.splitFrom = r.label; });
            return split;
          });
        });
      }));
    }).then(function (nested) {
      var flat = [];
      nested.forEach(function (list) { flat = flat.concat(list); });
      return Promise.all(flat.map(function (g) { return verify(meta, g); }));
    });
  }

  /* {groups: [{label, needles, pinyin, more}], ignored, notes, plans: [document], results: [{number, score, n}]} */
  function search(query) {
    query = String(query);
    return loadMeta().then(function (meta) {
      var notes = [];
      var dated = findDates(fold(query));
      var tokens = tokenize(dated.rest);
      var ignored = tokens.filter(function (t) { return codePoints(t).length < 2 && !isHan(t); });
      tokens = tokens.filter(function (t) { return codePoints(t).length >= 2 || isHan(t); });
      if (tokens.length > MAX_TOKENS) {
        notes.push("只搜索前 " + MAX_TOKENS + " 个词，未搜索：" + tokens.slice(MAX_TOKENS).join(" "));
        tokens = tokens.slice(0, MAX_TOKENS);
      }
      var plans = findDocuments(meta, query);
      return findId(meta, query).then(function (opened) {
        if (opened !== null) return [opened, [], []];  // an id means that measure, not its words
        return Promise.all([
          opened,
          Promise.all(dated.dates.map(function (d) { return findMonth(meta, d); })),
          tokens.length ? searchTokens(meta, tokens) : Promise.resolve([])
        ]);
      }).then(function (parts) {
        var opened = parts[0];
        var groups = parts[1].concat(parts[2]);
        var results = combine(groups);
        if (plans.length) {
          var inPlan = new Set();
          var planned = [];
          plans.forEach(function (i) {
            var d = meta.documents[i];
            for (var k = 0; k < d.count; k++) { inPlan.add(d.first + k); planned.push({ number: d.first + k, score: 0, n: 0 }); }
          });
          results = planned.concat(results.filter(function (r) { return !inPlan.has(r.number); }));
        }
        if (opened !== null) {
          results = [{ number: opened, score: -1, n: 1 }].concat(results.filter(function (r) { return r.number !== opened; }));
        }
        groups.forEach(function (g) {
          (g.limited || []).forEach(function (note) { notes.push(note); });
          if (g.more) notes.push("“" + g.label + "”可指的词较多，只搜索了前 " + g.pinyin.length + " 个（另有 " + g.more + " 个）");
        });
        return {
          groups: groups.map(function (g) {
            return { label: g.label, needles: g.needles, pinyin: g.pinyin, more: g.more, single: !!g.single, month: g.month || null, splitFrom: g.splitFrom || null };
          }),
          ignored: ignored, notes: notes, opened: opened,
          plans: plans.map(function (i) { return meta.documents[i]; }), results: results
        };
      });
    });
  }

  /* Measures every group finds, best first: lowest summed score, then most occurrences, then catalogue order. */
  function combine(groups) {
    if (!groups.length) return [];
    var order = groups.slice().sort(function (a, b) { return a.docs.size - b.docs.size; });
    var results = [];
    order[0].docs.forEach(function (hit, doc) {
      var score = hit.score !== undefined ? hit.score : hit.tier, n = hit.n;
      for (var g = 1; g < order.length; g++) {
        var other = order[g].docs.get(doc);
        if (!other) return;
        score += other.score !== undefined ? other.score : other.tier;
        n += other.n;
      }
      results.push({ number: doc, score: score, n: n });
    });
    results.sort(function (a, b) { return a.score - b.score || b.n - a.n || a.number - b.number; });
    return results;
  }

  window.CatalogSearch = {
    root: ROOT, fold: fold, normalize: fold, tokenize: tokenize, loadMeta: loadMeta, search: search, records: records,
    findDates: findDates,
    pinyinTerms: function (q) {
      return loadMeta().then(function (meta) { return pinyinTerms(meta, fold(q)).then(function (f) { return f.terms; }); });
    }
  };
})();
