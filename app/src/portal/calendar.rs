//! `/dagtilbud/{nummer}/lukkedage.ics`: an institution's coming closing days
//! as an iCalendar feed (RFC 5545) that parents subscribe to. Each period
//! keeps its UID through its changes (`ClosingPeriod::calendar_key`), so a
//! moved period moves in the calendar instead of appearing twice. The body
//! depends only on the saved data and today's date, so its ETag is stable;
//! anonymous requests are kept by the page cache like the page itself.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use time::{Date, OffsetDateTime};

use crate::domain::sections::Lukkedage;
use crate::error::AppError;
use crate::ssr::AppState;

pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// GET /dagtilbud/{nummer}/lukkedage.ics
pub async fn closing_days(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(nummer): Path<String>,
) -> Response {
    match feed(&state, &nummer).await {
        Ok((body, updated)) => {
            let mut response = crate::api::cached(&headers, CONTENT_TYPE, body.into_bytes());
            if let Some(value) = updated.and_then(http_date) {
                response.headers_mut().insert(header::LAST_MODIFIED, value);
            }
            response
        }
        Err(AppError::NotFound) => (StatusCode::NOT_FOUND, "Dagtilbuddet findes ikke.").into_response(),
        Err(error) => {
            tracing::error!(%error, nummer, "closing days feed failed");
            crate::documents::plain::unavailable()
        }
    }
}

/// The feed's text and when the closing days were last saved.
async fn feed(state: &AppState, nummer: &str) -> Result<(String, Option<OffsetDateTime>), AppError> {
    let nummer = nummer.trim().to_ascii_uppercase();
    let row = sqlx::query!(
        r#"SELECT i.navn, s.data AS "data?", s.updated_at AS "updated_at?"
           FROM institutions i
           LEFT JOIN institution_sections s ON s.institution_id = i.id AND s.section = 'lukkedage'
           WHERE i.nummer = $1 AND i.status = 'aktiv'"#,
        nummer
    )
    .fetch_optional(&state.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let lukkedage: Lukkedage = match row.data {
        Some(data) => serde_json::from_value(data).map_err(|e| AppError::internal("lukkedage data", &e))?,
        None => Lukkedage::default(),
    };
    let today = crate::domain::calendar::danish_time(state.now()).date();
    let page = format!("{}/dagtilbud/{nummer}", state.settings.public_url);
    Ok((
        calendar(&nummer, &row.navn, &lukkedage, today, row.updated_at, &page),
        row.updated_at,
    ))
}

fn naive(date: Date) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(
        date.year(),
        u32::from(u8::from(date.month())),
        u32::from(date.day()),
    )
    .unwrap_or_default()
}

/// The iCalendar text of the periods not ended by `today`.
pub fn calendar(
    nummer: &str,
    navn: &str,
    lukkedage: &Lukkedage,
    today: Date,
    updated: Option<OffsetDateTime>,
    page: &str,
) -> String {
    use icalendar::{Component, EventLike};
    let stamp = updated
        .and_then(|at| chrono::DateTime::from_timestamp(at.unix_timestamp(), 0))
        .unwrap_or_default();
    let mut calendar = icalendar::Calendar::new();
    calendar
        .name(&format!("Lukkedage: {navn}"))
        .description(&format!("{navn}s lukkedage fra Dagtilbudsportalen. {page}"))
        .append_property(
            icalendar::Property::new("REFRESH-INTERVAL", "P1D").add_parameter("VALUE", "DURATION"),
        )
        .append_property(icalendar::Property::new("X-PUBLISHED-TTL", "P1D"));
    for period in lukkedage.not_ended(today) {
        let care = match (&period.alternative_care, &period.alternative_place) {
            (true, Some(place)) => format!("Alternativ pasning: {place}."),
            (true, None) => "Der er alternativ pasning.".to_string(),
            (false, _) => "Ingen alternativ pasning.".to_string(),
        };
        let event = icalendar::Event::new()
            .uid(&format!(
                "{}.{nummer}@dagtilbudsportalen.dk",
                period.calendar_key()
            ))
            .summary(&format!("{navn} er lukket: {}", period.reason))
            .description(&format!("{}\n{care}\n{page}", period.reason))
            .starts(naive(period.from))
            // DTEND of an all-day event is the day after the last one (RFC 5545).
            .ends(naive(period.to.next_day().unwrap_or(period.to)))
            .timestamp(stamp)
            .add_property("LAST-MODIFIED", stamp.format("%Y%m%dT%H%M%SZ").to_string())
            .add_property("TRANSP", "TRANSPARENT")
            .done();
        calendar.push(event);
    }
    calendar.done().to_string()
}

/// An HTTP date (IMF-fixdate), e.g. `Sat, 05 Dec 2026 06:01:00 GMT`.
fn http_date(at: OffsetDateTime) -> Option<HeaderValue> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let text = at.to_offset(time::UtcOffset::UTC).format(&format).ok()?;
    HeaderValue::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sections::ClosingPeriod;
    use time::macros::{date, datetime};

    fn period(from: Date, to: Date, reason: &str, uid: Option<&str>) -> ClosingPeriod {
        ClosingPeriod {
            from,
            to,
            reason: reason.into(),
            alternative_care: true,
            alternative_place: Some("Solsikken, Skolevej 2".into()),
            kommune_period: None,
            uid: uid.map(Into::into),
        }
    }

    #[test]
    fn coming_periods_are_all_day_events_with_stable_uids() {
        let list = Lukkedage::new(vec![
            period(
                date!(2026 - 07 - 13),
                date!(2026 - 07 - 17),
                "Sommer",
                Some("abc"),
            ),
            period(
                date!(2026 - 12 - 28),
                date!(2026 - 12 - 30),
                "Jul; og nytår",
                None,
            ),
            period(date!(2026 - 01 - 02), date!(2026 - 01 - 02), "Forbi", None),
        ]);
        let make = || {
            calendar(
                "G10234",
                "Børnehuset Solsikken",
                &list,
                date!(2026 - 06 - 01),
                Some(datetime!(2026-05-01 10:00 UTC)),
                "https://example.dk/dagtilbud/G10234",
            )
        };
        let text = make();
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(text.contains("UID:abc.G10234@dagtilbudsportalen.dk"));
        assert!(text.contains("UID:fra-2026-12-28.G10234@dagtilbudsportalen.dk"));
        assert!(text.contains("DTSTART;VALUE=DATE:20260713"));
        assert!(
            text.contains("DTEND;VALUE=DATE:20260718"),
            "the day after the last: {text}"
        );
        assert!(text.contains("DTSTAMP:20260501T100000Z"));
        assert!(text.contains("Jul\\; og nytår"), "text is escaped: {text}");
        assert!(!text.contains("Forbi"), "periods that ended are left out");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        // The same data gives the same text (and ETag).
        assert_eq!(text, make());
    }
}
