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
  // Keeps an open definition inside the window: shifted left when it would
  // run off the right edge, never past the left one.
  function place(gloss) {
    var tip = gloss.querySelector(".gloss-tip");
    if (!tip) return;
    tip.style.left = "";
    var box = tip.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var shift = Math.min(0, width - 8 - box.right);
    shift = Math.max(shift, 8 - box.left);
    if (shift) tip.style.left = shift + "px";
  }

  function open(event) {
    var gloss = event.target.closest && event.target.closest(".gloss");
    if (!gloss) return;
    gloss.classList.remove("gloss-dismissed");
    place(gloss);
  }

  document.addEventListener("mouseover", open);
  document.addEventListener("focusin", open);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    var shown = document.querySelectorAll(".gloss:hover, .gloss:focus-within");
    for (var i = 0; i < shown.length; i++) shown[i].classList.add("gloss-dismissed");
  });
  // Hidden by Esc until the pointer or focus leaves and comes back.
  document.addEventListener("mouseout", function (event) {
    var gloss = event.target.closest && event.target.closest(".gloss");
    if (gloss && !gloss.contains(event.relatedTarget) && !gloss.matches(":focus-within")) {
      gloss.classList.remove("gloss-dismissed");
    }
  });
  document.addEventListener("focusout", function (event) {
    var gloss = event.target.closest && event.target.closest(".gloss");
    if (gloss && !gloss.contains(event.relatedTarget) && !gloss.matches(":hover")) {
      gloss.classList.remove("gloss-dismissed");
    }
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
