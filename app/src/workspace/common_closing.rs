//! Fælles lukkedage on the institution's side: the kommune's closing periods
//! an institution has not taken over yet, and the copies it has taken over
//! following the kommune's changes. A copy is a period in the institution's
//! own Lukkedage section marked with the kommune period's id; changing the
//! copy makes it the institution's own (the mark goes), so it stops following.

use serde::{Deserialize, Serialize};

use crate::domain::sections::lukkedage::ClosingPeriod;

/// One of the kommune's current fælles lukkedage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommonPeriod {
    pub id: i64,
    pub version: i32,
    pub period: ClosingPeriod,
}

impl CommonPeriod {
    /// The institution's copy of this period, marked as taken over.
    pub fn copy(&self) -> ClosingPeriod {
        ClosingPeriod {
            kommune_period: Some(self.id),
            ..self.period.clone()
        }
    }
}

/// The kommune's fælles lukkedage that have not ended by `today`, by date.
pub async fn current(
    pool: &sqlx::PgPool,
    kommunekode: i16,
    today: time::Date,
) -> Result<Vec<CommonPeriod>, crate::error::AppError> {
    let rows = sqlx::query!(
        r#"SELECT id, version, data FROM kommune_closing_periods
           WHERE kommunekode = $1 AND removed_at IS NULL AND til >= $2
           ORDER BY fra, til, id"#,
        kommunekode,
        today
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            let period: ClosingPeriod = serde_json::from_value(row.data)
                .map_err(|e| crate::error::AppError::internal("kommune closing period", &e))?;
            Ok(CommonPeriod {
                id: row.id,
                version: row.version,
                period,
            })
        })
        .collect()
}

/// What following a kommune change did to the institutions' copies.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Followed {
    /// Copies changed (or removed) with the kommune's period.
    pub changed: i32,
    /// Copies left as they were: the changed period would overlap one of
    /// the institution's own periods.
    pub overlapping: i32,
}

/// Carry a change of kommune period `period_id` into every copy of it in the
/// kommune's institutions: `Some` replaces the copies, `None` removes them.
/// Each copy is saved as the administrator's change of that institution's
/// Lukkedage, with its history and audit row, over the version just read.
pub async fn follow(
    sections: super::db::Sections<'_>,
    principal: &crate::auth::Principal,
    kommunekode: i16,
    period_id: i64,
    new: Option<&ClosingPeriod>,
    ip: Option<std::net::IpAddr>,
) -> Result<Followed, crate::error::AppError> {
    use crate::domain::sections::Lukkedage;
    use crate::error::AppError;

    let numre = sqlx::query_scalar!(
        r#"SELECT i.nummer FROM institution_sections s
           JOIN institutions i ON i.id = s.institution_id
           WHERE i.kommunekode = $1 AND i.status = 'aktiv' AND s.section = 'lukkedage'
             AND s.data -> 'periods' @> jsonb_build_array(jsonb_build_object('kommune_period', $2::bigint))
           ORDER BY i.nummer"#,
        kommunekode,
        period_id
    )
    .fetch_all(sections.pool)
    .await?;
    let mut followed = Followed::default();
    for nummer in numre {
        let target = super::db::target(sections.pool, principal.clone(), Some(nummer.as_str()), ip).await?;
        // A save that meets a newer version (the institution saved just now)
        // reads again once.
        for attempt in 0..2 {
            let loaded = super::db::load::<Lukkedage>(sections, target.institution_id).await?;
            let mut list = loaded.value.unwrap_or_default();
            let Some(index) = list
                .periods
                .iter()
                .position(|p| p.kommune_period == Some(period_id))
            else {
                break;
            };
            let fits = match new {
                Some(period) => {
                    let copy = ClosingPeriod {
                        kommune_period: Some(period_id),
                        ..period.clone()
                    };
                    list.replace(index, copy).is_ok()
                }
                None => list.remove(index).is_some(),
            };
            if !fits {
                followed.overlapping += 1;
                break;
            }
            match super::db::save(sections, &target, loaded.meta.version, &list, ip).await {
                Ok(_) => {
                    followed.changed += 1;
                    break;
                }
                Err(AppError::StaleVersion { .. }) if attempt == 0 => continue,
                Err(error) => return Err(error),
            }
        }
    }
    Ok(followed)
}
