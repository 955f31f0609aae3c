//! The demo kommune's fælles lukkedage: the days between Christmas and New
//! Year and a summer week, offered to Skanderborg's institutions on their
//! Lukkedage pages. None is taken over: that is each institution's choice.

use app::domain::sections::ClosingPeriodForm;
use sqlx::PgPool;
use time::{Date, Month};

use super::accounts::DEMO_KOMMUNE;
use super::SeedError;

/// Who the demo's history says made them.
const MADE_BY: &str = "admin@skanderborg.example";

/// The periods as of `today`: this year's Christmas days while they are
/// ahead (else next year's), and the coming July's week 29 (Monday–Friday).
pub fn periods(today: Date) -> Result<Vec<ClosingPeriodForm>, SeedError> {
    let date = |year: i32, month: Month, day: u8| {
        Date::from_calendar_date(year, month, day)
            .map_err(|e| SeedError::Generate(format!("demo lukkedag: {e}")))
    };
    let christmas = if today <= date(today.year(), Month::December, 28)? {
        today.year()
    } else {
        today.year() + 1
    };
    let summer = if today < date(today.year(), Month::July, 1)? {
        today.year()
    } else {
        today.year() + 1
    };
    let week = Date::from_iso_week_date(summer, 29, time::Weekday::Monday)
        .map_err(|e| SeedError::Generate(format!("demo lukkedag: {e}")))?;
    let iso = app::domain::calendar::format_iso_date;
    Ok(vec![
        ClosingPeriodForm {
            fra: iso(date(christmas, Month::December, 28)?),
            til: iso(date(christmas, Month::December, 30)?),
            aarsag: "Mellem jul og nytår".into(),
            alternativ_pasning: Some("on".into()),
            alternativ_sted: "Børnehuset Solsikken, Adelgade 12, Skanderborg".into(),
        },
        ClosingPeriodForm {
            fra: iso(week),
            til: iso(week + time::Duration::days(4)),
            aarsag: "Sommerlukning i uge 29".into(),
            alternativ_pasning: Some("on".into()),
            alternativ_sted: "Kommunens sommerpasning; tilmelding senest 1. maj".into(),
        },
    ])
}

/// Add the demo kommune's fælles lukkedage unless it has any. Returns how many were added.
pub async fn demo_common_closing(pool: &PgPool, today: Date) -> Result<u64, SeedError> {
    let existing = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM kommune_closing_periods WHERE kommunekode = $1"#,
        DEMO_KOMMUNE
    )
    .fetch_one(pool)
    .await?;
    if existing > 0 {
        return Ok(0);
    }
    let mut tx = pool.begin().await?;
    let mut added = 0;
    for form in periods(today)? {
        let period = form
            .parse(today)
            .map_err(|errors| SeedError::Generate(format!("demo lukkedag: {errors:?}")))?;
        let data = serde_json::to_value(&period).map_err(|e| SeedError::Generate(e.to_string()))?;
        let id = sqlx::query_scalar!(
            r#"INSERT INTO kommune_closing_periods (kommunekode, data, fra, til, updated_by_label)
               VALUES ($1, $2, $3, $4, $5) RETURNING id"#,
            DEMO_KOMMUNE,
            data,
            period.from,
            period.to,
            MADE_BY
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!(
            r#"INSERT INTO kommune_closing_history (period_id, version, action, summary, actor_label)
               VALUES ($1, 1, 'oprettet', $2, $3)"#,
            id,
            period.summary(),
            MADE_BY
        )
        .execute(&mut *tx)
        .await?;
        added += 1;
    }
    tx.commit().await?;
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_periods_are_ahead_and_valid_all_year() {
        for (month, day) in [(1, 2), (6, 30), (7, 1), (12, 28), (12, 29)] {
            let today = Date::from_calendar_date(2026, Month::try_from(month).unwrap(), day).unwrap();
            let periods = periods(today).unwrap();
            assert_eq!(periods.len(), 2);
            for form in periods {
                let period = form.parse(today).unwrap_or_else(|e| panic!("{today}: {e:?}"));
                assert!(period.from >= today, "{today}: {period:?}");
            }
        }
    }
}
