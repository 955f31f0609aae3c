//! Fælles lukkedage: a kommune's closing periods, taken over by its
//! institutions, followed when the kommune changes them until the
//! institution changes its copy, with history on both sides.

use crate::helpers::{institution_with_password, kommune_admin, location_of, spawn_app};
use sqlx::PgPool;

const PASSWORD: &str = "en lang og god adgangskode";

fn next_year() -> i32 {
    time::OffsetDateTime::now_utc().year() + 1
}

/// The institution's Lukkedage as (version, [(from, reason, kommune period)]).
async fn periods(pool: &PgPool, nummer: &str) -> (i32, Vec<(String, String, Option<i64>)>) {
    let row: Option<(i32, serde_json::Value)> = sqlx::query_as(
        "SELECT s.version, s.data FROM institution_sections s JOIN institutions i ON i.id = s.institution_id
         WHERE i.nummer = $1 AND s.section = 'lukkedage'",
    )
    .bind(nummer)
    .fetch_optional(pool)
    .await
    .unwrap();
    let Some((version, data)) = row else {
        return (0, Vec::new());
    };
    let list = data["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["from"].as_str().unwrap().to_string(),
                p["reason"].as_str().unwrap().to_string(),
                p["kommune_period"].as_i64(),
            )
        })
        .collect();
    (version, list)
}

async fn period_id(pool: &PgPool, reason: &str) -> (i64, i32) {
    sqlx::query_as("SELECT id, version FROM kommune_closing_periods WHERE data->>'reason' = $1")
        .bind(reason)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn kommune_periods_are_taken_over_followed_and_detached(pool: PgPool) {
    let app = spawn_app(pool).await;
    let year = next_year();
    for nummer in ["C20001", "C20002", "C20003"] {
        institution_with_password(&app.pool, nummer, 746, PASSWORD).await;
    }
    let kommune = kommune_admin(&app, 746).await;

    // The kommune adds two periods; a bad one is refused naming the field.
    let bad = kommune
        .call(
            "kommune_lukkedag_tilfoej",
            &[
                ("fra", &format!("{year}-12-30")),
                ("til", &format!("{year}-12-20")),
                ("aarsag", "Jul"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("til"));
    for (from, to, reason) in [
        (
            format!("{year}-12-28"),
            format!("{year}-12-30"),
            "Mellem jul og nytår",
        ),
        (
            format!("{year}-05-07"),
            format!("{year}-05-07"),
            "Fredag efter Kristi himmelfartsdag",
        ),
    ] {
        let added = kommune
            .call(
                "kommune_lukkedag_tilfoej",
                &[("fra", &from), ("til", &to), ("aarsag", reason)],
            )
            .await;
        assert_eq!(added.status(), 200, "{}", added.text().await.unwrap());
    }
    let (christmas, _) = period_id(&app.pool, "Mellem jul og nytår").await;

    // Each institution sees both as proposals on its own Lukkedage page.
    let first = app.fresh_client();
    first.login_institution("C20001", PASSWORD).await;
    let page = first.get("/indberetning/lukkedage").await.text().await.unwrap();
    assert!(
        page.contains("Kommunens fælles lukkedage") && page.contains("Tilføj alle 2"),
        "{page}"
    );

    // C20001 takes over all in one click (one new version).
    let all = first.call("lukkedage_faelles", &[("version", "0")]).await;
    assert_eq!(all.status(), 200, "{}", all.text().await.unwrap());
    let (version, list) = periods(&app.pool, "C20001").await;
    assert_eq!(version, 1);
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|(_, _, linked)| linked.is_some()));
    let page = first.get("/indberetning/lukkedage").await.text().await.unwrap();
    assert!(!page.contains("Tilføj alle"), "nothing left to take over");

    // C20002 has its own Christmas period: taking over all adds only the one that fits.
    let second = app.fresh_client();
    second.login_institution("C20002", PASSWORD).await;
    let own = second
        .call(
            "lukkedage_tilfoej",
            &[
                ("version", "0"),
                ("fra", &format!("{year}-12-23")),
                ("til", &format!("{year}-12-31")),
                ("aarsag", "Juleferie"),
            ],
        )
        .await;
    assert_eq!(own.status(), 200);
    let refused = second
        .call(
            "lukkedage_faelles",
            &[("version", "1"), ("id", &christmas.to_string())],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("overlapper"));
    let some = second.call("lukkedage_faelles", &[("version", "1")]).await;
    assert_eq!(some.status(), 200);
    assert_eq!(periods(&app.pool, "C20002").await.1.len(), 2);

    // C20003 takes over only Christmas, then changes its copy: it becomes its own.
    let third = app.fresh_client();
    third.login_institution("C20003", PASSWORD).await;
    let one = third
        .call(
            "lukkedage_faelles",
            &[("version", "0"), ("id", &christmas.to_string())],
        )
        .await;
    assert_eq!(one.status(), 200);
    let edited = third
        .call(
            "lukkedage_ret",
            &[
                ("version", "1"),
                ("index", "0"),
                ("fra", &format!("{year}-12-28")),
                ("til", &format!("{year}-12-31")),
                ("aarsag", "Vores egen juleferie"),
            ],
        )
        .await;
    assert_eq!(edited.status(), 200);
    assert_eq!(periods(&app.pool, "C20003").await.1[0].2, None, "detached");

    // The kommune moves Christmas: C20001's copy follows, C20003's own does not.
    let (id, period_version) = period_id(&app.pool, "Mellem jul og nytår").await;
    let moved = kommune
        .call(
            "kommune_lukkedag_ret",
            &[
                ("id", &id.to_string()),
                ("version", &period_version.to_string()),
                ("fra", &format!("{year}-12-27")),
                ("til", &format!("{year}-12-30")),
                ("aarsag", "Mellem jul og nytår"),
                ("alternativ_pasning", "on"),
                ("alternativ_sted", "Børnehuset Mælkebøtten"),
            ],
        )
        .await;
    assert_eq!(moved.status(), 200, "{}", moved.text().await.unwrap());
    assert_eq!(moved.json::<i32>().await.unwrap(), 1, "one copy changed");
    let (version, list) = periods(&app.pool, "C20001").await;
    assert_eq!(version, 2);
    assert!(
        list.contains(&(format!("{year}-12-27"), "Mellem jul og nytår".into(), Some(id))),
        "{list:?}"
    );
    assert_eq!(periods(&app.pool, "C20003").await.1[0].1, "Vores egen juleferie");
    // History on the institution's side names the kommune; on the kommune's, the count.
    let by: String = sqlx::query_scalar(
        "SELECT h.actor_role FROM section_history h JOIN institutions i ON i.id = h.institution_id
         WHERE i.nummer = 'C20001' AND h.section = 'lukkedage' AND h.version = 2",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(by, "kommune");
    let kommune_history: Vec<(String, i32)> = sqlx::query_as(
        "SELECT action, institutions FROM kommune_closing_history WHERE period_id = $1 ORDER BY version",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        kommune_history,
        vec![("oprettet".into(), 0), ("rettet".into(), 1)]
    );
    // A stale edit is a conflict, never a silent overwrite.
    let stale = kommune
        .call(
            "kommune_lukkedag_ret",
            &[
                ("id", &id.to_string()),
                ("version", &period_version.to_string()),
                ("fra", &format!("{year}-12-28")),
                ("til", &format!("{year}-12-30")),
                ("aarsag", "X"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);

    // The parents' page shows the copy like any own period.
    let public = app.get("/dagtilbud/C20001").await.text().await.unwrap();
    assert!(public.contains(&format!("27.12.{year}")), "{public}");

    // The overview says who has taken over this year's periods (both lie next year here).
    let overview = kommune.get("/kommune").await.text().await.unwrap();
    assert!(overview.contains("Fælles lukkedage i år"));

    // The kommune removes Christmas: it goes from C20001 too, and the page shows the change.
    let removed = kommune
        .call(
            "kommune_lukkedag_slet",
            &[("id", &id.to_string()), ("version", "2")],
        )
        .await;
    assert_eq!(removed.status(), 200);
    assert_eq!(periods(&app.pool, "C20001").await.1.len(), 1);
    let page = kommune.get("/kommune/lukkedage").await.text().await.unwrap();
    assert!(
        page.contains("Slettet") && page.contains("Fredag efter Kristi himmelfartsdag"),
        "{page}"
    );
    let audit: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'faelles_lukkedag_%'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(audit, 4);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn only_the_kommune_keeps_its_own_periods(pool: PgPool) {
    let app = spawn_app(pool).await;
    let year = next_year();
    institution_with_password(&app.pool, "C20011", 746, PASSWORD).await;
    institution_with_password(&app.pool, "C20012", 751, PASSWORD).await;
    let skanderborg = kommune_admin(&app, 746).await;
    let aarhus = kommune_admin(&app, 751).await;
    let form = [
        ("fra", format!("{year}-12-28")),
        ("til", format!("{year}-12-30")),
        ("aarsag", "Fælles jul 746".to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        skanderborg.call("kommune_lukkedag_tilfoej", &form).await.status(),
        200
    );
    let (id, _) = period_id(&app.pool, "Fælles jul 746").await;

    // Another kommune can neither see, change nor remove it.
    let page = aarhus.get("/kommune/lukkedage").await.text().await.unwrap();
    assert!(
        page.contains("Fælles lukkedage") && !page.contains("Fælles jul 746"),
        "{page}"
    );
    let mut edit = form.clone();
    let id_text = id.to_string();
    edit.extend([("id", id_text.as_str()), ("version", "1")]);
    assert_eq!(aarhus.call("kommune_lukkedag_ret", &edit).await.status(), 404);
    assert_eq!(
        aarhus
            .call("kommune_lukkedag_slet", &[("id", &id_text), ("version", "1")])
            .await
            .status(),
        404
    );
    // Its institutions are not offered it, and cannot take it over by id.
    let other = app.fresh_client();
    other.login_institution("C20012", PASSWORD).await;
    assert_eq!(
        other
            .call("lukkedage_faelles", &[("version", "0"), ("id", &id_text)])
            .await
            .status(),
        409
    );
    assert_eq!(periods(&app.pool, "C20012").await.1.len(), 0);

    // An institution may take over, never keep the kommune's periods.
    let own = app.fresh_client();
    own.login_institution("C20011", PASSWORD).await;
    assert_eq!(own.call("kommune_lukkedage", &[]).await.status(), 403);
    assert_eq!(own.call("kommune_lukkedag_tilfoej", &form).await.status(), 403);
    assert_eq!(
        own.call("kommune_lukkedag_slet", &[("id", &id_text), ("version", "1")])
            .await
            .status(),
        403
    );
    // Nobody logged in: 401, and the page sends to the log-in.
    let anonymous = app.fresh_client();
    assert_eq!(
        anonymous.call("kommune_lukkedag_tilfoej", &form).await.status(),
        401
    );
    assert_eq!(
        anonymous
            .call("lukkedage_faelles", &[("version", "0")])
            .await
            .status(),
        401
    );
    let page = anonymous.get("/kommune/lukkedage").await;
    assert_eq!(location_of(&page), "/admin/log-ind?naeste=/kommune/lukkedage");

    // Without JavaScript the kommune's form posts and comes back; a refused one keeps what was typed.
    let refused = skanderborg
        .post_plain(
            "kommune_lukkedag_tilfoej",
            &[
                ("fra", &format!("{year}-07-10")),
                ("til", &format!("{year}-07-01")),
                ("aarsag", "<b>Sommer</b>"),
            ],
            "/kommune/lukkedage",
        )
        .await;
    assert_eq!(location_of(&refused), "/kommune/lukkedage");
    let page = skanderborg.get("/kommune/lukkedage").await.text().await.unwrap();
    assert!(
        page.contains("&lt;b&gt;Sommer&lt;/b&gt;") && !page.contains("<b>Sommer</b>"),
        "{page}"
    );
    assert!(page.contains(&format!("{year}-07-10")));
}
