// The dashboard's behaviour, shared by every page: claim lists filter and sort, a claim
// opens its panel (one at a time, scrolled into view), tables sort by a clicked heading.
(function () {
  "use strict";
  // Reviewers look at what the sources dispute first.
  var VERDICT_ORDER = ["CONTRADICTED", "DISPUTED", "SUPPORTED", "NOT ENOUGH INFO", "none"];
  var each = function (selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); };
  var byPosition = function (a, b) { return a.dataset.position - b.dataset.position; };
  var ORDERS = {
    position: byPosition,
    verdict: function (a, b) {
      return VERDICT_ORDER.indexOf(a.dataset.verdict) - VERDICT_ORDER.indexOf(b.dataset.verdict) || byPosition(a, b);
    },
    "confidence-desc": function (a, b) { return b.dataset.confidence - a.dataset.confidence || byPosition(a, b); },
    "confidence-asc": function (a, b) { return a.dataset.confidence - b.dataset.confidence || byPosition(a, b); }
  };

  function matches(item, form) {
    var f = form.elements;
    var words = f.q.value.trim().toLowerCase();
    return (!f.verdict.value || item.dataset.verdict === f.verdict.value) &&
      (!f.outlet.value || JSON.parse(item.dataset.outlets).indexOf(f.outlet.value) >= 0) &&
      (!f.reviewed.value || item.dataset.reviewed === f.reviewed.value) &&
      (!words || item.querySelector(".claim").textContent.toLowerCase().indexOf(words) >= 0);
  }

  function applyFilters(form) {
    var list = document.getElementById(form.dataset.list);
    var items = Array.prototype.slice.call(list.children);
    var shown = 0;
    items.forEach(function (item) {
      var keep = matches(item, form);
      item.hidden = !keep;
      if (keep) { shown += 1; }
      // In the article's text, a claim the filters leave out fades.
      each('.article-text .claim[data-claim="' + item.dataset.claimItem + '"]', function (span) {
        span.classList.toggle("filtered-out", !keep);
      });
    });
    items.sort(ORDERS[form.elements.sort.value] || byPosition);
    items.forEach(function (item) { list.appendChild(item); });
    form.querySelector(".shown").textContent = shown + " of " + items.length + " claims";
  }

  function openClaim(id) {
    var panel = document.getElementById("claim-" + id);
    if (!panel) { return; }
    each(".claim-panel", function (p) { p.hidden = p !== panel; });
    each(".claim.selected", function (s) { s.classList.remove("selected"); });
    each('.claim[data-claim="' + id + '"]', function (s) { s.classList.add("selected"); });
    panel.scrollIntoView({block: "start"});
    if (history.replaceState) { history.replaceState(null, "", "#claim-" + id); }
  }

  function sortTable(table, column, kind) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var descending = table.dataset.sortColumn === String(column) && table.dataset.sortOrder !== "desc";
    var value = function (row) {
      var text = row.cells[column].textContent.trim();
      return kind === "number" ? (parseFloat(text) || 0) : text.toLowerCase();
    };
    rows.sort(function (a, b) {
      var x = value(a), y = value(b);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.dataset.sortColumn = String(column);
    table.dataset.sortOrder = descending ? "desc" : "asc";
  }

  each("form.filters", function (form) {
    // Filtering happens as the reader types; Enter submits nothing.
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function () { applyFilters(form); });
    form.addEventListener("change", function () { applyFilters(form); });
  });
  each(".claim[data-claim]", function (el) {
    el.addEventListener("click", function () { openClaim(el.dataset.claim); });
  });
  each("table.sortable th[data-sort]", function (th) {
    th.addEventListener("click", function () { sortTable(th.closest("table"), th.cellIndex, th.dataset.sort); });
  });
  if (location.hash.indexOf("#claim-") === 0) { openClaim(location.hash.slice(7)); }
}());
