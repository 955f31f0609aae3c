//! `/dagtilbud/{nummer}/lukkedage.ics`: the coming closing days as a
//! calendar feed with stable UIDs, an ETag and Last-Modified, kept by the page
//! cache and dropped from it when the institution saves.

use crate::helpers::{institution_with_password, spawn_app};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

fn next_year() -> i32 {
    time::OffsetDateTime::now_utc().year() + 1
}

/// GET the feed as a calendar that has `etag` asks again.
async fn revalidate(calendar: &crate::helpers::TestApp, etag: &str) -> reqwest::Response {
    calendar
        .client
        .get(format!("{}/dagtilbud/K50001/lukkedage.ics", calendar.address))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap()
}

/// The UID lines of a calendar.
fn uids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(str::to_string)
        .collect()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_closing_days_feed_keeps_uids_through_changes_and_revalidates(pool: PgPool) {
    let app = spawn_app(pool).await;
    institution_with_password(&app.pool, "K50001", 746, PASSWORD).await;
    let year = next_year();
    let client = app.fresh_client();
    client.login_institution("K50001", PASSWORD).await;
    let added = client
        .call(
            "lukkedage_tilfoej",
            &[
                ("version", "0"),
                ("fra", &format!("{year}-07-12")),
                ("til", &format!("{year}-07-16")),
                ("aarsag", "Sommerferie"),
                ("alternativ_pasning", "on"),
                ("alternativ_sted", "Solsikken, Skolevej 2"),
            ],
        )
        .await;
    assert_eq!(added.status(), 200);

    // Anonymous, as a calendar app asks.
    let calendar = app.fresh_client();
    let first = calendar.get("/dagtilbud/K50001/lukkedage.ics").await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-type"], "text/calendar; charset=utf-8");
    assert!(first.headers().contains_key("last-modified"));
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let text = first.text().await.unwrap();
    assert!(
        text.contains("BEGIN:VCALENDAR")
            && text.contains("SUMMARY:Testbørnehaven K50001 er lukket: Sommerferie"),
        "{text}"
    );
    assert!(text.contains(&format!("DTSTART;VALUE=DATE:{year}0712")));
    assert!(text.contains(&format!("DTEND;VALUE=DATE:{year}0717")));
    assert!(
        text.contains("Alternativ pasning: Solsikken\\, Skolevej 2."),
        "{text}"
    );
    let uid = uids(&text);
    assert_eq!(uid.len(), 1);
    assert!(
        uid[0].ends_with(".K50001@dagtilbudsportalen.dk") && uid[0].len() > 40,
        "{uid:?}"
    );

    // Asked again: kept, and unchanged for the ETag the calendar has.
    let kept = calendar.get("/dagtilbud/K50001/lukkedage.ics").await;
    assert_eq!(kept.headers()["x-side-cache"], "hit");
    let again = revalidate(&calendar, &etag).await;
    assert_eq!(again.status(), 304);

    // The institution moves the period: same UID, new dates, new ETag, at once.
    let moved = client
        .call(
            "lukkedage_ret",
            &[
                ("version", "1"),
                ("index", "0"),
                ("fra", &format!("{year}-07-19")),
                ("til", &format!("{year}-07-23")),
                ("aarsag", "Sommerferie"),
            ],
        )
        .await;
    assert_eq!(moved.status(), 200, "{}", moved.text().await.unwrap());
    let after = revalidate(&calendar, &etag).await;
    assert_eq!(after.status(), 200, "the change is not answered with 304");
    let text = after.text().await.unwrap();
    assert_eq!(uids(&text), uid, "a moved period keeps its UID");
    assert!(text.contains(&format!("DTSTART;VALUE=DATE:{year}0719")));
    assert!(text.contains("Ingen alternativ pasning."));

    // The public page links to it; unknown and closed numbers are not found.
    let page = app.get("/dagtilbud/K50001").await.text().await.unwrap();
    assert!(
        page.contains("href=\"/dagtilbud/K50001/lukkedage.ics\""),
        "{page}"
    );
    assert!(page.contains("Abonnér på lukkedage i din kalender"));
    assert_eq!(app.get("/dagtilbud/K59999/lukkedage.ics").await.status(), 404);
    sqlx::query(
        "UPDATE institutions SET status = 'nedlagt', closed_on = current_date WHERE nummer = 'K50001'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    app.fresh_client().get("/").await; // (any request; the trigger drops the kept feed)
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.fresh_client()
            .get("/dagtilbud/K50001/lukkedage.ics")
            .await
            .status(),
        404
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_public_page_shows_the_kommunes_median_of_closing_days(pool: PgPool) {
    let app = spawn_app(pool).await;
    let year = time::OffsetDateTime::now_utc().year();
    // Six institutions of the kommune report 1, 2, 3, 4, 5 and 10 weekdays this year.
    for (n, days) in [1, 2, 3, 4, 5, 10].into_iter().enumerate() {
        let id = institution_with_password(&app.pool, &format!("K5010{n}"), 746, PASSWORD).await;
        // From the first Monday of week 10, `days` weekdays (no helligdage in March).
        let from = time::Date::from_iso_week_date(year, 10, time::Weekday::Monday).unwrap();
        let mut to = from;
        let mut left = days - 1;
        while left > 0 {
            to = to.next_day().unwrap();
            if !matches!(to.weekday(), time::Weekday::Saturday | time::Weekday::Sunday) {
                left -= 1;
            }
        }
        let data = serde_json::json!({ "periods": [{
            "from": from.to_string(), "to": to.to_string(), "reason": "Test",
            "alternative_care": false, "alternative_place": null
        }]});
        sqlx::query(
            "INSERT INTO institution_sections (institution_id, section, data, version, updated_by_role, updated_by_label)
             VALUES ($1, 'lukkedage', $2, 1, 'institution', 'test')",
        )
        .bind(id)
        .bind(data)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let page = app.get("/dagtilbud/K50105").await.text().await.unwrap();
    assert!(
        page.contains(&format!(
            "Kommunens dagtilbud holder typisk lukket 3 hverdage i {year} (medianen)."
        )),
        "{page}"
    );
    assert!(page.contains(&format!("10 lukkedage i {year}")));
}
