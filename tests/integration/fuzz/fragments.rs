//! The fragments random sites are made of: what authors write, what
//! attackers write, and the edges of TOML, dates, paths and Unicode. Every
//! script vector pamphlet refuses is here, so that it turns up in every
//! place a fragment can go.

/// Text an author could put in any string field.
pub const STRINGS: &[&str] = &[
    "Plain words",
    "Widget",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "{{ config }}",
    "{% for p in site.pages %}x{% endfor %}",
    "{# comment #}",
    "&#106;avascript:alert(1)",
    "]]><!-- -->",
    "a\\b\"c'd`e",
    "line\nbreak\r\nand\ttab",
    "BEGIN:VEVENT\nX:1",
    "é日本語שלום\u{202e}abc\u{200b}",
    "\u{2028}\u{2029}\u{85}\u{feff}",
    "\u{7f}\u{1}\u{1b}[31m",
    "",
    " ",
    "%2e%2e/%2e%2e/",
    "x",
];

/// URLs for front-matter link keys.
pub const URLS: &[&str] = &[
    "https://example.org/x",
    "mailto:a@example.org",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "\tjavascript:alert(1)",
    "&#106;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://example.org/\"><script>alert(1)</script>",
    "https://example.org/#\"onmouseover=\"alert(1)",
    "//evil.example/",
    "http://[::1]:8080/a",
    "",
];

/// Markdown that could be in a page's body.
pub const MARKDOWN: &[&str] = &[
    "A Widget and some gadgets, WIDGETS and a widget.",
    "## Hi {onmouseover=alert(1)}",
    "## Hi {#id .cls data-x=1 style=color:red}",
    "# T {#}\n\nSetext {onclick=x}\n===",
    "### A {#a}\n\n### A {#a}\n\n###### deep",
    "[inline](javascript:alert(1)) [case](JaVaScRiPt:alert(1)) [tab](java&#x09;script:alert(1))",
    "[lead](&#x09;javascript:alert(1)) [ent](jav&#x61;script:alert(1)) [dec](&#106;avascript:alert(1))",
    "[pct](%6Aavascript:alert(1)) [vb](vbscript:msgbox(1)) [data](data:text/html;base64,PHNjcmlwdD4=)",
    "[ref][evil]\n\n[evil]: javascript:alert(1)",
    "<javascript:alert(1)> <https://example.org> <a@example.org>",
    "![img](javascript:alert(1)) ![svg](data:image/svg+xml;base64,PHN2Zz4=) ![png](data:image/png;base64,iVBO)",
    "![fig](javascript:alert(1) \"Caption\")\n\n![ok](/img.png \"A <b>caption</b>\")",
    "![](no-alt.png)",
    "<script>alert(1)</script>",
    "Inline <img src=x onerror=alert(1)> and <a href=\"javascript:alert(1)\">raw</a>.",
    "<iframe src=\"javascript:alert(1)\"></iframe><svg onload=alert(1)><style>*{}</style>",
    "<!-- unclosed comment",
    "Note.[^1] Again.[^1] Missing.[^none]\n\n[^1]: See [x](javascript:alert(1)).",
    "[^loop]: [^loop]\n\nText[^loop]",
    "| a | b |\n|---|:-:|\n| [c](javascript:1) | <b>x</b> |",
    "> [!NOTE]\n> [callout](javascript:alert(1)) Widget",
    "> [!WARNING]\n> > [!TIP]\n> > nested",
    "> [!BOGUS]\n> text",
    "```\"><script>alert(1)</script>\ncode\n```",
    "```rust\nfn main() {}\n```",
    "```\nunclosed fence",
    "    indented <script>",
    "- [x] done\n- [ ] to do\n  - nested",
    "[@](@/explainers/a.md#risks) [missing](@/nope.md) [anchor](#nowhere) [top](@/_index.md)",
    "[term](@/glossary/widget.md) and [x](@/glossary/widget.md)",
    "{{ config }} {% raw %} {{ page.title | safe }} {% include \"base.html\" %}",
    "&#0; &#x110000; &amp; &#106; &colon; &Tab;",
    "***bold*** ~~strike~~ ==mark== ^sup^ ~sub~",
    ">>>>>>>>>> deep\n\n- - - - - - - - -\n\n[[[[[[[[[[",
    "*a **b *c **d*** e** f*",
    "é 日本語のテキスト שלום עולם 👩‍👩‍👧",
    "\u{feff}bom\u{0}nul\r\ncrlf\rcr\u{2028}ls",
    "Tab\there and\u{c} form feed",
];

pub const DATES: &[&str] = &[
    "2026-03-02",
    "2026-03-02T09:00:00",
    "2026-03-02T09:00:00Z",
    "2026-03-02T09:00:00+05:30",
    "2027-06-14T23:59:59.999999",
    "0001-01-01",
    "9999-12-31",
    "1969-12-31T23:59:60",
    "2026-02-29",
    "\"2026-03-02\"",
    "20260302",
];

pub const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "-1",
    "65",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "1e400",
    "nan",
    "true",
];

/// Slugs, redirects and other author-given paths that try to leave the site.
pub const PATHS: &[&str] = &[
    "x",
    "../x",
    "../../../../../tmp/x",
    "a/b",
    ".",
    "..",
    "",
    "/abs",
    "%2e%2e",
    "x y",
    "日本",
    "a\\b",
    "..\\..\\x",
    "/old/",
    "//evil.example/",
    "/a/./b/",
    "/x.html",
    "C:/x",
    "/ok/../../up/",
    "index.html",
];

pub const TIMEZONES: &[&str] =
    &["Europe/Brussels", "UTC", "Asia/Kolkata", "Europe/Brusels", "../../etc/passwd", "", "Etc/GMT+14"];
