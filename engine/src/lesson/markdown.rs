//! Markdown to HTML for lesson text. Lesson files are data: raw HTML in them is shown as text,
//! and links may only point to the web, to mail, or within the site (no `javascript:`).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

pub fn to_html(src: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(src, opts).map(|ev| match ev {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Keeps http(s), mailto, in-page and relative links; anything else becomes `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s);
    let relative = scheme.is_none()
        || lower
            .split_once(':')
            .is_some_and(|(s, _)| s.contains(['/', '?', '#']));
    if relative || matches!(scheme, Some("http" | "https" | "mailto")) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn renders_markdown() {
        let h = to_html("# Title\n\nSome *emphasis* and `code`.\n\n- a\n- b\n");
        assert!(
            h.contains("<h1>Title</h1>") && h.contains("<em>emphasis</em>"),
            "{h}"
        );
        assert!(h.contains("<code>code</code>") && h.contains("<li>a</li>"), "{h}");
    }

    #[test]
    fn raw_html_is_text() {
        let h = to_html("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there");
        assert!(!h.contains("<script") && !h.contains("<img"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
    }

    #[test]
    fn unsafe_links_are_neutralised() {
        let h = to_html(
            "[x](javascript:alert(1)) [y](https://example.org) [z](?lesson=healthy) [w](JaVaScRiPt:1)",
        );
        assert!(!h.to_lowercase().contains("javascript:"), "{h}");
        assert!(
            h.contains("href=\"https://example.org\"") && h.contains("href=\"?lesson=healthy\""),
            "{h}"
        );
        let h = to_html("![i](data:text/html,hi)");
        assert!(!h.contains("data:"), "{h}");
    }
}
