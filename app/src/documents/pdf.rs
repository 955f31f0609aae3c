//! Plain text PDFs (log-in letters, receipts): A4 pages in Helvetica with
//! WinAnsi encoding, so æ, ø, å and the rest of Latin-1 print as themselves
//! (anything else becomes "?"). A document that runs past the bottom of a
//! page goes on on the next.

use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str};

/// One line of a text document.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// Bold, 16 pt.
    Heading(String),
    /// Bold, 12 pt.
    Subheading(String),
    /// A paragraph, wrapped to the page.
    Text(String),
    /// Vertical space, in points.
    Gap(f32),
}

/// A line of text placed on a page.
struct Placed {
    y: f32,
    font: &'static [u8],
    size: f32,
    text: String,
}

const TOP: f32 = 770.0;
const BOTTOM: f32 = 70.0;
const LEFT: f32 = 70.0;

/// Lay `documents` out (each starts on a new page) and write the PDF.
pub fn text_pdf(documents: &[Vec<Line>]) -> Vec<u8> {
    // Break into pages first: the page tree names every page up front.
    let mut pages: Vec<Vec<Placed>> = Vec::new();
    for document in documents {
        let mut page = Vec::new();
        let mut y = TOP;
        for line in document {
            let (font, size, texts): (&'static [u8], f32, Vec<String>) = match line {
                Line::Heading(text) => (b"F2", 16.0, vec![text.clone()]),
                Line::Subheading(text) => (b"F2", 12.0, vec![text.clone()]),
                Line::Text(text) => (b"F1", 11.0, wrap(text, 85)),
                Line::Gap(points) => {
                    y -= points;
                    continue;
                }
            };
            for text in texts {
                if y < BOTTOM {
                    pages.push(std::mem::take(&mut page));
                    y = TOP;
                }
                page.push(Placed { y, font, size, text });
                y -= size * 1.5;
            }
        }
        pages.push(page);
    }

    let mut pdf = Pdf::new();
    let catalog_id = Ref::new(1);
    let pages_id = Ref::new(2);
    let font_id = Ref::new(3);
    let bold_id = Ref::new(4);
    let page_ids: Vec<(Ref, Ref)> = (0..pages.len() as i32)
        .map(|i| (Ref::new(10 + 2 * i), Ref::new(11 + 2 * i)))
        .collect();
    pdf.catalog(catalog_id).pages(pages_id);
    pdf.pages(pages_id)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(pages.len() as i32);
    pdf.type1_font(font_id)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold_id)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    for (lines, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
            .parent(pages_id)
            .contents(*content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), font_id)
            .pair(Name(b"F2"), bold_id);
        drop(page);
        let mut content = Content::new();
        for line in lines {
            content.begin_text();
            content.set_font(Name(line.font), line.size);
            content.next_line(LEFT, line.y);
            content.show(Str(&win_ansi(&line.text)));
            content.end_text();
        }
        pdf.stream(*content_id, &content.finish());
    }
    pdf.finish()
}

/// Latin-1 characters are their own WinAnsi code; the rest print as "?".
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '–' => 0x96,
            c if (c as u32) < 0x100 => c as u8,
            _ => b'?',
        })
        .collect()
}

/// Greedy word wrap at `width` characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_document_runs_onto_more_pages() {
        let long: Vec<Line> = (0..120).map(|i| Line::Text(format!("Linje {i}"))).collect();
        let pdf = text_pdf(&[vec![Line::Heading("Kort".into())], long]);
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        // 120 lines of 16.5 pt fit 43 to a page: 1 + 3 pages.
        assert!(text.contains("/Count 4"), "{text}");
        assert!(text.contains("Linje 119"));
    }
}
