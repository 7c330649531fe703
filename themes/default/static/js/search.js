// pamphlet default theme: search. Loaded by the search page only.
//
// The index is static files under /search/LANG/ (LANG from <html lang>):
// index.json (the manifest), shards/N.json (sorted words and glossary names,
// cut into runs) and docs/N.json (a few pages each, for results). A query
// loads the manifest, the shard each word falls in (and, for the last word,
// read as a prefix, the shards it spans), then the pages of the results
// shown. Words are cut as pamphlet cuts them when it builds the index.
//
// Without JavaScript the form still leads here, and the page lists the
// A–Z glossary and the sections instead.
(function () {
  "use strict";

  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = {};
  for (var a = 0; a < 64; a++) DIGIT[ALPHABET.charAt(a)] = a;
  var NOT_WORD = /[^\p{Alphabetic}\p{N}]+/u;
  var MAX_WORD = 40;
  var MAX_PREFIX_SHARDS = 3;
  var MAX_PREFIX_WORDS = 60;

  // Numbers in the index's compact form: base 32, the last digit of each
  // number from the first half of the alphabet.
  function numbers(text) {
    var out = [], n = 0;
    for (var i = 0; i < text.length; i++) {
      var d = DIGIT[text.charAt(i)];
      if (d >= 32) n = n * 32 + d - 32;
      else { out.push(n * 32 + d); n = 0; }
    }
    return out;
  }

  function words(text) {
    return text.toLowerCase().split(NOT_WORD).filter(function (w) { return w && w.length <= MAX_WORD; });
  }

  // One language's index. `load(path)` resolves to the parsed JSON file.
  function Index(root, load) {
    this.root = root;
    this.load = load;
    this.files = {};
  }

  // Each file is loaded once; one that fails is asked for again next time.
  Index.prototype.file = function (name) {
    var self = this;
    if (!this.files[name]) {
      this.files[name] = this.manifest().then(function (m) {
        return self.load(self.root + name + "?v=" + m.build);
      }).catch(function (error) {
        delete self.files[name];
        throw error;
      });
    }
    return this.files[name];
  };

  Index.prototype.manifest = function () {
    var self = this;
    return this.m || (this.m = this.load(this.root + "index.json").catch(function (error) {
      self.m = null;
      throw error;
    }));
  };

  // The shard whose keys take in `key`: the last that starts at or before it.
  function shardOf(m, key) {
    var lo = 0, hi = m.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.shards[mid] <= key) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  Index.prototype.shard = function (i) {
    return this.file("shards/" + i + ".json");
  };

  Index.prototype.doc = function (id) {
    var self = this;
    return this.manifest().then(function (m) {
      var per = m.docs_per_file;
      return self.file("docs/" + Math.floor(id / per) + ".json").then(function (docs) { return docs[id % per]; });
    });
  };

  // Ids of pages matching `query`, best first, within `filter` ({kind,
  // category, status}; empty values allow all). A page named exactly by the
  // query (a term's title or synonym) comes first; then pages with more of
  // the query's words; then by weight.
  Index.prototype.search = function (query, filter) {
    var self = this, terms = words(query);
    return this.manifest().then(function (m) {
      if (!terms.length) return { ids: [], terms: terms };
      var last = terms[terms.length - 1], phrase = terms.join(" ");
      var first = shardOf(m, last), end = first;
      if (last.length > 1) {
        while (end + 1 < m.shards.length && end + 1 - first < MAX_PREFIX_SHARDS && m.shards[end + 1].indexOf(last) === 0) end++;
      }
      var wanted = {};
      terms.forEach(function (t) { wanted[shardOf(m, t)] = true; });
      wanted[shardOf(m, phrase)] = true;
      for (var s = first; s <= end; s++) wanted[s] = true;
      var list = Object.keys(wanted).map(Number);
      return Promise.all(list.map(function (i) { return self.shard(i); })).then(function (shards) {
        var byIndex = {};
        list.forEach(function (i, k) { byIndex[i] = shards[k]; });
        var prefixShards = [];
        for (var p = first; p <= end; p++) prefixShards.push(byIndex[p]);
        return rank(m, terms, phrase, byIndex, prefixShards, filter || {});
      });
    });
  };

  // Scores every page in typed arrays, one slot per page id: at tens of
  // thousands of pages, a common word is on most of them.
  function rank(m, terms, phrase, shards, prefixShards, filter) {
    var n = m.pages, hits = new Uint8Array(n), score = new Float64Array(n), exact = new Uint8Array(n);
    var weights = new Float32Array(n);
    terms.forEach(function (t, i) {
      var ids = [];
      function add(encoded, scale) {
        var nums = numbers(encoded), id = 0;
        for (var j = 0; j < nums.length; j += 2) {
          id += nums[j];
          var w = nums[j + 1] * scale;
          if (!weights[id]) ids.push(id);
          if (weights[id] < w) weights[id] = w;
        }
      }
      var own = shards[shardOf(m, t)].words[t];
      if (own) add(own, 1);
      if (i === terms.length - 1 && t.length > 1) {
        var extra = 0;
        prefixShards.forEach(function (shard) {
          for (var key in shard.words) {
            if (key !== t && key.indexOf(t) === 0 && extra++ < MAX_PREFIX_WORDS) add(shard.words[key], 0.6);
          }
        });
      }
      var idf = Math.log(1 + n / Math.max(ids.length, 1));
      for (var k = 0; k < ids.length; k++) {
        var id = ids[k];
        hits[id]++;
        score[id] += weights[id] * idf;
        weights[id] = 0;
      }
    });
    var named = shards[shardOf(m, phrase)].names[phrase];
    if (named) {
      var at = 0;
      numbers(named).forEach(function (gap) {
        at += gap;
        exact[at] = 1;
        hits[at] = Math.max(hits[at], terms.length);
      });
    }
    var found = [];
    for (var g = 0; g < m.groups.length; g++) {
      var group = m.groups[g], end = g + 1 < m.groups.length ? m.groups[g + 1][3] : n;
      if (!allowed(group, filter)) continue;
      for (var p = group[3]; p < end; p++) if (hits[p]) found.push(p);
    }
    // One number to sort by: exact name, then words matched, then score
    // (a score stays far below 1e9).
    for (var f = 0; f < found.length; f++) {
      var at = found[f];
      score[at] += exact[at] * 1e12 + hits[at] * 1e9;
    }
    found.sort(function (x, y) { return (score[y] - score[x]) || (x - y); });
    return { ids: found, terms: terms };
  }

  // Pages are numbered in groups of one kind, category and status:
  // `[kind, category, status, first id]`.
  function allowed(group, filter) {
    return (!filter.kind || group[0] === filter.kind) &&
      (!filter.category || group[1] === filter.category) &&
      (!filter.status || group[2] === filter.status);
  }

  if (typeof document === "undefined") {
    // Node (pamphlet's tests) runs the same query code on a built index.
    globalThis.pamphletSearch = { Index: Index, words: words };
    return;
  }

  // ----- The search page -----
  var form = document.querySelector("[data-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var filters = form.querySelector("[data-search-filters]");
  var selects = filters.querySelectorAll("select");
  var status = document.getElementById("search-status");
  var list = document.querySelector("[data-search-results]");
  var more = document.querySelector("[data-search-more]");
  var lang = document.documentElement.lang || "en";
  var index = new Index(form.getAttribute("data-search") + lang + "/", function (path) {
    return fetch(path).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  });
  var PAGE = 10, run = 0, current = null, shown = 0, timer;
  var kinds = {};
  Array.prototype.forEach.call(form.querySelectorAll("option[data-label]"), function (o) {
    kinds[o.value] = o.getAttribute("data-label");
  });

  function filterValues() {
    var f = {};
    Array.prototype.forEach.call(selects, function (s) { f[s.name] = s.value; });
    return f;
  }

  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // Matches the query's words in text: whole words, the last as a prefix.
  function matcher(terms) {
    var parts = terms.map(function (t, i) {
      return escapeRe(t) + (i === terms.length - 1 ? "[\\p{Alphabetic}\\p{N}]*" : "");
    });
    return new RegExp("(?<![\\p{Alphabetic}\\p{N}])(?:" + parts.join("|") + ")(?![\\p{Alphabetic}\\p{N}])", "giu");
  }

  // Appends `text` to `el`, with each match in a <mark>.
  function highlight(el, text, re) {
    var at = 0, m;
    re.lastIndex = 0;
    while ((m = re.exec(text))) {
      if (!m[0]) { re.lastIndex++; continue; }
      el.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      at = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(at)));
  }

  // About 200 characters of the page around the first match.
  function snippet(doc, re) {
    var sources = [doc.text || "", doc.description || ""];
    for (var i = 0; i < sources.length; i++) {
      re.lastIndex = 0;
      var m = re.exec(sources[i]);
      if (!m) continue;
      var text = sources[i], start = Math.max(0, m.index - 60);
      if (start > 0) start = text.indexOf(" ", start) + 1 || start;
      var end = Math.min(text.length, start + 200);
      if (end < text.length) end = text.lastIndexOf(" ", end) > m.index ? text.lastIndexOf(" ", end) : end;
      return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
    }
    return doc.description || (doc.text || "").slice(0, 200);
  }

  function item(doc, re) {
    var li = document.createElement("li");
    li.className = "search-result";
    var title = document.createElement("a");
    title.className = "search-result-title";
    title.href = doc.path;
    highlight(title, doc.title, re);
    var meta = document.createElement("p");
    meta.className = "search-result-kind";
    meta.textContent = [kinds[doc.kind] || doc.kind, doc.category, doc.status && doc.status.replace("-", " ")]
      .filter(Boolean).join(" · ");
    if (doc.synonyms) highlight(meta, " · also called " + doc.synonyms.join(", "), re);
    var text = document.createElement("p");
    text.className = "search-result-snippet";
    highlight(text, snippet(doc, re), re);
    li.appendChild(title);
    li.appendChild(meta);
    li.appendChild(text);
    return li;
  }

  function showMore(focus) {
    var mine = run, found = current;
    var ids = found.ids.slice(shown, shown + PAGE);
    return Promise.all(ids.map(function (id) { return index.doc(id); })).then(function (docs) {
      if (mine !== run) return;
      var re = matcher(found.terms), firstNew = null;
      docs.forEach(function (doc) {
        var li = item(doc, re);
        firstNew = firstNew || li;
        list.appendChild(li);
      });
      shown += docs.length;
      more.hidden = shown >= found.ids.length;
      list.setAttribute("data-done", found.query);
      if (focus && firstNew) firstNew.querySelector("a").focus();
    });
  }

  // The page's words for the count, from the status region's data-one,
  // data-many, data-none and data-failed ({n}: how many, {q}: the query),
  // so that a theme or a translation changes them in the template.
  function message(name, n, q) {
    return (status.getAttribute("data-" + name) || "").replace("{n}", n).replace("{q}", q);
  }

  function say(found) {
    var n = found.ids.length;
    if (!found.terms.length) return "";
    return message(n === 0 ? "none" : n === 1 ? "one" : "many", n.toLocaleString(lang), found.query);
  }

  function search() {
    clearTimeout(timer);
    var query = input.value.trim(), filter = filterValues(), mine = ++run;
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    for (var k in filter) if (filter[k]) params.set(k, filter[k]);
    history.replaceState(null, "", params.toString() ? "?" + params : location.pathname);
    return index.search(query, filter).then(function (found) {
      if (mine !== run) return;
      found.query = query;
      current = found;
      shown = 0;
      list.textContent = "";
      list.hidden = !found.ids.length;
      more.hidden = true;
      status.textContent = say(found);
      return showMore(false);
    }).catch(function () {
      if (mine !== run) return;
      status.textContent = message("failed", 0, query);
    });
  }

  // Arrow keys move between the field and the results.
  function move(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll(".search-result-title"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = event.key === "ArrowDown" ? at + 1 : at - 1;
    if (event.target === input) next = event.key === "ArrowDown" ? 0 : -2;
    if (next === -1) input.focus();
    else if (links[next]) links[next].focus();
    else return;
    event.preventDefault();
  }

  filters.hidden = false;
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  Array.prototype.forEach.call(selects, function (s) {
    var v = params.get(s.name);
    if (v && s.querySelector("option[value=\"" + CSS.escape(v) + "\"]")) s.value = v;
    s.addEventListener("change", search);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  input.addEventListener("keydown", move);
  list.addEventListener("keydown", move);
  more.addEventListener("click", function () { showMore(true); });
  if (input.value) search();
  // The manifest is small and every query needs it: load it now.
  else index.manifest().catch(function () {});
})();
