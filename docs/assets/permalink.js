/* Permalinks and citations of measures. Each measure's address is its own
   page (m/<id>/); the citation shows that address as the reader sees it and
   today's date as the access date. "复制链接" copies the address, "复制引用"
   the whole citation as shown. Nothing here talks to another host. */
(function () {
  "use strict";

  function absolute(href) {
    return new URL(href, location.href).href;
  }

  function today() {
    var d = new Date();
    return {
      iso: d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2),
      text: d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日"
    };
  }

  function showAddresses() {
    var urls = document.querySelectorAll(".measure-url[data-href]");
    for (var i = 0; i < urls.length; i++) {
      urls[i].textContent = absolute(urls[i].getAttribute("data-href"));
    }
    var date = today();
    var dates = document.querySelectorAll("time.measure-accessed");
    for (var j = 0; j < dates.length; j++) {
      dates[j].setAttribute("datetime", date.iso);
      dates[j].textContent = date.text;
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

  function copied(button) {
    if (button.getAttribute("data-copy") === "citation") {
      var cite = button.closest(".measure-cite");
      var text = cite && cite.querySelector(".measure-citation");
      return text ? text.textContent.replace(/\s+/g, " ").trim() : "";
    }
    return absolute(button.getAttribute("data-href"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.measure-copy");
    if (!button) return;
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    copy(copied(button)).then(
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
