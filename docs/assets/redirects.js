/* Moved measures: a link to an old measure id (catalog/redirects.yaml,
   measures:) is sent to the measure's new permalink. Runs only when the page
   is opened at an anchor it does not have; reads redirects.json from this
   site (never another host). */
(function () {
  "use strict";
  var script = document.currentScript;
  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || document.getElementById(id) || !script) return;
    fetch(new URL("../redirects.json", script.src)).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      var target = data && data.measures && Object.prototype.hasOwnProperty.call(data.measures, id) && data.measures[id];
      if (typeof target === "string") location.replace(new URL(target, new URL("../", script.src)).href);
    }).catch(function () { /* no redirects: the page stays as it is */ });
  }
  follow();
  window.addEventListener("hashchange", follow);
})();
