//! `/sammenlign?nr=…&nr=…`: two to four institutions side by side, row by
//! row. The comparison lives in the address, so it is a link and needs no
//! JavaScript; add and remove are links and a GET form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::domain::sections::Section;
use crate::error::AppError;
use crate::published::PublicInstitution;

use super::tray::MAX_COMPARED;

/// The numbers asked for: upper-cased, without repeats, at most [`MAX_COMPARED`].
pub fn wanted(numbers: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for number in numbers {
        let number = number.trim().to_uppercase();
        if !number.is_empty() && number.len() <= 12 && !out.contains(&number) {
            out.push(number);
        }
    }
    out.truncate(MAX_COMPARED);
    out
}

/// The public data of each active institution among `numbers`, in their
/// order; unknown and closed numbers are left out.
#[server(prefix = "/api/fn", endpoint = "sammenlign")]
pub async fn compare(#[server(default)] numbers: Vec<String>) -> Result<Vec<PublicInstitution>, AppError> {
    // Public data: no principal needed.
    let pool = crate::ssr::pool()?;
    let numbers = wanted(numbers);
    let ids = sqlx::query!(
        "SELECT id, nummer FROM institutions WHERE nummer = ANY($1) AND status = 'aktiv'",
        &numbers
    )
    .fetch_all(&pool)
    .await?;
    let year = crate::ssr::today()?.year();
    let mut out = Vec::new();
    for number in &numbers {
        if let Some(row) = ids.iter().find(|r| &r.nummer == number) {
            out.push(crate::published::load_public(&pool, row.id, year).await?);
        }
    }
    Ok(out)
}

/// One row of the comparison: a label and each institution's value.
type Row = (String, Vec<String>);

/// The rows of every section, each label once, in the order first seen.
pub fn rows(institutions: &[PublicInstitution]) -> Vec<(&'static str, Vec<Row>)> {
    fn section(
        title: &'static str,
        institutions: &[PublicInstitution],
        describe: impl Fn(&PublicInstitution) -> Option<Vec<(&'static str, String)>>,
    ) -> (&'static str, Vec<Row>) {
        let described: Vec<Option<Vec<(&'static str, String)>>> =
            institutions.iter().map(&describe).collect();
        let mut labels: Vec<&'static str> = Vec::new();
        for fields in described.iter().flatten() {
            for (label, _) in fields {
                if !labels.contains(label) {
                    labels.push(label);
                }
            }
        }
        let rows = labels
            .into_iter()
            .map(|label| {
                let values = described
                    .iter()
                    .map(|fields| match fields {
                        None => "Ikke indberettet".to_string(),
                        Some(fields) => fields
                            .iter()
                            .find(|(l, _)| *l == label)
                            .map(|(_, v)| v.clone())
                            .unwrap_or_else(|| "Ikke oplyst".into()),
                    })
                    .collect();
                (label.to_string(), values)
            })
            .collect();
        (title, rows)
    }
    let master = |i: &PublicInstitution| {
        Some(vec![
            ("Type", i.master.type_label().to_string()),
            ("Ejerform", i.master.ejerform_label().to_string()),
            ("Adresse", i.master.adresse.clone()),
            ("Kommune", i.master.kommune.clone()),
        ])
    };
    vec![
        section("Stamdata", institutions, master),
        section("Pædagogisk profil", institutions, |i| {
            i.profil.as_ref().map(|(p, _)| p.describe())
        }),
        section("Åbningstider", institutions, |i| {
            i.aabningstider.as_ref().map(|(h, _)| {
                let mut rows = h.describe();
                rows.push(("Åbent pr. uge", h.weekly_hours_text()));
                rows
            })
        }),
        section("Lukkedage", institutions, |i| {
            i.lukkedage.as_ref().map(|(l, _)| {
                vec![
                    ("Lukkedage i år", l.closing_days(i.year).to_string()),
                    ("Lukkedage næste år", l.closing_days(i.year + 1).to_string()),
                ]
            })
        }),
        section("Madordning", institutions, |i| {
            i.madordning.as_ref().map(|(m, _)| m.describe())
        }),
        section("Kontakt", institutions, |i| {
            i.kontakt.as_ref().map(|(k, _)| k.describe())
        }),
    ]
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let query = use_query_map();
    let numbers = Memo::new(move |_| {
        let query = query.read();
        let mut all = query.get_all("nr").unwrap_or_default();
        all.extend(query.get("tilfoej"));
        wanted(all)
    });
    let data = Resource::new_blocking(move || numbers.get(), compare);
    view! {
        <Title text="Sammenlign dagtilbud" />
        <leptos_meta::Meta name="description" content="Sammenlign op til fire dagtilbud side om side." />
        <p><a href="/">"Søg efter dagtilbud"</a></p>
        <h1>"Sammenlign dagtilbud"</h1>
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || Suspend::new(async move {
                let asked = numbers.get_untracked();
                match data.await {
                    Ok(found) => view! { <Comparison asked found /> }.into_any(),
                    Err(error) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn link_without(numbers: &[String], removed: &str) -> String {
    let rest: Vec<String> = numbers
        .iter()
        .filter(|n| n.as_str() != removed)
        .map(|n| format!("nr={n}"))
        .collect();
    format!("/sammenlign?{}", rest.join("&"))
}

#[component]
fn Comparison(asked: Vec<String>, found: Vec<PublicInstitution>) -> impl IntoView {
    let shown: Vec<String> = found.iter().map(|i| i.master.nummer.clone()).collect();
    let missing: Vec<String> = asked.iter().filter(|n| !shown.contains(n)).cloned().collect();
    let sections = rows(&found);
    let room = shown.len() < MAX_COMPARED;
    view! {
        {(!missing.is_empty()).then(|| view! {
            <div class="alert" role="status">
                <p>{format!("Disse numre findes ikke blandt de aktive dagtilbud: {}.", missing.join(", "))}</p>
            </div>
        })}
        {if found.len() < 2 {
            view! { <p>"Vælg mindst to dagtilbud at sammenligne: søg efter dem, eller tilføj et institutionsnummer herunder."</p> }.into_any()
        } else {
            ().into_any()
        }}
        {(!found.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table class="table compare">
                    <caption class="visually-hidden">"Dagtilbuddene side om side"</caption>
                    <thead>
                        <tr>
                            <td></td>
                            {found.iter().map(|i| view! {
                                <th scope="col">
                                    <a href=format!("/dagtilbud/{}", i.master.nummer)>{i.master.navn.clone()}</a>
                                    <br />
                                    <a class="small" href=link_without(&shown, &i.master.nummer)>
                                        {format!("Fjern {}", i.master.navn)}
                                    </a>
                                </th>
                            }).collect_view()}
                        </tr>
                    </thead>
                    {sections.into_iter().filter(|(_, rows)| !rows.is_empty()).map(|(title, rows)| view! {
                        <tbody>
                            <tr class="compare-section"><th scope="rowgroup" colspan=found.len() + 1>{title}</th></tr>
                            {rows.into_iter().map(|(label, values)| view! {
                                <tr>
                                    <th scope="row">{label}</th>
                                    {values.into_iter().map(|v| view! { <td class="pre">{v}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    }).collect_view()}
                </table>
            </div>
        })}
        {room.then(|| view! {
            <form method="get" action="/sammenlign" class="form">
                {shown.iter().map(|n| view! { <input type="hidden" name="nr" value=n.clone() /> }).collect_view()}
                <div class="form-group">
                    <label class="form-label" for="tilfoej">"Tilføj et dagtilbud"</label>
                    <span class="form-hint" id="tilfoej-hjaelp">"Institutionsnummeret, fx G10234. Det står på dagtilbuddets side."</span>
                    <input type="text" id="tilfoej" name="tilfoej" class="input input-char-8" aria-describedby="tilfoej-hjaelp" autocomplete="off" />
                </div>
                <button type="submit" class="button button-secondary">"Tilføj"</button>
            </form>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanted_numbers_are_unique_uppercase_and_at_most_four() {
        let asked = ["g10234", "G10234", " a1 ", "", "b2", "c3", "d4"].map(String::from);
        assert_eq!(wanted(asked), vec!["G10234", "A1", "B2", "C3"]);
    }

    #[test]
    fn removing_keeps_the_others() {
        let shown = ["A1", "B2", "C3"].map(String::from);
        assert_eq!(link_without(&shown, "B2"), "/sammenlign?nr=A1&nr=C3");
    }
}
