/* The explorer page (explore/): filter measures by jurisdiction, domain, lead
   unit, deadline range and a text or pinyin query (window.CatalogSearch from
   search-engine.js). The filters live in the address (?q=&j=&d=&lead=&from=&to=),
   so a view can be shared; the filtered measures download as CSV (UTF-8 with
   BOM, formula-like cells neutralised as generator/export.py does).
   Every value enters the page through textContent / createElement. */
(function () {
  "use strict";

  var ROWS = 50;
  var FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"];
  var COLUMNS = ["id", "url", "jurisdiction", "jurisdiction_slug", "document", "document_title", "section", "number",
    "title", "text", "units", "domain", "domain_name", "lead", "responsible", "deadlines", "tags"];

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "text") node.textContent = props[key];
      else if (key === "className") node.className = props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function field(label, control) {
    return el("label", { className: "catalog-explore__field" }, [el("span", { text: label }), control]);
  }

  function select(name, options) {
    var node = el("select", { name: name });
    node.appendChild(el("option", { value: "", text: "全部" }));
    options.forEach(function (o) { node.appendChild(el("option", { value: o[0], text: o[1] })); });
    return node;
  }

  /* Indexes of `items` ({slug, name, parent index}) at or below index `at`. */
  function below(items, at) {
    var found = new Set([at]);
    var grew = true;
    while (grew) {
      grew = false;
      items.forEach(function (item, i) { if (!found.has(i) && found.has(item.parent)) { found.add(i); grew = true; } });
    }
    return found;
  }

  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (FORMULA_STARTS.some(function (s) { return text.indexOf(s) === 0; })) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function deadlineText(d) { return d.date ? d.date + " " + d.phrase : d.phrase + "(" + d.kind + ")"; }

  function csvRow(rec) {
    var values = {
      id: rec.id, url: rec.url, jurisdiction: rec.jurisdiction, jurisdiction_slug: rec.jurisdictionSlug,
      document: rec.document, document_title: rec.documentTitle, section: rec.section.join(" > "), number: rec.label,
      title: rec.title, text: rec.text, units: rec.units, domain: rec.domainSlug, domain_name: rec.domain,
      lead: rec.lead.join("；"), responsible: rec.responsible.join("；"),
      deadlines: rec.deadlines.map(deadlineText).join("；"), tags: rec.tags.join("；")
    };
    return COLUMNS.map(function (c) { return csvCell(values[c]); }).join(",");
  }

  function csvText(recs) {
    return "\ufeff" + COLUMNS.join(",") + "\r\n" + recs.map(csvRow).join("\r\n") + (recs.length ? "\r\n" : "");
  }

  window.CatalogExplore = { csv: csvText };

  function setup(root) {
    var S = window.CatalogSearch;
    S.loadMeta().then(function (meta) {
      return S.facets().then(function (facets) {
        var f = {};
        facets.fields.forEach(function (name, i) { f[name] = i; });
        facets.rows = facets.rows.map(function (row) {
          return { document: row[f.document], domain: row[f.domain], lead: row[f.lead], dates: row[f.dates] };
        });
        build(root, meta, facets);
      });
    })
      .catch(function (error) {
        root.replaceChildren(el("p", { text: "筛选暂不可用：数据文件无法读取。" }));
        root.dataset.state = "error";
        if (window.console) console.warn(error);
      });
  }

  function build(root, meta, facets) {
    var S = window.CatalogSearch;
    var q = el("input", { type: "search", name: "q", placeholder: "关键词：汉字或拼音，空格分开", autocomplete: "off" });
    var j = select("j", meta.jurisdictions.map(function (x) { return [x.slug, x.name]; }));
    var d = select("d", meta.domains.map(function (x) { return [x.slug, x.name]; }));
    var units = facets.units.map(function (u, i) { return [u, i]; }).sort(function (a, b) { return a[0] < b[0] ? -1 : 1; });
    var lead = select("lead", units.map(function (u) { return [u[0], u[0]]; }));
    var from = el("input", { type: "date", name: "from" });
    var to = el("input", { type: "date", name: "to" });
    var reset = el("button", { type: "reset", className: "md-button", text: "清除筛选" });
    var download = el("button", { type: "button", className: "md-button md-button--primary", text: "下载 CSV" });
    var form = el("form", { className: "catalog-explore__form", role: "search" }, [
      field("关键词", q), field("地区", j), field("领域", d), field("牵头单位", lead),
      field("完成时限自", from), field("至", to), el("div", { className: "catalog-explore__actions" }, [reset, download])
    ]);
    var count = el("p", { className: "catalog-explore__count", "aria-live": "polite" });
    var table = el("table", { className: "catalog-explore__table" });
    var more = el("button", { type: "button", className: "md-button", text: "显示更多" });
    more.hidden = true;
    root.replaceChildren(form, count, el("div", { className: "md-typeset__table" }, [table]), more);
    var controls = { q: q, j: j, d: d, lead: lead, from: from, to: to };

    function fromAddress() {
      var params = new URLSearchParams(location.search);
      Object.keys(controls).forEach(function (k) { controls[k].value = params.get(k) || ""; });
    }
    function toAddress() {
      var params = new URLSearchParams();
      Object.keys(controls).forEach(function (k) { if (controls[k].value) params.set(k, controls[k].value); });
      var search = params.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    }

    var sequence = 0;
    var current = { numbers: [], shown: 0, needles: [] };

    function filter() {
      var mine = ++sequence;
      root.dataset.state = "busy";
      var ji = meta.jurisdictions.findIndex(function (x) { return x.slug === j.value; });
      var di = meta.domains.findIndex(function (x) { return x.slug === d.value; });
      var places = ji >= 0 ? below(meta.jurisdictions, ji) : null;
      var fields = di >= 0 ? below(meta.domains, di) : null;
      var leadIndex = lead.value ? facets.units.indexOf(lead.value) : -1;
      var start = from.value, end = to.value;
      var text = q.value.trim() ? S.search(q.value) : Promise.resolve(null);
      return text.then(function (found) {
        if (mine !== sequence) return;
        var order = found ? found.results.map(function (r) { return r.number; }) : facets.rows.map(function (_, i) { return i; });
        var numbers = order.filter(function (n) {
          var row = facets.rows[n];
          if (places && !places.has(meta.documents[row.document].jurisdiction)) return false;
          if (fields && !fields.has(row.domain)) return false;
          if (lead.value && row.lead.indexOf(leadIndex) < 0) return false;
          if (start || end) {
            return row.dates.some(function (date) { return (!start || date >= start) && (!end || date <= end); });
          }
          return true;
        });
        var needles = [];
        if (found) found.groups.forEach(function (g) { needles = needles.concat(g.needles); });
        current = { numbers: numbers, shown: 0, needles: needles };
        table.replaceChildren(el("thead", {}, [el("tr", {}, ["地区", "领域", "举措", "牵头单位", "完成时限"].map(function (h) {
          return el("th", { text: h });
        }))]), el("tbody"));
        count.textContent = numbers.length ? "共 " + numbers.length + " 条举措" : "无结果：没有符合筛选条件的举措";
        if (found && !found.groups.length && !found.plans.length && found.opened === null) {
          count.textContent = "关键词请输入汉字，或至少两个拼音字母";
        }
        return showMore(mine);
      }).then(function () {
        if (mine === sequence) root.dataset.state = "done";
      }, function (error) {
        if (mine !== sequence) return;
        count.textContent = "筛选暂不可用：数据文件无法读取。";
        root.dataset.state = "error";
        if (window.console) console.warn(error);
      });
    }

    function showMore(mine) {
      var slice = current.numbers.slice(current.shown, current.shown + ROWS);
      return S.records(slice).then(function (recs) {
        if (mine !== sequence) return;
        var body = table.querySelector("tbody");
        recs.forEach(function (rec) {
          var link = el("a", { href: S.root + rec.url });
          link.textContent = rec.title;
          var row = el("tr", { "data-measure": rec.id }, [
            el("td", { text: rec.jurisdiction }), el("td", { text: rec.domain }), el("td", {}, [link]),
            el("td", { text: rec.lead.join("、") }),
            el("td", { text: rec.deadlines.map(function (x) { return x.date || x.phrase; }).join("；") })
          ]);
          body.appendChild(row);
        });
        current.shown += slice.length;
        more.hidden = current.shown >= current.numbers.length;
        more.textContent = "显示更多（还有 " + (current.numbers.length - current.shown) + " 条）";
      });
    }

    function downloadCsv() {
      var numbers = current.numbers.slice();
      download.disabled = true;
      S.records(numbers).then(function (recs) {
        var url = URL.createObjectURL(new Blob([csvText(recs)], { type: "text/csv;charset=utf-8" }));
        var a = el("a", { href: url, download: "measures-filtered.csv" });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      }).then(function () { download.disabled = false; }, function (error) {
        download.disabled = false;
        count.textContent = "下载失败：数据文件无法读取。";
        if (window.console) console.warn(error);
      });
    }

    var timer = null;
    function changed() {
      root.dataset.state = "busy";
      toAddress();
      clearTimeout(timer);
      timer = setTimeout(filter, 120);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) { event.preventDefault(); changed(); });
    form.addEventListener("reset", function () { setTimeout(changed, 0); });
    more.addEventListener("click", function () { showMore(sequence); });
    download.addEventListener("click", downloadCsv);
    fromAddress();
    filter();
  }

  function start() {
    var root = document.getElementById("catalog-explorer");
    if (root && window.CatalogSearch) setup(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
