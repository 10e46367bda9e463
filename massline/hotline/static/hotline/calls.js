// "Use this answer" fills the call form's answer without reloading, so what the call-taker typed stays.
// Without JavaScript the link reloads the page with the answer filled in.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-use-answer]");
    if (!link) return;
    var answer = document.getElementById("id_answer");
    var source = document.getElementById("id_knowledge_answer");
    if (!answer || !source) return;
    event.preventDefault();
    answer.value = link.getAttribute("data-answer-text");
    source.value = link.getAttribute("data-use-answer");
    var kind = document.getElementById("id_kind");
    if (kind && kind.value === "complaint") kind.value = "inquiry";
    document.querySelectorAll(".kb-answer.chosen").forEach(function (el) { el.classList.remove("chosen"); });
    link.closest(".kb-answer").classList.add("chosen");
    answer.focus();
  });
})();
