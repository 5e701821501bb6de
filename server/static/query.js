// mandategraph SPARQL and named-query pages: progressive enhancement. Without this file the
// forms submit to /sparql or /queries/NAME and the browser receives the results file.
// With it: examples fill the editor, DISTINCT is applied, results show as a table, download
// links follow the query, named queries page through limit/offset.
(function () {
  "use strict";
  var T = document.documentElement.lang === "zh"
    ? { rows: "第 {a}–{b} 行", next: "后续各行", prev: "前面各行", none: "无结果。", running: "运行中……", cut: "结果在服务器行数上限处截断。" }
    : { rows: "rows {a}–{b}", next: "Next rows", prev: "Previous rows", none: "No rows.", running: "Running…", cut: "The result was cut at the server's row cap." };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // SELECT -> SELECT DISTINCT on the first projection that has neither DISTINCT nor REDUCED
  function withDistinct(q) {
    return q.replace(/(^|[\s}])SELECT(\s+)(?!DISTINCT\b|REDUCED\b)/i, function (m, a, sp) { return a + "SELECT DISTINCT" + sp; });
  }

  function cell(term) {
    var td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      var a = el("a", null, term.value);
      a.href = term.value.indexOf(location.origin) === 0 ? term.value.slice(location.origin.length) : term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.lang = term["xml:lang"];
    }
    return td;
  }

  function renderTable(box, data, first) {
    box.innerHTML = "";
    if (typeof data.boolean === "boolean") { box.appendChild(el("p", "ask", String(data.boolean))); return 0; }
    var vars = data.head.vars, rows = data.results.bindings;
    if (!rows.length) { box.appendChild(el("p", "none", T.none)); return 0; }
    box.appendChild(el("p", "count", T.rows.replace("{a}", first + 1).replace("{b}", first + rows.length)));
    var wrap = el("div", "table-wrap"), table = el("table", "results"), thead = el("thead"), tr = el("tr");
    vars.forEach(function (v) { var th = el("th", null, v); th.scope = "col"; tr.appendChild(th); });
    thead.appendChild(tr); table.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (b) { var r = el("tr"); vars.forEach(function (v) { r.appendChild(cell(b[v])); }); tbody.appendChild(r); });
    table.appendChild(tbody); wrap.appendChild(table); box.appendChild(wrap);
    return rows.length;
  }

  function show(box, resp, first) {
    var ctype = resp.headers.get("content-type") || "";
    var cut = resp.headers.get("x-result-truncated");
    return (ctype.indexOf("json") >= 0 && ctype.indexOf("ld+json") < 0 ? resp.json().then(function (d) { return renderTable(box, d, first); })
      : resp.text().then(function (t) { box.innerHTML = ""; box.appendChild(el("pre", "rdf", t)); return 0; }))
      .then(function (n) { if (cut) box.appendChild(el("p", "warn", T.cut)); return n; });
  }

  function fail(box, resp) {
    return resp.text().then(function (t) { box.innerHTML = ""; box.appendChild(el("p", "error", resp.status + ": " + t)); });
  }

  function sparqlForm(form) {
    var box = document.getElementById("results"), text = form.querySelector("#query"),
        pick = form.querySelector("#example"), distinct = form.querySelector("#distinct");
    var endpoint = form.getAttribute("data-endpoint");
    function current() { return distinct.checked ? withDistinct(text.value) : text.value; }
    function links() {
      form.querySelectorAll("a.download").forEach(function (a) {
        a.href = endpoint + "?format=" + a.getAttribute("data-format") + "&query=" + encodeURIComponent(current());
      });
    }
    function fill() {
      var t = pick.value && document.getElementById("example-" + pick.value);
      if (t) { text.value = t.content ? t.content.textContent : t.textContent; links(); }
    }
    pick.addEventListener("change", fill);
    if (!text.value.trim()) fill();
    text.addEventListener("input", links);
    distinct.addEventListener("change", links);
    links();
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      box.textContent = T.running;
      fetch(endpoint, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9" }, body: "query=" + encodeURIComponent(current()) })
        .then(function (r) { return r.ok ? show(box, r, 0) : fail(box, r); })
        .catch(function (e) { box.textContent = String(e); });
    });
  }

  function namedForm(form) {
    var box = document.getElementById("results"), endpoint = form.getAttribute("data-endpoint");
    var size = parseInt(form.getAttribute("data-page-rows"), 10) || 100;
    var offset = form.querySelector("input[name=offset]");
    function params(extra) {
      var p = new URLSearchParams(new FormData(form));
      Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
      return p;
    }
    function links() {
      form.querySelectorAll("a.download").forEach(function (a) {
        var p = params({ format: a.getAttribute("data-format") }); p.delete("limit"); p.delete("offset");
        a.href = endpoint + "?" + p.toString();
      });
    }
    form.addEventListener("input", links);
    links();
    function run(first) {
      offset.value = String(first);
      box.textContent = T.running;
      fetch(endpoint + "?" + params({ format: "json" }).toString(), { headers: { "Accept": "application/sparql-results+json" } })
        .then(function (r) { return r.ok ? show(box, r, first) : fail(box, r).then(function () { return -1; }); })
        .then(function (n) {
          if (n < 0) return;
          var nav = el("p", "pager");
          if (first > 0) { var b = el("button", null, T.prev); b.type = "button"; b.onclick = function () { run(Math.max(0, first - size)); }; nav.appendChild(b); }
          if (n === size) { var m = el("button", null, T.next); m.type = "button"; m.onclick = function () { run(first + size); }; nav.appendChild(m); }
          if (nav.childNodes.length) box.appendChild(nav);
        })
        .catch(function (e) { box.textContent = String(e); });
    }
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(0); });
  }

  document.querySelectorAll("form.query-form").forEach(function (f) {
    if (f.getAttribute("data-kind") === "sparql") sparqlForm(f); else namedForm(f);
  });
})();
