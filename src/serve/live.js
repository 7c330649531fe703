// pamphlet serve: reloads the page after each rebuild, keeping its scroll
// position, and lists the errors of a failed rebuild over the page.
(() => {
  "use strict";
  const key = "pamphlet-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const y = Number(saved);
    const restore = () => window.scrollTo(0, y);
    restore();
    addEventListener("load", restore, { once: true });
  }

  const OVERLAY = "pamphlet-errors";

  function hide() {
    const old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }

  function show(errors) {
    hide();
    const box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#fff;color:#1b1b1b;border:3px solid #b50909;border-radius:4px;padding:1rem 1.25rem;" +
      "font:16px/1.5 system-ui,sans-serif;box-shadow:0 4px 24px rgba(0,0,0,.35)";
    const title = document.createElement("h2");
    title.style.cssText = "margin:0 0 .5rem;font-size:1.15rem;color:#b50909";
    title.textContent = errors.length === 1
      ? "pamphlet: the last change did not build (1 error)"
      : "pamphlet: the last change did not build (" + errors.length + " errors)";
    const note = document.createElement("p");
    note.style.cssText = "margin:0 0 .5rem";
    note.textContent = "This page is the last good build. Fix the file and it reloads by itself.";
    const list = document.createElement("ul");
    list.style.cssText = "margin:0;padding-left:1.25rem";
    for (const e of errors) {
      const item = document.createElement("li");
      const where = document.createElement("code");
      where.textContent = [e.file || "site", e.line, e.column].filter((x) => x).join(":");
      item.append(where, " " + e.message);
      list.append(item);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssText = "margin-top:.75rem;font:inherit;padding:.25rem .75rem";
    close.addEventListener("click", hide);
    box.append(title, note, list, close);
    document.body.append(box);
  }

  const events = new EventSource("/__pamphlet/events");
  events.addEventListener("reload", () => {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
  // "error" is also what EventSource fires when the connection drops; only
  // pamphlet's own error events carry data.
  events.addEventListener("error", (event) => {
    if (typeof event.data !== "string") return;
    try {
      show(JSON.parse(event.data).errors || []);
    } catch (_) {
      show([{ message: event.data }]);
    }
  });
})();
