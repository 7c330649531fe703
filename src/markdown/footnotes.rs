//! Footnotes: numbered in order of first reference, gathered at the end
//! of the page, each with a link back to where it was cited.
//!
//! pulldown-cmark writes a definition where the author put it; readers
//! expect notes at the end, numbered as they met them, so the render pass
//! takes definitions out of the flow and writes them last.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, TagEnd};

use super::render::State;

impl<'a> State<'a> {
    pub(super) fn footnote_reference(&mut self, name: CowStr<'a>) {
        let next = self.numbers.len() + 1;
        let n = *self.numbers.entry(name).or_insert(next);
        let count = self.references.entry(n).or_insert(0);
        *count += 1;
        let id = if *count == 1 { format!("fnref-{n}") } else { format!("fnref-{n}-{count}") };
        let html = format!("<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{id}\">{n}</a></sup>");
        self.out.push(Event::Html(html.into()));
    }

    /// Takes a definition out of the flow; it is written at the end.
    pub(super) fn footnote_definition(
        &mut self,
        events: &[(Event<'a>, Range<usize>)],
        i: usize,
        name: CowStr<'a>,
    ) -> usize {
        let saved = std::mem::take(&mut self.out);
        let mut j = i + 1;
        while let Some((event, _)) = events.get(j) {
            if matches!(event, Event::End(TagEnd::FootnoteDefinition)) {
                break;
            }
            j = self.step(events, j);
        }
        let body = std::mem::replace(&mut self.out, saved);
        self.definitions.entry(name).or_insert(body);
        j + 1
    }

    /// Writes the referenced footnotes, in order of first reference, each
    /// with a link back to where it was cited. Unreferenced ones are dropped.
    pub(super) fn finish_footnotes(&mut self) {
        if self.numbers.is_empty() {
            return;
        }
        let mut order: Vec<_> = self.numbers.iter().map(|(k, v)| (*v, k.clone())).collect();
        order.sort_by_key(|(n, _)| *n);
        self.out.push(Event::Html("<section class=\"footnotes\" aria-label=\"Notes\">\n<ol>\n".into()));
        for (n, name) in order {
            self.out.push(Event::Html(format!("<li id=\"fn-{n}\">\n").into()));
            let mut body = self.definitions.remove(&name).unwrap_or_default();
            let back = Event::Html(
                format!(" <a href=\"#fnref-{n}\" class=\"footnote-back\" aria-label=\"Back to reference {n}\">↩</a>")
                    .into(),
            );
            match body.last() {
                Some(Event::End(TagEnd::Paragraph)) => body.insert(body.len() - 1, back),
                _ => body.push(back),
            }
            self.out.extend(body);
            self.out.push(Event::Html("</li>\n".into()));
        }
        self.out.push(Event::Html("</ol>\n</section>\n".into()));
    }
}
