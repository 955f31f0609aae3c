//! The log-in letter with an institution's single-use code, as print view,
//! CSV and PDF: sent by the kommune in bulk, and by support for one
//! institution whose code it reset.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::documents::{csv_safe, danish_csv};
use crate::error::AppError;

/// One institution's letter.
#[derive(Debug, Clone)]
pub struct Letter {
    pub nummer: String,
    pub navn: String,
    pub street: String,
    pub city: String,
    pub code: String,
    /// The last day the code works, as printed ("4.3.2027").
    pub valid_until: String,
}

/// The letter's paragraphs after the address and heading, shared by the print view and the PDF.
fn letter_body(kommune: &str, login_url: &str, letter: &Letter) -> Vec<String> {
    vec![
        format!(
            "{kommune} beder jer indberette oplysninger om {} til Dagtilbudsportalen, hvor forældre finder og sammenligner dagtilbud.",
            letter.navn
        ),
        "Sådan logger I ind:".to_string(),
        format!("1. Gå til {login_url}"),
        format!("2. Skriv institutionsnummeret: {}", letter.nummer),
        format!("3. Skriv engangskoden: {}", letter.code),
        "4. Vælg en ny adgangskode, som I bruger fremover.".to_string(),
        format!(
            "Koden kan kun bruges én gang og virker frem til den {}. Den erstatter tidligere breve, koder og adgangskoder.",
            letter.valid_until
        ),
        format!("Har I spørgsmål, så kontakt {kommune}."),
    ]
}

const LETTER_HEADING: &str = "Log ind og indberet til Dagtilbudsportalen";

/// One printable letter per page.
/// `downloads` is the job's address, for links to the same letters as PDF and CSV.
pub fn letters_html(kommune: &str, login_url: &str, letters: &[Letter], downloads: Option<&str>) -> String {
    use crate::components::form::escape_text as e;
    let mut html = String::with_capacity(1_500 * letters.len() + 1_000);
    html.push_str(&format!(
        "<!DOCTYPE html><html lang=\"da\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Log-in-breve – {}</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"{LETTER_CSS_PATH}\"></head><body>\
         <p class=\"no-print\"><strong>{} breve.</strong> Udskriv dem med browserens udskriftsfunktion (Ctrl+P). \
         Koderne vises kun her; luk siden, når brevene er udskrevet.</p>",
        e(kommune),
        letters.len()
    ));
    if let Some(base) = downloads {
        html.push_str(&format!(
            "<p class=\"no-print\"><a href=\"{0}?format=pdf\">Hent brevene som PDF</a> · \
             <a href=\"{0}?format=csv\">Hent brevene som CSV til brevfletning</a></p>",
            e(base)
        ));
    }
    for letter in letters {
        html.push_str("<article class=\"letter\">");
        html.push_str(&format!(
            "<p class=\"sender\">{}</p><address>Til ledelsen i<br>{}<br>{}<br>{}</address><h1>{LETTER_HEADING}</h1>",
            e(kommune),
            e(&letter.navn),
            e(&letter.street),
            e(&letter.city)
        ));
        for paragraph in letter_body(kommune, login_url, letter) {
            html.push_str(&format!("<p>{}</p>", e(&paragraph)));
        }
        html.push_str("</article>");
    }
    html.push_str("</body></html>");
    html
}

/// Where the letters' stylesheet is served: the content security policy
/// allows no inline `<style>`.
pub const LETTER_CSS_PATH: &str = "/brev.css";

/// The letters' and progress page's stylesheet, at [`LETTER_CSS_PATH`].
pub async fn letter_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300, must-revalidate"),
        ],
        LETTER_CSS,
    )
        .into_response()
}

const LETTER_CSS: &str = "body{font-family:system-ui,sans-serif;font-size:12pt;line-height:1.5;margin:2rem;color:#1a1a1a}\
.letter{max-width:40rem;margin:0 auto 3rem;padding-bottom:2rem;border-bottom:1px dashed #999}\
.sender{text-align:right}address{font-style:normal;margin:2rem 0}h1{font-size:16pt}\
@media print{.no-print{display:none}body{margin:0}.letter{border:0;page-break-after:always;break-after:page;margin:0;padding:2cm}}";

/// The same letters for mail merge: number, name, address and code.
pub fn letters_csv(letters: &[Letter]) -> Result<Vec<u8>, AppError> {
    let header = [
        "institutionsnummer",
        "navn",
        "adresse",
        "postnummer og by",
        "engangskode",
        "koden virker frem til",
    ]
    .map(String::from);
    let rows = letters.iter().map(|l| {
        vec![
            l.nummer.clone(),
            csv_safe(&l.navn),
            csv_safe(&l.street),
            csv_safe(&l.city),
            l.code.clone(),
            l.valid_until.clone(),
        ]
    });
    danish_csv(std::iter::once(header.to_vec()).chain(rows))
}

/// One A4 page per letter (see `pdf.rs` for the fonts and encoding).
pub fn letters_pdf(kommune: &str, login_url: &str, letters: &[Letter]) -> Vec<u8> {
    use super::pdf::Line;
    let documents: Vec<Vec<Line>> = letters
        .iter()
        .map(|letter| {
            let mut lines = vec![Line::Text(kommune.to_string()), Line::Gap(30.0)];
            for address_line in ["Til ledelsen i", &letter.navn, &letter.street, &letter.city] {
                lines.push(Line::Text(address_line.to_string()));
            }
            lines.push(Line::Gap(30.0));
            lines.push(Line::Heading(LETTER_HEADING.to_string()));
            lines.push(Line::Gap(8.0));
            for paragraph in letter_body(kommune, login_url, letter) {
                lines.push(Line::Text(paragraph));
                lines.push(Line::Gap(6.0));
            }
            lines
        })
        .collect();
    super::pdf::text_pdf(&documents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::pdf::{win_ansi, wrap};

    fn letter(n: usize) -> Letter {
        Letter {
            nummer: format!("K{n:05}"),
            navn: format!("Børnehuset Ærø <b>{n}</b>"),
            street: "Åvej 1".into(),
            city: "8660 Skanderborg".into(),
            code: "ABCD-EFGH-JKMN".into(),
            valid_until: "4.3.2027".into(),
        }
    }

    #[test]
    fn print_view_escapes_names_and_breaks_pages() {
        let html = letters_html(
            "Skanderborg Kommune",
            "https://x.dk/log-ind",
            &[letter(1), letter(2)],
            Some("/kommune/breve/abc"),
        );
        assert_eq!(html.matches("<article class=\"letter\">").count(), 2);
        assert!(html.contains("href=\"/kommune/breve/abc?format=pdf\""));
        assert!(html.contains("&lt;b&gt;1&lt;/b&gt;") && !html.contains("<b>1</b>"));
        assert!(html.contains(&format!("<link rel=\"stylesheet\" href=\"{LETTER_CSS_PATH}\">")));
        assert!(
            LETTER_CSS.contains("break-after:page"),
            "one letter per printed page"
        );
        assert!(html.contains("ABCD-EFGH-JKMN") && html.contains("https://x.dk/log-ind"));
        assert!(
            html.contains("virker frem til den 4.3.2027"),
            "the letter says until when the code works"
        );
    }

    #[test]
    fn csv_has_a_header_a_row_per_letter_and_defuses_formulas() {
        let mut evil = letter(3);
        evil.navn = "=HYPERLINK(\"x\")".into();
        let csv = String::from_utf8(letters_csv(&[letter(1), evil]).unwrap()).unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("institutionsnummer;navn"));
        assert!(lines[2].contains("'=HYPERLINK"));
    }

    #[test]
    fn pdf_text_is_latin1_and_wrapped() {
        assert_eq!(
            win_ansi("æøå – €"),
            vec![0xE6, 0xF8, 0xE5, b' ', 0x96, b' ', b'?']
        );
        let lines = wrap("en to tre fire fem seks", 9);
        assert_eq!(lines, ["en to tre", "fire fem", "seks"]);
        assert!(lines.iter().all(|l| l.len() <= 9));
        let pdf = letters_pdf("K", "https://x", &[letter(1), letter(2), letter(3)]);
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
    }
}
