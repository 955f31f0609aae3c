//! The figures plausibility warnings compare a section with (server only):
//! the institution type's usual profile length and økologi levels, and the
//! kommune's usual number of closing days. Kept per institution for a few
//! minutes, so a save costs no extra queries most of the time.

use std::time::Duration;

use sqlx::PgPool;

use crate::domain::plausibility::Norms;
use crate::domain::InstitutionType;
use crate::error::AppError;

/// Norms per institution id, for a few minutes.
#[derive(Debug)]
pub struct NormsCache(moka::sync::Cache<(i64, i32), Norms>);

impl Default for NormsCache {
    fn default() -> Self {
        NormsCache(
            moka::sync::Cache::builder()
                .max_capacity(50_000)
                .time_to_live(Duration::from_secs(5 * 60))
                .build(),
        )
    }
}

/// The norms of `institution_id`'s peers in `year`.
pub async fn for_institution(
    pool: &PgPool,
    cache: &NormsCache,
    institution_id: i64,
    year: i32,
) -> Result<Norms, AppError> {
    if let Some(norms) = cache.0.get(&(institution_id, year)) {
        return Ok(norms);
    }
    let row = sqlx::query!(
        "SELECT institution_type, kommunekode FROM institutions WHERE id = $1",
        institution_id
    )
    .fetch_one(pool)
    .await?;
    let norms = peers(pool, row.kommunekode, &row.institution_type, year).await?;
    cache.0.insert((institution_id, year), norms.clone());
    Ok(norms)
}

/// The norms of active institutions of type `institution_type` (all of
/// Denmark) and of kommune `kommunekode` (closing days) in `year`.
pub async fn peers(
    pool: &PgPool,
    kommunekode: i16,
    institution_type: &str,
    year: i32,
) -> Result<Norms, AppError> {
    let profile = sqlx::query!(
        r#"SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY char_length(btrim(s.data ->> 'paedagogisk_profil'))) AS median,
                  count(*) AS "count!"
           FROM institution_sections s JOIN institutions i ON i.id = s.institution_id
           WHERE s.section = 'profil' AND i.institution_type = $1 AND i.status = 'aktiv'"#,
        institution_type
    )
    .fetch_one(pool)
    .await?;
    let oekologi = sqlx::query!(
        r#"SELECT COALESCE(s.data ->> 'oekologi', '') AS "level!", count(*) AS "count!"
           FROM institution_sections s JOIN institutions i ON i.id = s.institution_id
           WHERE s.section = 'madordning' AND i.institution_type = $1 AND i.status = 'aktiv'
           GROUP BY 1"#,
        institution_type
    )
    .fetch_all(pool)
    .await?;
    let closing_days = crate::published::closing_median(pool, kommunekode, year).await?;
    Ok(Norms {
        type_plural: InstitutionType::parse(institution_type)
            .map(|t| t.plural())
            .unwrap_or("dagtilbud")
            .to_string(),
        profile_chars: profile
            .median
            .filter(|_| profile.count >= i64::from(crate::domain::plausibility::MIN_PEERS))
            .and_then(|m| u32::try_from(m).ok()),
        closing_days,
        oekologi_total: oekologi.iter().map(|r| r.count as u32).sum(),
        oekologi: oekologi
            .into_iter()
            .filter(|r| !r.level.is_empty())
            .map(|r| (r.level, r.count as u32))
            .collect(),
    })
}
