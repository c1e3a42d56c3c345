/* Highlighting for the catalogue's search (search-engine.js finds, search-box.js shows).

   window.CatalogHighlight.appendMarked(parent, text, needles) appends `text` with every
   occurrence of a needle (compared folded, as the search compares) inside <mark>;
   passage(rec, needles) picks the part of a measure to show: the matched words of its text
   when the text matches, else the unit list where it matches, else the text's start.
   Text nodes only: nothing from the index or the query is ever parsed as HTML. */
(function () {
  "use strict";

  var S = window.CatalogSearch;

  function appendMarked(parent, text, needles) {
    var norm = S.fold(text);
    var marked = new Uint8Array(text.length);
    needles.forEach(function (needle) {
      var n = S.fold(needle);
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

  function firstMatch(rec, needles, from, to) {
    var best = -1, length = 0;
    needles.forEach(function (needle) {
      var n = S.fold(needle);
      if (!n) return;
      var at = rec.hayNorm.indexOf(n, from);
      if (at >= 0 && at + n.length <= to && (best < 0 || at < best)) { best = at; length = n.length; }
    });
    return { at: best, length: length };
  }

  /* About 100 characters of the measure around its first match: in the text (after the title) if
     the text matches, else in the unit list, else the start of the text. */
  function passage(rec, needles) {
    var from = rec.textStart + (rec.textStart === 0 ? rec.title.length : 0);
    var end = rec.headLength;
    var hit = firstMatch(rec, needles, from, end);
    if (hit.at < 0) hit = firstMatch(rec, needles, rec.textStart, end);
    if (hit.at < 0) {
      var unit = firstMatch(rec, needles, rec.unitsStart, rec.unitsEnd);
      if (unit.at >= 0) { hit = unit; from = rec.unitsStart; end = rec.unitsEnd; }
    }
    var body = rec.hay.slice(0, end);
    var start = hit.at < 0 ? from : Math.max(from, hit.at - 30);
    var stop = Math.min(end, Math.max(start + 100, hit.at + hit.length + 20));
    var text = body.slice(start, stop).replace(/^[。，；：、\s]+/, "").replace(/\n/g, " ｜ ");
    return (start > from ? "…" : "") + text + (stop < end ? "…" : "");
  }

  window.CatalogHighlight = { appendMarked: appendMarked, passage: passage };
})();
