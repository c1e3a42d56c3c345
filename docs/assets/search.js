/* Search of the catalogue, in the browser, from the static index files that
   generator/searchindex.py writes under search/ (format described there).

   window.CatalogSearch.search(query) finds every measure whose title, text,
   units, jurisdiction or domain contains each whitespace-separated term of
   the query: a term of two or more characters as an exact substring, and a
   term typed in pinyin (full, spaced, initials, mixed) through the pinyin
   vocabulary, whose Chinese terms are then searched as substrings.

   The header search box (overrides/partials/catalog-search.html) shows the
   results. All text from the index or the query enters the page through
   textContent / createTextNode, never as HTML. Nothing leaves the origin. */
(function () {
  "use strict";

  var MAX_COVER = 12;      // bigrams fetched for one fragment; longer fragments are verified on the text
  var MAX_TERMS = 20;      // Chinese terms a pinyin term may stand for
  var MAX_PINYIN = 48;     // letters of a pinyin term that are read as pinyin
  var MAX_TOKENS = 12;     // terms of a query that are searched
  var PAGE = 20;           // results shown at a time

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

  // --- text ------------------------------------------------------------------------------

  function normalize(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
      if (code >= 65 && code <= 90) code += 32;
      out += String.fromCharCode(code);
    }
    return out;
  }

  function codePoints(text) { return Array.from(text); }

  function fnvShard(a, b, shards) {
    var h = 0x811c9dc5;
    h = Math.imul(h ^ a.codePointAt(0), 0x01000193) >>> 0;
    h = Math.imul(h ^ b.codePointAt(0), 0x01000193) >>> 0;
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

  function loadMeta() {
    if (!cache.meta) {
      cache.meta = fetch(ROOT + "search/meta.json", { cache: "no-cache", credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("search index: meta.json " + response.status);
          return response.json();
        })
        .then(function (meta) {
          meta.syllableSet = new Set(meta.syllables);
          meta.vocabSet = new Set(meta.vocab);
          return meta;
        });
      cache.meta.catch(function () { cache.meta = null; });
    }
    return cache.meta;
  }

  // --- bigram shards ---------------------------------------------------------------------------

  function Reader(bytes, at) { this.bytes = bytes; this.at = at || 0; }
  Reader.prototype.next = function () {
    var value = 0, shift = 0, byte;
    do {
      byte = this.bytes[this.at++];
      value += (byte & 0x7f) * Math.pow(2, shift);
      shift += 7;
    } while (byte >= 0x80);
    return value;
  };

  var shardCache = new Map();

  function shard(meta, n) {
    var path = "search/" + meta.base + "b/" + n + ".bin";
    if (!shardCache.has(path)) {
      shardCache.set(path, fetchFile(path, "bytes").then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        var reader = new Reader(bytes);
        var count = reader.next();
        var spans = [];
        for (var i = 0; i < count; i++) {
          var key = String.fromCodePoint(reader.next()) + String.fromCodePoint(reader.next());
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

  /* Map measure number -> {p: sorted positions, t: how many of them lie in the title}. */
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
        var ntitle = reader.next();
        var positions = new Array(npos);
        var p = 0;
        for (var j = 0; j < npos; j++) { p += reader.next(); positions[j] = p; }
        map.set(doc, { p: positions, t: ntitle });
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

  /* The measures containing `fragment` (normalized, no whitespace, 2+ code points):
     {exact, docs: Map number -> {title: bool, n: occurrences}}. */
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
      return shard(meta, fnvShard(pair[0], pair[1], meta.shards));
    })).then(function (datas) {
      var lists = [];
      for (var i = 0; i < keys.length; i++) {
        var list = postings(datas[i], keys[i]);
        if (!list) return { exact: exact, docs: new Map() };
        lists.push({ offset: offsets[i], map: list });
      }
      var last = lists[lists.length - 1];
      var order = lists.slice().sort(function (a, b) { return a.map.size - b.map.size; });
      var docs = new Map();
      order[0].map.forEach(function (first, doc) {
        for (var r = 1; r < order.length; r++) if (!order[r].map.has(doc)) return;
        var count = 0, title = false;
        for (var s = 0; s < first.p.length; s++) {
          var start = first.p[s] - order[0].offset;
          var ok = true;
          for (var q = 1; q < order.length && ok; q++) {
            ok = indexOfSorted(order[q].map.get(doc).p, start + order[q].offset) >= 0;
          }
          if (!ok) continue;
          count++;
          var lastList = last.map.get(doc);
          var at = indexOfSorted(lastList.p, start + last.offset);
          if (exact && at >= 0 && at < lastList.t) title = true;
        }
        if (count) docs.set(doc, { title: title, n: count });
      });
      return { exact: exact, docs: docs };
    });
  }

  // --- measures ----------------------------------------------------------------------------

  function record(meta, number) {
    var n = Math.floor(number / meta.chunk);
    return fetchFile("search/" + meta.base + "c/" + n + ".json", "json").then(function (rows) {
      var row = rows[number - n * meta.chunk];
      var doc = meta.documents[row[1]];
      var jurisdiction = meta.jurisdictions[doc[2]];
      var domain = meta.domains[row[5]];
      var title = row[2], text = row[3];
      var head = text.indexOf(title) === 0 ? text : title + "\n" + text;
      var hay = [head, row[4], jurisdiction[1], domain[1]].join("\n");
      return {
        number: number, id: row[0], document: doc[0], documentTitle: doc[1], year: doc[3],
        title: title, text: text, units: row[4],
        jurisdiction: jurisdiction[1], jurisdictionSlug: jurisdiction[0], domain: domain[1], domainSlug: domain[0],
        section: row[6], label: row[7], lead: row[8], responsible: row[9], deadlines: row[10], tags: row[11],
        url: "documents/" + doc[0] + "/#" + row[0],
        hay: hay, hayNorm: normalize(hay), headLength: head.length,
        metaStart: head.length + 1 + row[4].length + 1
      };
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

  /* How well the typed letters `q` spell the term; -1 when they do not. Each character may be typed
     as a full reading, its initial (zh/ch/sh or first letter), or, for the last one, a prefix. */
  function spellScore(q, options) {
    var memo = new Map();
    function go(i, c) {
      if (c === options.length) return i === q.length ? 0 : -1;
      if (i >= q.length) return -1;
      var key = i * 64 + c;
      if (memo.has(key)) return memo.get(key);
      var best = -1;
      var readings = options[c];
      for (var r = 0; r < readings.length; r++) {
        var reading = readings[r];
        var penalty = r === 0 ? 0 : 1;
        if (q.startsWith(reading, i)) {
          var full = go(i + reading.length, c + 1);
          if (full >= 0) best = Math.max(best, full + 3 - penalty);
        }
        var initials = [reading[0]];
        if (/^[zcs]h/.test(reading)) initials.push(reading.slice(0, 2));
        for (var k = 0; k < initials.length; k++) {
          if (initials[k] !== reading && q.startsWith(initials[k], i)) {
            var part = go(i + initials[k].length, c + 1);
            if (part >= 0) best = Math.max(best, part + 1 - penalty);
          }
        }
        if (c === options.length - 1 && reading.length > q.length - i && reading.startsWith(q.slice(i))) {
          best = Math.max(best, 2 - penalty);
        }
      }
      memo.set(key, best);
      return best;
    }
    return go(0, 0);
  }

  function vocabShard(meta, key) {
    return fetchFile("search/" + meta.base + "v/" + key + ".json", "json").then(function (entries) {
      if (!entries.parsed) {
        entries.parsed = entries.map(function (entry) {
          return { term: entry[0], kind: entry[1], options: entry[2].split(" ").map(function (s) { return s.split("|"); }) };
        });
      }
      return entries.parsed;
    });
  }

  /* Chinese terms that the letters `q` spell, best first. */
  function pinyinTerms(meta, q) {
    if (q.length < 2 || q.length > MAX_PINYIN || !/^[a-z]+$/.test(q)) return Promise.resolve([]);
    return Promise.all(vocabKeys(meta, q).map(function (key) { return vocabShard(meta, key); })).then(function (shards) {
      var best = new Map();
      shards.forEach(function (entries) {
        entries.forEach(function (entry) {
          var score = spellScore(q, entry.options);
          if (score >= 0 && (!best.has(entry.term) || best.get(entry.term).score < score)) {
            best.set(entry.term, { term: entry.term, kind: entry.kind, score: score });
          }
        });
      });
      return Array.from(best.values()).sort(function (a, b) {
        return b.score - a.score || a.kind - b.kind || a.term.length - b.term.length || (a.term < b.term ? -1 : 1);
      }).slice(0, MAX_TERMS);
    });
  }

  // --- queries ---------------------------------------------------------------------------------

  function tokenize(query) {
    return normalize(String(query)).split(/\s+/).filter(Boolean);
  }

  /* Consecutive pinyin tokens that together spell a vocabulary term form one group ("yi wang tong ban"). */
  function groupTokens(meta, tokens) {
    var groups = [];
    var i = 0;
    function step() {
      if (i >= tokens.length) return Promise.resolve(groups);
      if (!/^[a-z]+$/.test(tokens[i])) {
        groups.push({ tokens: [tokens[i]] });
        i++;
        return step();
      }
      var end = i + 1;
      while (end < tokens.length && end - i < 8 && /^[a-z]+$/.test(tokens[end])) end++;
      function tryEnd(j) {
        if (j <= i + 1) {
          groups.push({ tokens: [tokens[i]] });
          i++;
          return step();
        }
        return pinyinTerms(meta, tokens.slice(i, j).join("")).then(function (terms) {
          if (terms.length) {
            groups.push({ tokens: tokens.slice(i, j), terms: terms });
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

  function searchGroup(meta, group) {
    var literal = group.tokens.length === 1 ? group.tokens[0] : null;
    var termsP = group.terms ? Promise.resolve(group.terms)
      : literal && /^[a-z]+$/.test(literal) ? pinyinTerms(meta, literal) : Promise.resolve([]);
    return termsP.then(function (terms) {
      var needles = [];
      if (literal && codePoints(literal).length >= 2) needles.push(literal);
      terms.forEach(function (t) { if (needles.indexOf(t.term) < 0) needles.push(t.term); });
      return Promise.all(needles.map(function (needle) { return findFragment(meta, normalize(needle)); }))
        .then(function (found) {
          var docs = new Map();
          var inexact = [];
          found.forEach(function (result, k) {
            if (!result.exact) inexact.push(needles[k]);
            result.docs.forEach(function (hit, doc) {
              var seen = docs.get(doc);
              if (!seen) docs.set(doc, { title: hit.title, n: hit.n, needles: [needles[k]] });
              else { seen.title = seen.title || hit.title; seen.n += hit.n; seen.needles.push(needles[k]); }
            });
          });
          return {
            label: group.tokens.join(" "), needles: needles, pinyin: terms.map(function (t) { return t.term; }),
            docs: docs, inexact: inexact
          };
        });
    });
  }

  /* Long fragments were matched on a spread of their bigrams: keep the measures that contain them. */
  function verify(meta, group) {
    if (!group.inexact.length || !group.docs.size) return Promise.resolve(group);
    var numbers = Array.from(group.docs.keys());
    return records(numbers).then(function (list) {
      list.forEach(function (rec) {
        var hit = group.docs.get(rec.number);
        var still = hit.needles.filter(function (needle) {
          return group.inexact.indexOf(needle) < 0 || rec.hayNorm.indexOf(normalize(needle)) >= 0;
        });
        if (!still.length) { group.docs.delete(rec.number); return; }
        hit.needles = still;
        if (still.some(function (needle) { return normalize(rec.title).indexOf(normalize(needle)) >= 0; })) hit.title = true;
      });
      return group;
    });
  }

  /* {groups: [{label, needles, pinyin}], ignored: [short terms], results: [{number, title, n}]} */
  function search(query) {
    var tokens = tokenize(query);
    var ignored = tokens.filter(function (t) { return codePoints(t).length < 2; });
    tokens = tokens.filter(function (t) { return codePoints(t).length >= 2; }).slice(0, MAX_TOKENS);
    return loadMeta().then(function (meta) {
      if (!tokens.length) return { groups: [], ignored: ignored, results: [] };
      return groupTokens(meta, tokens).then(function (groups) {
        return Promise.all(groups.map(function (g) {
          return searchGroup(meta, g).then(function (r) { return verify(meta, r); });
        }));
      }).then(function (groups) {
        groups.sort(function (a, b) { return a.docs.size - b.docs.size; });
        var results = [];
        groups[0].docs.forEach(function (hit, doc) {
          var title = hit.title, n = hit.n;
          for (var g = 1; g < groups.length; g++) {
            var other = groups[g].docs.get(doc);
            if (!other) return;
            title = title || other.title;
            n += other.n;
          }
          results.push({ number: doc, title: title, n: n });
        });
        results.sort(function (a, b) { return (b.title - a.title) || (b.n - a.n) || (a.number - b.number); });
        return {
          groups: groups.map(function (g) { return { label: g.label, needles: g.needles, pinyin: g.pinyin }; }),
          ignored: ignored, results: results
        };
      });
    });
  }

  window.CatalogSearch = {
    root: ROOT, normalize: normalize, loadMeta: loadMeta, search: search, records: records, pinyinTerms: function (q) {
      return loadMeta().then(function (meta) { return pinyinTerms(meta, normalize(q)); });
    }
  };

  // --- highlighting ------------------------------------------------------------------------------

  /* Append `text` to `parent`, with every occurrence of a needle inside <mark>. Text nodes only. */
  function appendMarked(parent, text, needles) {
    var norm = normalize(text);
    var marked = new Uint8Array(text.length);
    needles.forEach(function (needle) {
      var n = normalize(needle);
      if (!n) return;
      for (var at = norm.indexOf(n); at >= 0; at = norm.indexOf(n, at + 1)) {
        for (var k = at; k < at + n.length; k++) marked[k] = 1;
      }
    });
    var start = 0;
    for (var i = 1; i <= text.length; i++) {
      if (i === text.length || marked[i] !== marked[start]) {
        var piece = text.slice(start, i);
        if (marked[start]) {
          var mark = document.createElement("mark");
          mark.textContent = piece;
          parent.appendChild(mark);
        } else {
          parent.appendChild(document.createTextNode(piece));
        }
        start = i;
      }
    }
  }

  /* The part of the measure's text around its first match (after the title), about 100 characters. */
  function passage(rec, needles) {
    var from = rec.text.indexOf(rec.title) === 0 ? rec.title.length : rec.title.length + 1;
    var best = -1, length = 0;
    needles.forEach(function (needle) {
      var n = normalize(needle);
      var at = rec.hayNorm.indexOf(n, from);
      if (at >= 0 && at < rec.metaStart && (best < 0 || at < best)) { best = at; length = n.length; }
    });
    var body = rec.hay.slice(0, rec.metaStart - 1);
    var start = best < 0 ? from : Math.max(from, best - 30);
    var end = Math.min(body.length, Math.max(start + 100, best + length + 20));
    var text = body.slice(start, end).replace(/^[。，；：、\s]+/, "").replace(/\n/g, " ｜ ");
    return (start > from ? "…" : "") + text + (end < body.length ? "…" : "");
  }

  // --- the header search box --------------------------------------------------------------------------

  function setupBox() {
    var input = document.getElementById("catalog-search-input");
    if (!input) return;
    var form = input.form;
    var toggle = document.getElementById("__search");
    var box = document.getElementById("catalog-search-results");
    var info = box.querySelector(".md-search-result__meta");
    var list = box.querySelector(".md-search-result__list");
    var sequence = 0;
    var current = null;

    function open() { if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); } }
    function close() { if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); } }

    function setInfo(text) {
      info.textContent = text;
    }

    function done(query, started, state) {
      box.dataset.state = state;
      box.dataset.query = query;
      var ms = performance.now() - started;
      box.dataset.ms = ms.toFixed(1);
      document.dispatchEvent(new CustomEvent("catalogsearch:rendered", { detail: { query: query, ms: ms, state: state } }));
    }

    function item(rec, found, needles) {
      var li = document.createElement("li");
      li.className = "md-search-result__item catalog-hit";
      li.dataset.measure = rec.id;
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = ROOT + rec.url;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var title = document.createElement("h2");
      title.className = "catalog-hit__title";
      appendMarked(title, rec.title, needles);
      var meta = document.createElement("p");
      meta.className = "catalog-hit__meta";
      appendMarked(meta, rec.jurisdiction + " · " + rec.domain + " · " + rec.documentTitle + " 第" + rec.label + "条", needles);
      var text = document.createElement("p");
      text.className = "catalog-hit__passage";
      appendMarked(text, passage(rec, needles), needles);
      article.appendChild(title);
      article.appendChild(meta);
      article.appendChild(text);
      a.appendChild(article);
      li.appendChild(a);
      if (found.title) li.dataset.inTitle = "1";
      return li;
    }

    function showMore(state, started) {
      var slice = state.result.results.slice(state.shown, state.shown + PAGE);
      var needles = [];
      state.result.groups.forEach(function (g) { needles = needles.concat(g.needles); });
      return records(slice.map(function (r) { return r.number; })).then(function (recs) {
        if (state !== current) return;
        var more = list.querySelector(".catalog-more");
        if (more) more.remove();
        recs.forEach(function (rec, k) { list.appendChild(item(rec, slice[k], needles)); });
        state.shown += slice.length;
        if (state.shown < state.result.results.length) {
          var li = document.createElement("li");
          li.className = "catalog-more";
          var button = document.createElement("button");
          button.type = "button";
          button.className = "md-button";
          button.textContent = "显示更多（还有 " + (state.result.results.length - state.shown) + " 条）";
          button.addEventListener("click", function () { showMore(state, performance.now()); });
          li.appendChild(button);
          list.appendChild(li);
        }
        if (started !== null) done(state.query, started, "done");
      });
    }

    function run(started) {
      var query = input.value;
      var mine = ++sequence;
      if (!query.trim()) {
        current = null;
        list.replaceChildren();
        setInfo("输入汉字或拼音搜索举措，如“一网通办”“ywtb”，多个词用空格分开");
        done(query, started, "empty");
        return;
      }
      box.dataset.state = "busy";
      search(query).then(function (result) {
        if (mine !== sequence) return;
        var state = { query: query, result: result, shown: 0 };
        current = state;
        list.replaceChildren();
        input.setAttribute("aria-expanded", "true");
        if (!result.groups.length) {
          setInfo("请至少输入两个字（或两个拼音字母）");
          done(query, started, "short");
          return;
        }
        if (!result.results.length) {
          var none = document.createElement("span");
          none.className = "catalog-none";
          none.textContent = "无结果：没有举措包含“" + query.trim() + "”";
          info.replaceChildren(none);
          done(query, started, "none");
          return;
        }
        var text = "共 " + result.results.length + " 条举措";
        var pinyin = [];
        result.groups.forEach(function (g) { if (g.pinyin.length) pinyin.push(g.label + " → " + g.pinyin.slice(0, 5).join("、")); });
        if (pinyin.length) text += "（拼音：" + pinyin.join("；") + "）";
        if (result.ignored.length) text += "，单字“" + result.ignored.join("”“") + "”未参与搜索";
        setInfo(text);
        return showMore(state, started);
      }).catch(function (error) {
        if (mine !== sequence) return;
        list.replaceChildren();
        setInfo("搜索暂不可用：索引文件无法读取");
        done(query, started, "error");
        if (window.console) console.warn(error);
      });
    }

    var composing = false;
    input.addEventListener("compositionstart", function () { composing = true; });
    input.addEventListener("compositionend", function () { composing = false; run(performance.now()); });
    input.addEventListener("input", function (event) {
      if (composing || event.isComposing) return;
      open();
      run(performance.now());
    });
    input.addEventListener("focus", function () { open(); loadMeta().catch(function () {}); });
    form.addEventListener("reset", function () { setTimeout(function () { run(performance.now()); input.focus(); }, 0); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    });

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a, button")); }

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        var all = links();
        if (all.length) { event.preventDefault(); all[0].focus(); }
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
        input.blur();
      }
    });
    list.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at >= 0 && at + 1 < all.length) { event.preventDefault(); all[at + 1].focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
      else if (event.key === "Escape") { event.preventDefault(); input.focus(); }
    });
    list.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a")) close();
    });
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked && document.activeElement !== input) input.focus();
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      var editable = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (!editable && (event.key === "/" || event.key === "s" || event.key === "S")) {
        event.preventDefault();
        open();
        input.focus();
      }
    });
    if (document.activeElement === input) open();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupBox);
  else setupBox();
})();
