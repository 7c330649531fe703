// pamphlet default theme: glossary enhancements. Everything works without
// this file: term links lead to their pages, tooltips show on hover and
// focus through CSS, and the glossary lists every term.
//
// With it: Esc hides an open term definition without moving focus (WCAG 2.2
// SC 1.4.13), a definition that would run off the screen opens to the left,
// and the glossary page gets a filter that narrows the list as you type.
(function () {
  "use strict";

  // ----- Term tooltips -----
  // Each term link (a.gloss) is followed by its definition (span.tip).

  // Places an open definition just under its term, inside the window.
  function place(link, tip) {
    var parent = tip.offsetParent || document.body;
    var origin = parent.getBoundingClientRect();
    var term = link.getClientRects()[0] || link.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    tip.classList.add("tip-placed");
    tip.style.top = term.bottom - origin.top + parent.scrollTop + "px";
    tip.style.left = "0px";
    var tipWidth = tip.getBoundingClientRect().width;
    var left = Math.max(8, Math.min(term.left, width - 8 - tipWidth));
    tip.style.left = left - origin.left + parent.scrollLeft + "px";
  }

  function termOf(target) {
    var link = target.closest && target.closest("a.gloss");
    var tip = link && link.nextElementSibling;
    return tip && tip.classList.contains("tip") ? { link: link, tip: tip } : null;
  }

  function open(event) {
    var found = termOf(event.target);
    if (!found) return;
    found.tip.classList.remove("tip-dismissed");
    place(found.link, found.tip);
  }

  document.addEventListener("mouseover", open);
  document.addEventListener("focusin", open);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    var shown = document.querySelectorAll("a.gloss:hover + .tip, a.gloss:focus + .tip, .tip:hover");
    for (var i = 0; i < shown.length; i++) shown[i].classList.add("tip-dismissed");
  });

  // ----- Glossary filter -----
  var form = document.querySelector("[data-glossary-filter]");
  if (!form) return;
  var input = form.querySelector("input");
  var status = form.querySelector("[role=status]");
  var entries = document.querySelectorAll(".glossary-entry");
  var letters = document.querySelectorAll(".glossary-letter");
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  function filter() {
    var query = input.value.trim().toLowerCase();
    var shown = 0;
    for (var i = 0; i < entries.length; i++) {
      var match = !query || entries[i].textContent.toLowerCase().indexOf(query) !== -1;
      entries[i].hidden = !match;
      if (match) shown++;
    }
    for (var j = 0; j < letters.length; j++) {
      letters[j].hidden = !letters[j].querySelector(".glossary-entry:not([hidden])");
    }
    status.textContent = query
      ? shown + (shown === 1 ? " term matches" : " terms match") + " \u201c" + input.value.trim() + "\u201d"
      : entries.length + " terms";
  }

  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(filter, 150);
  });
})();
