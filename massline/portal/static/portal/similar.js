/* Similar public requests while a request is being written (progressive enhancement: the form works
   without this file). As the title or text is typed, or the place is marked, the page asks
   /requests/similar/ (debounced, and only when the question changed) and shows the fragment it returns.
   The question is POSTed with the form's CSRF token, so what someone types never lands in a URL (nor in
   an access log). Nothing is asked while the kind is a misconduct report (舉報): its text stays private. */
(function () {
  "use strict";
  var box = document.querySelector("[data-similar-url]");
  if (!box || !window.fetch || !window.URLSearchParams) return;
  var form = box.closest("form");
  var MAX_TEXT = 1000;  // the server takes up to 2,000 characters; the start of a request says enough
  var WAIT_MS = 600;
  function field(name) { return document.getElementById(box.getAttribute("data-" + name)); }
  var text = field("text"), title = field("title"), lat = field("lat"), lon = field("lon");
  var timer = null, asked = "";

  function isReport() {
    var kind = form && form.querySelector("input[name=kind]:checked");
    return !!kind && kind.value === "report";
  }

  function question() {
    if (isReport()) return "";
    var words = ((title && title.value) || "") + "\n" + ((text && text.value) || "");
    var params = new URLSearchParams();
    words = words.trim().slice(0, MAX_TEXT);
    if (words.length >= 4) params.set("text", words);
    var y = lat && lat.value.trim(), x = lon && lon.value.trim();
    if (y && x && isFinite(y) && isFinite(x)) { params.set("lat", y); params.set("lon", x); }
    return params.toString();
  }

  function ask() {
    var query = question();
    if (query === asked) return;
    asked = query;
    if (!query) { box.innerHTML = ""; return; }
    var body = new URLSearchParams(query);
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) body.set("csrfmiddlewaretoken", token.value);
    fetch(box.getAttribute("data-similar-url"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        // A slower answer to an older question must not replace a newer one; a refusal (429) keeps the list.
        if (html !== null && query === asked) box.innerHTML = html;
      })
      .catch(function () { /* offline: the form still works */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, WAIT_MS);
  }

  [text, title, lat, lon].forEach(function (el) {
    if (el) { el.addEventListener("input", later); el.addEventListener("change", later); }
  });
  if (form) {
    form.querySelectorAll("input[name=kind]").forEach(function (el) { el.addEventListener("change", later); });
  }
  // The map picker and its "remove" button set the coordinates without an input event.
  [field("picker"), field("clear")].forEach(function (el) { if (el) el.addEventListener("click", later); });
  if (question()) later();  // a form shown again after an error already has text
})();
