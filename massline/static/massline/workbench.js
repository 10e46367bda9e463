/* Staff workbench enhancements. Every page works without this file: these only save keystrokes. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";

  // --- deadline countdowns: the server wrote the text; keep it current while the page stays open.
  function span(seconds) {
    var s = Math.abs(seconds), unit, n;
    if (s < 7200) { unit = "minute"; n = Math.max(1, Math.round(s / 60)); }
    else if (s < 172800) { unit = "hour"; n = Math.round(s / 3600); }
    else { unit = "day"; n = Math.round(s / 86400); }
    try { return new Intl.NumberFormat(lang, { style: "unit", unit: unit, unitDisplay: "short" }).format(n); }
    catch (e) { return n + " " + unit; }
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-due]").forEach(function (el) {
      var left = (Date.parse(el.getAttribute("data-due")) - now) / 1000;
      var tpl = el.getAttribute(left < 0 ? "data-tpl-over" : "data-tpl-due");
      var out = el.querySelector(".due-text");
      if (!tpl || !out) return;
      out.textContent = tpl.replace("%(span)s", span(left));
      el.classList.toggle("due-over", left < 0);
      el.classList.toggle("due-soon", left >= 0 && left < 8 * 3600);
    });
  }
  if (document.querySelector("time[data-due]")) setInterval(tick, 60000);

  // --- j / k through queue rows, x to select, ? for help.
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-queue] [data-row]"));
  var current = -1;
  function move(to) {
    if (!rows.length) return;
    if (current >= 0) rows[current].classList.remove("is-current");
    current = Math.max(0, Math.min(rows.length - 1, to));
    var row = rows[current];
    row.classList.add("is-current");
    var link = row.querySelector("[data-open]");
    if (link) link.focus();
    row.scrollIntoView({ block: "nearest" });
  }
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  var help = null;
  function toggleHelp() {
    if (!help) {
      help = document.createElement("div");
      help.className = "kbd-help";
      help.setAttribute("role", "dialog");
      help.setAttribute("aria-label", "Keyboard");
      var hint = document.querySelector(".kbd-hint");
      help.innerHTML = "<dl><dt><kbd>j</kbd> <kbd>k</kbd></dt><dd>↓ ↑</dd><dt><kbd>x</kbd></dt><dd>☑</dd>" +
        "<dt><kbd>Enter</kbd></dt><dd>→</dd><dt><kbd>?</kbd></dt><dd>✕</dd></dl>";
      if (hint) { var p = document.createElement("p"); p.textContent = hint.textContent; help.appendChild(p); }
      document.body.appendChild(help);
    } else {
      help.hidden = !help.hidden;
    }
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.key === "j") { move(current + 1); e.preventDefault(); }
    else if (e.key === "k") { move(current - 1); e.preventDefault(); }
    else if (e.key === "x" && current >= 0) {
      var box = rows[current].querySelector("[data-select]");
      if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change", { bubbles: true })); }
    } else if (e.key === "?") { toggleHelp(); }
    else if (e.key === "Escape" && help) { help.hidden = true; }
  });
  rows.forEach(function (row, i) {
    row.addEventListener("focusin", function () {
      if (current >= 0 && current !== i) rows[current].classList.remove("is-current");
      current = i;
      row.classList.add("is-current");
    });
  });

  // --- bulk selection counter.
  var counter = document.querySelector(".js-selected-count");
  function count() {
    if (counter) counter.textContent = "(" + document.querySelectorAll("[data-select]:checked").length + ")";
  }
  document.addEventListener("change", function (e) { if (e.target.matches && e.target.matches("[data-select]")) count(); });
  count();

  // --- reply templates: insert into the textarea without reloading the page.
  document.querySelectorAll("select[data-template-target]").forEach(function (select) {
    var area = document.getElementById(select.getAttribute("data-template-target"));
    function insert() {
      var opt = select.options[select.selectedIndex];
      var text = opt && opt.getAttribute("data-text");
      if (!area || !text) return;
      area.value = area.value.trim() ? area.value.replace(/\s+$/, "") + "\n\n" + text : text;
      area.focus();
    }
    select.form.addEventListener("submit", function (e) { e.preventDefault(); insert(); });
    select.addEventListener("change", insert);
  });

  // --- visits: add another issue row (the server already renders three).
  var add = document.querySelector("[data-add-issue]");
  var tpl = document.getElementById("issue-template");
  var total = document.querySelector("input[name$='-TOTAL_FORMS']");
  if (add && tpl && total) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var n = parseInt(total.value, 10);
      var html = tpl.innerHTML.replace(/__prefix__/g, String(n));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fs = holder.firstElementChild;
      var label = fs.querySelector("[data-issue-n]");
      if (label) label.textContent = String(n + 1);
      document.getElementById("issues").appendChild(fs);
      total.value = String(n + 1);
      var first = fs.querySelector("input, textarea");
      if (first) first.focus();
    });
  }
})();
