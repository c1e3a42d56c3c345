/* Small behaviours of the catalogue's pages, each with a no-script fallback:
   - tables wider than their column scroll sideways: the scroll box gets keyboard focus, a name, and a
     class that shows a scroll cue (CSS) until the reader has scrolled to its end;
   - calendar links marked data-webcal (built without a site address) become webcal: links here, so a
     phone subscribes instead of downloading. */
(function () {
  "use strict";

  function tables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var box = wrap.querySelector(".md-typeset__table") || wrap;
      var scroller = [wrap, box, box.querySelector("table")].filter(function (e) {
        return e && e.scrollWidth > e.clientWidth + 1;
      })[0];
      wrap.classList.toggle("table-wide", !!scroller);
      if (!scroller) return;
      if (!scroller.hasAttribute("tabindex")) {
        scroller.setAttribute("tabindex", "0");
        scroller.setAttribute("role", "region");
        var heading = wrap.previousElementSibling;
        while (heading && !/^H[2-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
        scroller.setAttribute("aria-label", "表格（可左右滚动）" + (heading ? "：" + heading.textContent.replace("¶", "").trim() : ""));
        scroller.addEventListener("scroll", function () { update(wrap, scroller); }, { passive: true });
      }
      update(wrap, scroller);
    });
  }

  function update(wrap, scroller) {
    wrap.classList.toggle("table-scrolled", scroller.scrollLeft > 0);
    wrap.classList.toggle("table-end", scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 2);
  }

  function webcal() {
    document.querySelectorAll("a[data-webcal]").forEach(function (a) {
      var url = new URL(a.getAttribute("href"), location.href);
      if (url.protocol === "http:" || url.protocol === "https:") a.href = "webcal://" + url.host + url.pathname;
    });
  }

  function search() {  // the home page's search button opens the header's search box
    document.querySelectorAll("[data-open-search]").forEach(function (button) {
      button.onclick = function () {
        var toggle = document.getElementById("__search");
        if (toggle) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
        var input = document.getElementById("catalog-search-input");
        if (input) setTimeout(function () { input.focus(); }, 50);
      };
    });
  }

  // Landmarks told apart (WCAG 1.3.1, axe landmark-unique): the theme labels a nav section by a label that
  // holds only its expand icon, so every section nav has the same empty name, and the page's table of
  // contents appears twice as "目录" (in the drawer and in the sidebar). Name each by what it holds.
  function landmarks() {
    document.querySelectorAll("nav.md-nav[aria-labelledby]").forEach(function (nav) {
      var label = document.getElementById(nav.getAttribute("aria-labelledby"));
      if (label && label.textContent.trim()) return;
      var title = nav.querySelector(":scope > .md-nav__title");
      var name = title ? title.textContent.trim() : "";
      if (name) { nav.removeAttribute("aria-labelledby"); nav.setAttribute("aria-label", name); }
    });
    document.querySelectorAll(".md-nav--primary nav.md-nav--secondary").forEach(function (toc) {
      toc.setAttribute("aria-label", "导航栏中的本页目录");
    });
  }

  // Every box that scrolls can be reached and scrolled by keyboard (axe scrollable-region-focusable).
  function scrollBoxes() {
    document.querySelectorAll(".md-search__scrollwrap, .md-search-result__meta, .md-sidebar__scrollwrap").forEach(function (box) {
      if (!box.hasAttribute("tabindex") && box.scrollHeight > box.clientHeight + 1) box.setAttribute("tabindex", "0");
    });
  }

  function run() { tables(); webcal(); search(); landmarks(); scrollBoxes(); }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(run);  // Material's page loads
  else document.addEventListener("DOMContentLoaded", run);
  window.addEventListener("resize", function () { tables(); scrollBoxes(); });
})();
