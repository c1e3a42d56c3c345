/* The header search box (overrides/partials/catalog-search.html): type, read the results.

   Uses window.CatalogSearch (search-engine.js) to find and window.CatalogHighlight
   (search-highlight.js) to mark, both loaded next to this file when the box is first used. The line above the results always says what was
   searched: the count, the Chinese words a pinyin term was read as, the months, the
   plan a query names, every limit that applied (never silent), and, for one character,
   a hint to narrow. All text enters the page through textContent / createTextNode. */
(function () {
  "use strict";

  var PAGE = 20;           // results shown at a time (a button shows the next ones, and says how many)
  var HERE = document.currentScript ? document.currentScript.src : location.href;
  var ROOT, search, records, loadMeta, appendMarked, passage;
  var loading = null;

  /* The engine and the highlighter are loaded the first time the box is used (focus, "/", typing), not
     with every page: most readers never search. A page that already loads them (the explorer) is reused. */
  function script(name, loaded) {
    return new Promise(function (resolve, reject) {
      var src = new URL(name, HERE).href;
      var tag = Array.prototype.filter.call(document.scripts, function (s) { return s.src === src; })[0];
      if (loaded()) return resolve();
      if (!tag) {
        tag = document.createElement("script");
        tag.src = src;
        tag.async = false;
        document.head.appendChild(tag);
      }
      tag.addEventListener("load", function () { resolve(); });
      tag.addEventListener("error", function () { reject(new Error("cannot load " + name)); });
    });
  }

  /* Both scripts and the index's meta.json are requested at once (the scripts still run in order); the
     engine takes the meta.json response started here (window.CatalogSearchMeta) when its address is the
     one it would fetch, so a first query waits for one round trip, not three. */
  function ready() {
    if (!loading) {
      if (!window.CatalogSearch && !window.CatalogSearchMeta) {
        var meta = new URL("../search/meta.json", HERE).href;
        window.CatalogSearchMeta = { url: meta, response: fetch(meta, { cache: "no-cache", credentials: "same-origin" }) };
        window.CatalogSearchMeta.response.catch(function () {});  // the engine reports a failure when it reads it
      }
      loading = Promise.all([
        script("search-engine.js", function () { return !!window.CatalogSearch; }),
        script("search-highlight.js", function () { return !!window.CatalogHighlight; })
      ]).then(function () {
        var S = window.CatalogSearch, H = window.CatalogHighlight;
        ROOT = S.root;
        search = S.search; records = S.records; loadMeta = S.loadMeta;
        appendMarked = H.appendMarked; passage = H.passage;
      });
      loading.catch(function () { loading = null; window.CatalogSearchMeta = null; });  // a later use tries again
    }
    return loading;
  }

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

    function shown(query, started) {
      box.dataset.shown = query;
      box.dataset.shownMs = (performance.now() - started).toFixed(1);
    }

    function done(query, started, state) {
      box.dataset.state = state;
      box.dataset.query = query;
      var ms = performance.now() - started;
      box.dataset.ms = ms.toFixed(1);
      document.dispatchEvent(new CustomEvent("catalogsearch:rendered", { detail: { query: query, ms: ms, state: state } }));
    }

    /* One result row as the theme draws its own: li > a > article, with a title and a line of details;
       `fill(title, meta, article)` writes the text. */
    function row(className, data, href, fill) {
      var li = document.createElement("li");
      li.className = "md-search-result__item " + className;
      Object.keys(data).forEach(function (key) { li.dataset[key] = data[key]; });
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = ROOT + href;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var title = document.createElement("h2");
      title.className = "catalog-hit__title";
      var meta = document.createElement("p");
      meta.className = "catalog-hit__meta";
      article.appendChild(title);
      article.appendChild(meta);
      fill(title, meta, article);
      a.appendChild(article);
      li.appendChild(a);
      return li;
    }

    function item(rec, found, needles) {
      return row("catalog-hit", { measure: rec.id, score: String(found.score) }, rec.url, function (title, meta, article) {
        appendMarked(title, rec.title, needles);
        appendMarked(meta, rec.jurisdiction + " · " + rec.domain + " · " + rec.documentTitle + " 第" + rec.label + "条", needles);
        var text = document.createElement("p");
        text.className = "catalog-hit__passage";
        appendMarked(text, passage(rec, needles), needles);
        article.appendChild(text);
      });
    }

    /* The next PAGE results, each shown as soon as its record and those ranked above it have arrived (the
       records come in files of a few measures each: the first rows need not wait for the last). The box
       says `data-shown` = the query once its first row is in the list, `data-state` "done" once all are. */
    function showMore(state, started) {
      var slice = state.result.results.slice(state.shown, state.shown + PAGE);
      var needles = [];
      state.result.groups.forEach(function (g) { needles = needles.concat(g.needles); });
      var chain = Promise.resolve();
      slice.forEach(function (found, k) {
        var arrived = records([found.number]);
        chain = chain.then(function () { return arrived; }).then(function (recs) {
          if (state !== current) return;
          if (k === 0) {
            var more = list.querySelector(".catalog-more");
            if (more) more.remove();
          }
          list.appendChild(item(recs[0], found, needles));
          if (k === 0 && started !== null) shown(state.query, started);
        });
      });
      return chain.then(function () {
        if (state !== current) return;
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

    /* What the query was read as, and every limit that applied. */
    function explain(result) {
      var parts = [];
      if (result.opened !== null) parts.push("编号对应的举措在最前");
      result.plans.forEach(function (plan) { parts.push("方案：" + plan.title + "，共 " + plan.count + " 条"); });
      result.groups.forEach(function (g) {
        if (g.month) parts.push(g.label + " → " + (g.month.year ? g.month.year + "年" : "各方案当年") + g.month.month + "月到期的举措");
        else if (g.pinyin.length) parts.push("拼音 " + g.label + " → " + g.pinyin.slice(0, 5).join("、") + (g.pinyin.length > 5 ? "等" : ""));
        if (g.splitFrom) parts.push("“" + g.splitFrom + "”按“" + g.label + "”分开搜索");
        if (g.single) parts.push("单字“" + g.label + "”：标题含此字的在前，再输入一个字可缩小范围");
      });
      result.notes.forEach(function (note) { parts.push(note); });
      if (result.ignored.length) parts.push("“" + result.ignored.join("”“") + "”太短，未参与搜索");
      return parts.join("；");
    }

    function planItem(plan) {
      return row("catalog-plan", { document: plan.slug }, plan.url, function (title, meta) {
        title.textContent = "方案：" + plan.title;
        meta.textContent = [plan.issuer, plan.doc_number, plan.count + " 条举措"].filter(Boolean).join(" · ");
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
      ready().then(function () { return search(query); }).then(function (result) {
        if (mine !== sequence) return;
        var state = { query: query, result: result, shown: 0 };
        current = state;
        list.replaceChildren();
        input.setAttribute("aria-expanded", "true");
        if (!result.groups.length && !result.plans.length && result.opened === null) {
          setInfo(result.ignored.length ? "“" + result.ignored.join("”“") + "”太短：请输入汉字，或至少两个拼音字母" : "请输入汉字或拼音");
          done(query, started, "short");
          return;
        }
        if (!result.results.length) {
          var none = document.createElement("span");
          none.className = "catalog-none";
          none.textContent = "无结果：没有举措包含“" + query.trim() + "”";
          info.replaceChildren(none);
          var said = explain(result);
          if (said) info.appendChild(document.createTextNode("（" + said + "）"));
          done(query, started, "none");
          return;
        }
        var text = "共 " + result.results.length + " 条举措";
        var said = explain(result);
        if (said) text += "（" + said + "）";
        setInfo(text);
        result.plans.forEach(function (plan) { list.appendChild(planItem(plan)); });
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
    input.addEventListener("focus", function () { open(); ready().then(function () { return loadMeta(); }).catch(function () {}); });
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
    if (document.activeElement === input) { open(); ready().catch(function () {}); }
    if (input.value.trim()) run(performance.now());  // typed (or restored by the browser) before this ran
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupBox);
  else setupBox();
})();
