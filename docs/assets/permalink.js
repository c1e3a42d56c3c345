/* Permalinks of measures: the "复制链接" button copies the measure's absolute
   address, and each citation shows that address as the reader sees it.
   Nothing here talks to another host. */
(function () {
  "use strict";

  function absolute(hash) {
    return location.origin + location.pathname + hash;
  }

  function showAddresses() {
    var measures = document.querySelectorAll("article.measure[id]");
    for (var i = 0; i < measures.length; i++) {
      var url = measures[i].querySelector(".measure-url");
      if (url) url.textContent = absolute("#" + measures[i].id);
    }
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      ok ? resolve() : reject(new Error("copy failed"));
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.measure-copy[data-href]");
    if (!button) return;
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    copy(absolute(button.getAttribute("data-href"))).then(
      function () { button.textContent = "已复制"; },
      function () { button.textContent = "复制失败"; }
    ).then(function () {
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showAddresses);
  } else {
    showAddresses();
  }
})();
