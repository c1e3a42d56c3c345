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

  function run() { tables(); webcal(); search(); }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(run);  // Material's page loads
  else document.addEventListener("DOMContentLoaded", run);
  window.addEventListener("resize", tables);
})();
