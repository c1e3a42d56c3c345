/* The explorer page (explore/): filter measures by places, levels, domains, units (in any role or one),
   deadline month or range, and words (汉字 or pinyin, through window.CatalogSearch of search-engine.js).
   Beside every filter value: how many measures that value gives with the other filters held.
   What it filters on is explore/facets.json (generator/site/explorer.py, shape documented there).
   The filters live in the address (?q=&p=&sub=&lv=&d=&u=&role=&m=&from=&to=), so a view can be shared;
   the older ?j= (a place and its subordinate places) and ?lead= (a lead unit's name) still open.
   The CSV download is cut from the per-plan measure CSVs the build writes (downloads.py: the same writer
   and header as measures.csv), only the url cell made absolute; no column list lives here.
   Every value enters the page through textContent / createElement. */
(function () {
  "use strict";

  var ROWS = 50;
  var UNITS_SHOWN = 80;
  var DATA = "explore/facets.json";
  var PARAMS = ["q", "p", "sub", "lv", "d", "u", "role", "m", "from", "to"];

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "text") node.textContent = props[key];
      else if (key === "className") node.className = props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  /* 2021-06-30 → 2021年6月30日; 2021-06 → 2021年6月 (as generator/site/wording.py cn_date). */
  function cnDate(iso) {
    var p = iso.split("-").map(Number);
    return p[0] + "年" + p[1] + "月" + (p.length > 2 ? p[2] + "日" : "");
  }

  /* The deadlines of a record for reading: each date once (年月日), then the undated ones by phrase. */
  function deadlineText(deadlines) {
    var seen = new Set(), out = [];
    deadlines.forEach(function (d) {
      var text = d.date ? cnDate(d.date) : d.phrase + ({ recurring: "（定期）", ongoing: "（长期）" }[d.kind] || "");
      if (!seen.has(text)) { seen.add(text); out.push(text); }
    });
    return out.join("；");
  }

  /* Indexes of `items` ({parent index}) at or below each index in `chosen`. */
  function below(items, chosen) {
    var found = new Set(chosen);
    var grew = found.size > 0;
    while (grew) {
      grew = false;
      items.forEach(function (item, i) { if (!found.has(i) && found.has(item.parent)) { found.add(i); grew = true; } });
    }
    return found;
  }

  function depth(items, i) { var n = 0; while (items[i].parent >= 0) { i = items[i].parent; n++; } return n; }

  /* The records of a CSV text (RFC 4180 as Python's csv module writes it: \r\n, quoted cells may hold them). */
  function csvRecords(text) {
    var out = [], start = 0, quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c === 34) quoted = !quoted;
      else if (!quoted && c === 13 && text.charCodeAt(i + 1) === 10) { out.push(text.slice(start, i)); start = i + 2; i++; }
    }
    if (start < text.length) out.push(text.slice(start));
    return out;
  }

  /* The search for a unit: its name or other spellings contain the query, or its pinyin (whole or initials). */
  function unitMatcher(query) {
    var q = query.trim().toLowerCase().replace(/[\s'’]+/g, "");
    if (!q) return function () { return true; };
    return function (u) {
      if (u.name.indexOf(q) >= 0 || u.also.some(function (a) { return a.indexOf(q) >= 0; })) return true;
      return u.flat.indexOf(q) >= 0 || u.initials.indexOf(q) >= 0;
    };
  }

  function monthKey(date) { return date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0"); }

  function setup(root) {
    var S = window.CatalogSearch;
    var data = fetch(S.root + DATA, { cache: "no-cache", credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("explorer: " + DATA + " " + r.status);
      return r.json();
    });
    Promise.all([data, S.loadMeta()]).then(function (parts) { build(root, prepare(parts[0])); })
      .catch(function (error) {
        root.replaceChildren(el("p", { text: "筛选暂不可用：数据文件无法读取。" }));
        root.dataset.state = "error";
        if (window.console) console.warn(error);
      });
  }

  /* The facets file made ready: rows as objects, each plan's first measure number, units' search keys. */
  function prepare(data) {
    var f = {};
    data.fields.forEach(function (name, i) { f[name] = i; });
    data.rows = data.rows.map(function (row) {
      return { document: row[f.document], domain: row[f.domain], units: row[f.units], dates: row[f.dates] };
    });
    data.documents.forEach(function (d) { d.first = -1; });
    data.rows.forEach(function (row, n) { var d = data.documents[row.document]; if (d.first < 0) d.first = n; });
    data.units.forEach(function (u, i) {
      u.index = i;
      u.flat = u.pinyin.replace(/ /g, "");
      u.initials = u.pinyin.split(" ").map(function (s) { return s.charAt(0); }).join("");
      u.slug = u.id.split("/")[1];
    });
    data.unitOrder = data.units.slice().sort(function (a, b) {
      return a.pinyin < b.pinyin ? -1 : a.pinyin > b.pinyin ? 1 : a.place - b.place;
    });
    var months = new Set([monthKey(new Date())]);
    data.rows.forEach(function (row) { row.dates.forEach(function (d) { months.add(d.slice(0, 7)); }); });
    data.months = Array.from(months).sort();
    data.monthDates = {};
    return data;
  }

  /* A group of checkboxes (a fieldset), one per value; `update` relabels them with counts. */
  function checkGroup(name, legend, className) {
    var list = el("div", { className: "catalog-explore__options" });
    var set = el("fieldset", { className: "catalog-explore__group " + (className || "") }, [el("legend", { text: legend }), list]);
    return { node: set, list: list, name: name };
  }

  function option(type, name, value, label, count, checked, level) {
    var input = el("input", { type: type, name: name, value: value });
    input.checked = checked;
    var n = count === null ? null : el("span", { className: "catalog-explore__n", text: String(count) });
    var node = el("label", { className: "catalog-explore__option" }, [input, el("span", { text: label }), n]);
    if (level) node.style.paddingLeft = level * 1.2 + "em";
    return node;
  }

  function build(root, data) {
    var S = window.CatalogSearch;
    var q = el("input", { type: "search", name: "q", placeholder: "汉字或拼音，空格分开", autocomplete: "off" });
    var places = checkGroup("p", "地区");
    var sub = el("input", { type: "checkbox", name: "sub", value: "1" });
    places.node.appendChild(el("label", { className: "catalog-explore__option catalog-explore__sub" },
      [sub, el("span", { text: "含下辖区（县）：选市时也选它的区县" })]));
    var levels = checkGroup("lv", "层级");
    var domains = checkGroup("d", "领域", "catalog-explore__group--long");
    var units = checkGroup("u", "单位", "catalog-explore__group--long");
    var unitQuery = el("input", { type: "search", name: "unit-search", placeholder: "名称或拼音，如 scjg", autocomplete: "off",
      "aria-label": "查找单位（名称或拼音）" });
    var roles = el("div", { className: "catalog-explore__roles", role: "radiogroup", "aria-label": "单位的角色" });
    var unitNote = el("p", { className: "catalog-explore__note" });
    units.node.insertBefore(unitQuery, units.list);
    units.node.insertBefore(roles, units.list);
    units.node.appendChild(unitNote);
    var month = el("select", { name: "m" });
    var from = el("input", { type: "date", name: "from" });
    var to = el("input", { type: "date", name: "to" });
    var range = el("details", { className: "catalog-explore__range" }, [el("summary", { text: "按日期区间" }),
      el("label", { className: "catalog-explore__field" }, [el("span", { text: "自" }), from]),
      el("label", { className: "catalog-explore__field" }, [el("span", { text: "至" }), to])]);
    var due = el("fieldset", { className: "catalog-explore__group" }, [el("legend", { text: "完成时限" }),
      el("label", { className: "catalog-explore__field" }, [el("span", { text: "月份（旁为条数）" }), month]), range]);
    var form = el("form", { className: "catalog-explore__form", role: "search", "aria-label": "筛选举措" }, [
      el("label", { className: "catalog-explore__field catalog-explore__words" }, [el("span", { text: "关键词" }), q]),
      places.node, levels.node, domains.node, units.node, due
    ]);
    var chosen = el("span", { className: "catalog-explore__chosen" });
    var sheet = el("details", { className: "catalog-explore__sheet" }, [
      el("summary", {}, [el("span", { text: "筛选条件" }), chosen]), form]);
    if (window.matchMedia("(min-width: 60em)").matches) sheet.open = true;
    var count = el("p", { className: "catalog-explore__count", "aria-live": "polite" });
    var reset = el("button", { type: "button", className: "md-button", text: "清除筛选" });
    var download = el("button", { type: "button", className: "md-button md-button--primary", text: "下载 CSV" });
    var bar = el("div", { className: "catalog-explore__bar" }, [count, el("div", { className: "catalog-explore__actions" }, [reset, download])]);
    var table = el("table", { className: "catalog-explore__table" });
    var more = el("button", { type: "button", className: "md-button catalog-explore__more", text: "显示更多" });
    more.hidden = true;
    root.replaceChildren(bar, sheet, el("div", { className: "catalog-explore__results" }, [table]), more);

    var state = {};
    function read(params) {
      PARAMS.forEach(function (k) { state[k] = params.get(k) || ""; });
      var legacyPlace = params.get("j"), legacyLead = params.get("lead");
      if (legacyPlace && !state.p) { state.p = legacyPlace; state.sub = "1"; }
      if (legacyLead && !state.u) {
        state.u = data.units.filter(function (u) { return u.name === legacyLead || u.also.indexOf(legacyLead) >= 0; })
          .map(function (u) { return u.id; }).join(",");
        state.role = state.role || "lead";
      }
      /* A value the catalogue no longer has (an old link, a renamed domain) is dropped, not matched against
         nothing: the address then shows what is really filtered. */
      var known = {
        p: data.places.map(function (x) { return x.slug; }), d: data.domains.map(function (x) { return x.slug; }),
        lv: data.levels.map(function (x) { return x[0]; }), u: data.units.map(function (x) { return x.id; })
      };
      Object.keys(known).forEach(function (k) {
        state[k] = list(k).filter(function (v) { return known[k].indexOf(v) >= 0; }).join(",");
      });
    }
    function list(key) { return state[key] ? state[key].split(",") : []; }
    function toAddress() {
      var params = new URLSearchParams();
      PARAMS.forEach(function (k) { if (state[k]) params.set(k, state[k]); });
      var search = params.toString().replace(/%2C/g, ",").replace(/%2F/g, "/");
      history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    }
    function fromForm() {
      state.q = q.value;
      state.sub = sub.checked ? "1" : "";
      ["p", "lv", "d", "u"].forEach(function (k) {
        var boxes = form.querySelectorAll("input[name='" + k + "']");
        var shown = new Set(), on = [];
        boxes.forEach(function (b) { shown.add(b.value); if (b.checked) on.push(b.value); });
        // A chosen unit hidden by the unit search stays chosen.
        on = list(k).filter(function (v) { return !shown.has(v); }).concat(on);
        state[k] = on.join(",");
      });
      var role = form.querySelector("input[name='role']:checked");
      state.role = role ? role.value : "";
      state.m = month.value; state.from = from.value; state.to = to.value;
    }

    /* The predicates of the filters in `state`, each a function of a measure number (or null: no filter). */
    function predicates(found) {
      var p = {};
      var placeSlugs = list("p"), levelSet = new Set(list("lv"));
      var chosenPlaces = data.places.map(function (x, i) { return placeSlugs.indexOf(x.slug) >= 0 ? i : -1; })
        .filter(function (i) { return i >= 0; });
      var placeSet = state.sub ? below(data.places, chosenPlaces) : new Set(chosenPlaces);
      var placeOf = function (n) { return data.documents[data.rows[n].document].place; };
      p.p = placeSlugs.length ? function (n) { return placeSet.has(placeOf(n)); } : null;
      p.lv = levelSet.size ? function (n) { return levelSet.has(data.places[placeOf(n)].level); } : null;
      var domainSlugs = list("d");
      var domainSet = below(data.domains, data.domains.map(function (x, i) { return domainSlugs.indexOf(x.slug) >= 0 ? i : -1; })
        .filter(function (i) { return i >= 0; }));
      p.d = domainSlugs.length ? function (n) { return domainSet.has(data.rows[n].domain); } : null;
      var unitIds = new Set(list("u"));
      var unitSet = new Set(data.units.filter(function (u) { return unitIds.has(u.id); }).map(function (u) { return u.index; }));
      var roleBit = roleBits(state.role);
      p.u = unitIds.size ? function (n, bits) {
        return data.rows[n].units.some(function (v) { return unitSet.has(v >> 3) && (v & (bits || roleBit)); });
      } : null;
      var start = state.from, end = state.to, m = state.m;
      p.m = (start || end || m) ? function (n, only) {
        var mm = only || m;
        return data.rows[n].dates.some(function (d) {
          return (!start || d >= start) && (!end || d <= end) && (!mm || d.slice(0, 7) === mm);
        });
      } : null;
      p.q = found ? function (n) { return found.has(n); } : null;
      p.places = placeSet;
      return p;
    }

    function roleBits(role) {
      var i = data.roles.findIndex(function (r) { return r[0] === role; });
      return i >= 0 ? 1 << i : 7;
    }

    /* Numbers of `order` that pass every predicate but `except`. */
    function passing(order, p, except) {
      var keys = ["q", "p", "lv", "d", "u", "m"].filter(function (k) { return k !== except && p[k]; });
      return order.filter(function (n) { return keys.every(function (k) { return p[k](n); }); });
    }

    /* Run `draw` (which replaces controls) and give the focus back to the control with the same name and value. */
    function keepFocus(draw) {
      var active = document.activeElement;
      var key = active && form.contains(active) && active.name ? [active.name, active.value] : null;
      draw();
      if (key && !form.contains(active)) {
        var again = Array.from(form.querySelectorAll("[name='" + key[0] + "']")).filter(function (x) { return x.value === key[1]; })[0];
        if (again) again.focus();
      }
    }

    function drawFacets(all, p) {
      var chosen = new Set(list("p"));
      var direct = new Array(data.places.length).fill(0);
      passing(all, p, "p").forEach(function (n) { direct[data.documents[data.rows[n].document].place]++; });
      places.list.replaceChildren.apply(places.list, data.places.map(function (x, i) {
        var n = state.sub ? Array.from(below(data.places, [i])).reduce(function (s, k) { return s + direct[k]; }, 0) : direct[i];
        return option("checkbox", "p", x.slug, x.name, n, chosen.has(x.slug), depth(data.places, i));
      }));
      sub.checked = !!state.sub;

      var byLevel = {};
      passing(all, p, "lv").forEach(function (n) {
        var level = data.places[data.documents[data.rows[n].document].place].level;
        byLevel[level] = (byLevel[level] || 0) + 1;
      });
      var lv = new Set(list("lv"));
      levels.list.replaceChildren.apply(levels.list, data.levels.map(function (x) {
        return option("checkbox", "lv", x[0], x[1] + "级", byLevel[x[0]] || 0, lv.has(x[0]));
      }));

      var direct2 = new Array(data.domains.length).fill(0);
      passing(all, p, "d").forEach(function (n) { direct2[data.rows[n].domain]++; });
      var ds = new Set(list("d"));
      domains.list.replaceChildren.apply(domains.list, data.domains.map(function (x, i) {
        var n = Array.from(below(data.domains, [i])).reduce(function (s, k) { return s + direct2[k]; }, 0);
        return option("checkbox", "d", x.slug, x.name, n, ds.has(x.slug), depth(data.domains, i));
      }));

      drawUnits(all, p);

      var byMonth = {};
      passing(all, p, "m").forEach(function (n) {
        var seen = new Set();
        data.rows[n].dates.forEach(function (d) {
          var key = d.slice(0, 7);
          if (seen.has(key) || (state.from && d < state.from) || (state.to && d > state.to)) return;
          seen.add(key);
          byMonth[key] = (byMonth[key] || 0) + 1;
        });
      });
      var now = monthKey(new Date());
      month.replaceChildren(el("option", { value: "", text: "全部" }));
      data.months.forEach(function (key) {
        month.appendChild(el("option", { value: key, text: cnDate(key) + (key === now ? "（本月）" : "") + "　" + (byMonth[key] || 0) }));
      });
      month.value = state.m;
      from.value = state.from; to.value = state.to; q.value = state.q;
      if (state.from || state.to) range.open = true;
      var n = ["p", "lv", "d", "u", "m", "q"].filter(function (k) { return state[k]; }).length + (state.from || state.to ? 1 : 0);
      chosen.textContent = n ? "（已选 " + n + " 类）" : "";
    }

    function drawUnits(all, p) {
      var base = passing(all, p, "u");
      var bits = roleBits(state.role);
      var counts = new Array(data.units.length).fill(0);
      base.forEach(function (n) {
        data.rows[n].units.forEach(function (v) { if (v & bits) counts[v >> 3]++; });
      });
      var chosen = new Set(list("u"));
      var levelSet = new Set(list("lv"));
      var match = unitMatcher(unitQuery.value);
      var inPlace = function (u) {
        return (!p.p || p.places.has(u.place)) && (!levelSet.size || levelSet.has(data.places[u.place].level));
      };
      var shown = data.unitOrder.filter(function (u) { return chosen.has(u.id) || (inPlace(u) && match(u)); });
      var first = shown.filter(function (u) { return chosen.has(u.id); })
        .concat(shown.filter(function (u) { return !chosen.has(u.id); }).slice(0, UNITS_SHOWN));
      units.list.replaceChildren.apply(units.list, first.map(function (u) {
        return option("checkbox", "u", u.id, u.name + " · " + data.places[u.place].name, counts[u.index], chosen.has(u.id));
      }));
      var hidden = shown.length - first.length;
      unitNote.textContent = (shown.length ? "按拼音排序，共 " + shown.length + " 个单位" : "没有这样的单位") +
        (hidden > 0 ? "；另有 " + hidden + " 个未列出，请输入名称或拼音缩小范围" : "");
      // The roles qualify the chosen units: counted only when some are chosen.
      var roleCounts = data.roles.map(function (r, i) {
        var bit = 1 << i;
        return chosen.size ? base.filter(function (n) { return p.u(n, bit); }).length : null;
      });
      var anyCount = chosen.size ? base.filter(function (n) { return p.u(n, 7); }).length : null;
      roles.replaceChildren.apply(roles, [option("radio", "role", "", "任一角色", anyCount, !state.role)].concat(
        data.roles.map(function (r, i) { return option("radio", "role", r[0], r[1], roleCounts[i], state.role === r[0]); })));
    }

    var sequence = 0;
    var lastPredicates = null;
    var current = { numbers: [], shown: 0 };
    var allNumbers = data.rows.map(function (_, i) { return i; });

    /* The filters in words, for the sheet's summary: a shared link opened with the sheet closed (as on a
       phone) still says why it shows what it shows. */
    function describe() {
      var parts = [];
      function picked(items, key, value, name) {
        var wanted = list(key);
        return items.filter(function (x) { return wanted.indexOf(value(x)) >= 0; }).map(name);
      }
      var places = picked(data.places, "p", function (x) { return x.slug; }, function (x) { return x.name; });
      if (places.length) parts.push(places.join("、") + (state.sub ? "（含下辖区县）" : ""));
      var levels = picked(data.levels, "lv", function (x) { return x[0]; }, function (x) { return x[1] + "级"; });
      if (levels.length) parts.push(levels.join("、"));
      var domains = picked(data.domains, "d", function (x) { return x.slug; }, function (x) { return x.name; });
      if (domains.length) parts.push(domains.join("、"));
      var units = picked(data.units, "u", function (u) { return u.id; },
        function (u) { return u.name + "（" + data.places[u.place].name + "）"; });
      var role = data.roles.filter(function (r) { return r[0] === state.role; })[0];
      if (units.length) parts.push(units.join("、") + (role ? "，仅" + role[1] : ""));
      if (state.m) parts.push(cnDate(state.m) + "到期");
      if (state.from || state.to) parts.push("期限" + (state.from ? cnDate(state.from) + "起" : "") + (state.to ? "至" + cnDate(state.to) : ""));
      if (state.q.trim()) parts.push("关键词“" + state.q.trim() + "”");
      return parts.length ? "：" + parts.join("；") : "：未选，全部举措";
    }

    function filter() {
      var mine = ++sequence;
      root.dataset.state = "busy";
      var text = state.q.trim() ? S.search(state.q) : Promise.resolve(null);
      return text.then(function (found) {
        if (mine !== sequence) return;
        var hits = found ? new Set(found.results.map(function (r) { return r.number; })) : null;
        var order = found ? found.results.map(function (r) { return r.number; }) : allNumbers;
        var p = predicates(hits);
        var numbers = passing(order, p, "");
        current = { numbers: numbers, shown: 0 };
        lastPredicates = p;
        keepFocus(function () { drawFacets(allNumbers, p); });
        table.replaceChildren(el("thead", {}, [el("tr", {}, ["举措", "地区", "领域", "单位", "完成时限"].map(function (h) {
          return el("th", { scope: "col", text: h });
        }))]), el("tbody"));
        count.textContent = numbers.length ? "共 " + numbers.length + " 条举措" : "无结果：没有符合筛选条件的举措";
        chosen.textContent = describe();
        if (found && !found.groups.length && !found.plans.length && found.opened === null) {
          count.textContent = "关键词请输入汉字，或至少两个拼音字母";
        }
        download.disabled = !numbers.length;
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

    function cell(label, className, children) {
      return el("td", { "data-label": label, className: className }, children);
    }

    function unitsText(rec) {
      var parts = [];
      if (rec.lead.length) parts.push("牵头：" + rec.lead.join("、"));
      if (rec.responsible.length) parts.push("责任：" + rec.responsible.join("、"));
      return parts.join("；");
    }

    function showMore(mine) {
      var slice = current.numbers.slice(current.shown, current.shown + ROWS);
      return S.records(slice).then(function (recs) {
        if (mine !== sequence) return;
        var body = table.querySelector("tbody");
        recs.forEach(function (rec, i) {
          var row = data.rows[slice[i]];
          var link = el("a", { href: S.root + rec.url, text: rec.title });
          var due = deadlineText(rec.deadlines);
          body.appendChild(el("tr", { "data-measure": rec.id }, [
            cell("举措", "catalog-explore__title", [link]),
            cell("地区", "catalog-explore__place", [document.createTextNode(data.places[data.documents[row.document].place].name)]),
            cell("领域", "", [document.createTextNode(data.domains[row.domain].name)]),
            cell("单位", "", [document.createTextNode(unitsText(rec) || "—")]),
            cell("完成时限", "catalog-explore__due", [document.createTextNode(due || "—")])
          ]));
        });
        current.shown += slice.length;
        more.hidden = current.shown >= current.numbers.length;
        more.textContent = "显示更多（还有 " + (current.numbers.length - current.shown) + " 条）";
      });
    }

    /* An ASCII file name that says what was filtered: measures-<places>-<levels>-<domains>-<units>-…-<today>.csv */
    function fileName(pinyinOf) {
      var parts = [];
      if (state.p) parts.push(list("p").join("+") + (state.sub ? "+sub" : ""));
      if (state.lv) parts.push(list("lv").join("+"));
      if (state.d) parts.push(list("d").join("+"));
      if (state.u) parts.push(list("u").map(function (id) { return id.split("/")[1]; }).join("+"));
      if (state.role) parts.push(state.role.replace("_", "-"));
      if (state.m) parts.push("due-" + state.m);
      if (state.from || state.to) parts.push("due-" + (state.from || "") + "--" + (state.to || ""));
      if (state.q.trim()) {
        var words = Array.from(state.q.trim().toLowerCase()).map(function (ch) {
          return /[a-z0-9]/.test(ch) ? ch : pinyinOf(ch) ? "-" + pinyinOf(ch) + "-" : "-";
        }).join("").replace(/-+/g, "-").replace(/^-|-$/g, "");
        parts.push("q-" + (words || "x"));
      }
      var name = parts.join("-").replace(/[^A-Za-z0-9+_.-]/g, "-").slice(0, 160) || "all";
      var today = new Date();
      return "measures-" + name + "-" + monthKey(today) + "-" + String(today.getDate()).padStart(2, "0") + ".csv";
    }

    /* char → its first pinyin syllable, from the search index's syllable table (only if the query has Han). */
    function pinyinTable() {
      if (!/[^\x00-\x7f]/.test(state.q)) return Promise.resolve(function () { return ""; });
      return S.loadMeta().then(function (meta) {
        return fetch(S.root + "search/" + meta.base + "py.json", { credentials: "same-origin" }).then(function (r) {
          return r.ok ? r.json() : {};
        });
      }).then(function (table) {
        var map = new Map();
        Object.keys(table).sort().forEach(function (syllable) {
          Array.from(table[syllable]).forEach(function (ch) { if (!map.has(ch)) map.set(ch, syllable); });
        });
        return function (ch) { return map.get(ch) || ""; };
      }, function () { return function () { return ""; }; });
    }

    function downloadCsv() {
      var numbers = current.numbers.slice();
      var plans = Array.from(new Set(numbers.map(function (n) { return data.rows[n].document; })));
      download.disabled = true;
      var base = new URL(S.root, location.href);
      Promise.all([pinyinTable()].concat(plans.map(function (i) {
        return fetch(S.root + data.documents[i].csv, { credentials: "same-origin" }).then(function (r) {
          if (!r.ok) throw new Error("explorer: " + data.documents[i].csv + " " + r.status);
          return r.text();
        });
      }))).then(function (parts) {
        var byPlan = {}, header = "";
        plans.forEach(function (i, k) {
          var records = csvRecords(parts[k + 1].replace(/^\ufeff/, ""));
          header = records[0];
          byPlan[i] = records.slice(1);
        });
        var lines = numbers.map(function (n) {
          var doc = data.rows[n].document;
          var line = byPlan[doc][n - data.documents[doc].first];
          var a = line.indexOf(","), b = line.indexOf(",", a + 1);  // id and url are ASCII, never quoted
          return line.slice(0, a + 1) + new URL(line.slice(a + 1, b), base).href + line.slice(b);
        });
        var text = "\ufeff" + header + "\r\n" + lines.map(function (l) { return l + "\r\n"; }).join("");
        var url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
        var a = el("a", { href: url, download: fileName(parts[0]) });
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
    function changed(event) {
      if (event && event.target === unitQuery) {
        if (lastPredicates) drawUnits(allNumbers, lastPredicates);
        return;
      }
      root.dataset.state = "busy";
      fromForm();
      toAddress();
      clearTimeout(timer);
      timer = setTimeout(filter, event && event.target === q ? 200 : 30);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", function (event) { if (event.target.type !== "search") changed(event); });
    form.addEventListener("submit", function (event) { event.preventDefault(); changed(); });
    reset.addEventListener("click", function () {
      PARAMS.forEach(function (k) { state[k] = ""; });
      unitQuery.value = "";
      toAddress();
      filter();
    });
    more.addEventListener("click", function () { showMore(sequence); });
    download.addEventListener("click", downloadCsv);
    read(new URLSearchParams(location.search));
    toAddress();
    filter();
  }

  function start() {
    var root = document.getElementById("catalog-explorer");
    if (root && window.CatalogSearch) setup(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
