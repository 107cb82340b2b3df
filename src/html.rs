//! Article text from HTML pages (`--ext html`): the readable text with its
//! paragraph structure, without markup, scripts, styles or navigation.
//!
//! Block elements (`p`, `div`, headings, list items, `blockquote`, table
//! rows, `article`, `section`, `br`, …) end a paragraph, so paragraphs come
//! out separated by blank lines as the rest of the pipeline expects. The
//! contents of `script`, `style`, `noscript`, `template`, `svg`, `head`,
//! `nav`, `header`, `footer`, `aside`, `form` and `iframe` are left out:
//! page furniture, not the article. Character references are decoded by
//! the tokenizer (html5gum, WHATWG-compliant). Limits: no tree
//! construction, so mis-nested markup is read in source order; an article
//! laid out with `div`s only and a menu that is not in `nav` or `header`
//! still come out as paragraphs (menus are then usually set aside as
//! boilerplate across a site's pages).

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// Elements whose content is left out.
const SKIPPED: &[&[u8]] = &[
    b"script",
    b"style",
    b"noscript",
    b"template",
    b"svg",
    b"head",
    b"nav",
    b"header",
    b"footer",
    b"aside",
    b"form",
    b"iframe",
    b"select",
    b"button",
];

/// Elements that end a paragraph.
const BLOCKS: &[&[u8]] = &[
    b"p",
    b"div",
    b"br",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"li",
    b"ul",
    b"ol",
    b"blockquote",
    b"article",
    b"section",
    b"main",
    b"tr",
    b"table",
    b"pre",
    b"figure",
    b"figcaption",
    b"dd",
    b"dt",
    b"dl",
    b"hr",
    b"body",
    b"html",
    b"title",
];

/// The text of an HTML page, paragraphs separated by blank lines, white
/// space inside a paragraph collapsed.
///
/// ```
/// let page = "<html><head><title>T</title><script>var x = '<p>no</p>';</script></head>\
///             <body><nav>Home | World</nav><h1>Ferry terminal approved</h1>\
///             <p>The harbour authority&nbsp;approved the   terminal.</p><p>Work starts in spring.</p></body></html>";
/// assert_eq!(
///     reprint::html::extract_text(page),
///     "Ferry terminal approved\n\nThe harbour authority\u{a0}approved the terminal.\n\nWork starts in spring.\n"
/// );
/// ```
pub fn extract_text(html: &str) -> String {
    let mut emitter = DefaultEmitter::default();
    // Script and style contents are raw text, as a browser reads them.
    emitter.naively_switch_states(true);
    let mut out = String::new();
    let mut paragraph = String::new();
    let mut skipping: Option<Vec<u8>> = None;
    let mut depth = 0usize;
    let flush = |paragraph: &mut String, out: &mut String| {
        let text = collapse_ascii_space(paragraph);
        if !text.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&text);
            out.push('\n');
        }
        paragraph.clear();
    };
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if let Some(skipped) = &skipping {
                    if *skipped == name && !tag.self_closing {
                        depth += 1;
                    }
                    continue;
                }
                if SKIPPED.contains(&name.as_slice()) && !tag.self_closing {
                    skipping = Some(name);
                    depth = 1;
                    continue;
                }
                if BLOCKS.contains(&name.as_slice()) {
                    flush(&mut paragraph, &mut out);
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if let Some(skipped) = &skipping {
                    if *skipped == name {
                        depth -= 1;
                        if depth == 0 {
                            skipping = None;
                        }
                    }
                    continue;
                }
                if BLOCKS.contains(&name.as_slice()) {
                    flush(&mut paragraph, &mut out);
                }
            }
            Token::String(s) if skipping.is_none() => {
                paragraph.push_str(&String::from_utf8_lossy(&s.value));
            }
            _ => {}
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

/// `s` with runs of ASCII white space made one space, trimmed.
fn collapse_ascii_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether a path names an HTML page (`.html`, `.htm`, `.xhtml`, any case,
/// optionally gzip-compressed).
pub fn is_html_path(path: &std::path::Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.ends_with(".html") || name.ends_with(".htm") || name.ends_with(".xhtml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_elements_nest_and_entities_decode() {
        let page = "<body><aside><div>Related <aside>inner</aside> still aside</div></aside>\
                    <p>Caf&eacute; &amp; bar &#8212; open</p><footer>© Example</footer></body>";
        assert_eq!(extract_text(page), "Café & bar — open\n");
    }

    #[test]
    fn line_breaks_and_list_items_end_paragraphs() {
        let page = "<ul><li>One</li><li>Two</li></ul>Three<br>Four";
        assert_eq!(extract_text(page), "One\n\nTwo\n\nThree\n\nFour\n");
        assert_eq!(extract_text(""), "");
        assert_eq!(extract_text("<p></p><div> </div>"), "");
    }
}
