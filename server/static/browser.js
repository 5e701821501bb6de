// mandategraph browser: progressive enhancement only. Every page works without this file.
// - search boxes suggest symbols as you type (from /search.json), with arrow keys and Enter;
// - "/" focuses the search box; Escape closes an open provenance popover;
// - opening one provenance popover closes the others; "Copy IRI" buttons.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var t;
    return function () { var a = arguments, self = this; clearTimeout(t); t = setTimeout(function () { fn.apply(self, a); }, ms); };
  }

  function attachSuggest(input) {
    var url = input.getAttribute("data-suggest");
    if (!url) return;
    var list = document.createElement("ul");
    var listId = input.id + "-suggest";
    list.id = listId;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.parentNode.style.position = "relative";
    input.parentNode.appendChild(list);
    var items = [], active = -1;

    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; input.removeAttribute("aria-activedescendant"); }
    function highlight(i) {
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (i >= 0) input.setAttribute("aria-activedescendant", items[i].id);
    }
    function show(hits) {
      list.innerHTML = "";
      items = hits.slice(0, 8).map(function (h, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.textContent = h.label + (h.kind ? "  ·  " + h.kind : "");
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = h.href; });
        li.dataset.href = h.href;
        list.appendChild(li);
        return li;
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
    }
    var fetchHits = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || input.value.trim() !== q) return;
          show([].concat(data.exact || [], data.suggestions || [], data.results || []));
        })
        .catch(function () { close(); });
    }, 180);
    input.addEventListener("input", fetchHits);
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].dataset.href; }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(attachSuggest);

  document.addEventListener("keydown", function (e) {
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (e.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(tag)) {
      var box = document.getElementById("q2") || document.getElementById("q");
      if (box) { e.preventDefault(); box.focus(); }
    }
    if (e.key === "Escape") {
      document.querySelectorAll("details.prov[open]").forEach(function (d) {
        d.open = false; var s = d.querySelector("summary"); if (s) s.focus();
      });
    }
  });

  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (!d.classList || !d.classList.contains("prov") || !d.open) return;
    document.querySelectorAll("details.prov[open]").forEach(function (o) { if (o !== d) o.open = false; });
  }, true);

  document.querySelectorAll("button.copy[data-copy]").forEach(function (b) {
    if (!navigator.clipboard) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(b.getAttribute("data-copy")).then(function () { b.textContent = "✓"; });
    });
  });
})();
