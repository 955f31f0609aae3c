//! `/api/v1/dokumentation`: the data dictionary of the open data. Every
//! field of the JSON answers and every CSV column, with its meaning, type,
//! unit and allowed values; as a page, or as JSON with `?format=json`.
//! A test holds it to the real answers: a field without an entry fails it.

use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::documents::plain::{document, escape};
use crate::domain::sections::{
    Aldersgruppe, Gaesteordning, Hensyn, Maaltid, Oekologi, ProfilTag, Tilberedning,
};
use crate::domain::{Ejerform, InstitutionType};

/// One field of one resource.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Where it is: `felt`, `felt.under` or `liste[].felt`.
    pub felt: &'static str,
    pub type_: &'static str,
    pub betydning: &'static str,
    /// Allowed values, when they are a fixed set.
    pub vaerdier: Vec<&'static str>,
}

/// One resource: an answer or a file.
#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    pub navn: &'static str,
    pub adresse: &'static str,
    pub felter: Vec<Field>,
}

fn field(felt: &'static str, type_: &'static str, betydning: &'static str) -> Field {
    Field {
        felt,
        type_,
        betydning,
        vaerdier: Vec::new(),
    }
}

fn values(mut f: Field, values: Vec<&'static str>) -> Field {
    f.vaerdier = values;
    f
}

fn keys<T: Copy>(all: &[T], key: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| key(*v)).collect()
}

/// Every resource of the open data and its fields.
pub fn resources() -> Vec<Resource> {
    let types = keys(InstitutionType::ALL, InstitutionType::as_str);
    let ejerformer = keys(Ejerform::ALL, Ejerform::as_str);
    vec![
        Resource {
            navn: "Liste over dagtilbud",
            adresse: "/api/v1/dagtilbud",
            felter: vec![
                field("total", "heltal", "Antal aktive dagtilbud, der matcher filtrene."),
                field("side", "heltal", "Sidens nummer, fra 1."),
                field("sider", "heltal", "Antal sider i alt."),
                field("per_side", "heltal", "Dagtilbud pr. side (20)."),
                field("dagtilbud[].nummer", "tekst", "Institutionsnummeret: et bogstav og fem cifre, fx G10234."),
                field("dagtilbud[].navn", "tekst", "Dagtilbuddets navn."),
                field("dagtilbud[].type", "tekst", "Typen i ord, fx «Børnehave (3–5 år)»."),
                field("dagtilbud[].ejerform", "tekst", "Ejerformen i ord, fx «Kommunal»."),
                field("dagtilbud[].adresse", "tekst", "Besøgsadressen fra Dagtilbudsregisteret: vej, nummer, postnummer og by."),
                field("dagtilbud[].kommune", "tekst", "Kommunens navn."),
                field("dagtilbud[].kommunekode", "heltal", "Kommunekoden (3 cifre, fx 746)."),
                field("dagtilbud[].aldersgrupper", "liste af tekst", "Aldersgrupperne i ord, fra afsnittet profil."),
                field("dagtilbud[].breddegrad", "decimaltal eller null", "Breddegrad i grader, WGS 84."),
                field("dagtilbud[].laengdegrad", "decimaltal eller null", "Længdegrad i grader, WGS 84."),
                field("dagtilbud[].afstand_m", "heltal eller null", "Afstand i meter i luftlinje fra søgningens udgangspunkt, når der er et."),
                field("dagtilbud[].url", "tekst", "Siden for forældre."),
                field("dagtilbud[].api", "tekst", "Dagtilbuddets post i dette API."),
            ],
        },
        Resource {
            navn: "Ét dagtilbud",
            adresse: "/api/v1/dagtilbud/{nummer}",
            felter: vec![
                field("nummer", "tekst", "Institutionsnummeret."),
                field("navn", "tekst", "Dagtilbuddets navn."),
                field("type", "tekst", "Typen i ord."),
                field("ejerform", "tekst", "Ejerformen i ord."),
                field("adresse", "tekst", "Besøgsadressen (for en dagpleje: dagplejekontorets)."),
                field("kommune", "tekst", "Kommunens navn."),
                field("breddegrad", "decimaltal eller null", "Breddegrad i grader, WGS 84."),
                field("laengdegrad", "decimaltal eller null", "Længdegrad i grader, WGS 84."),
                field("profil", "afsnit eller null", "Afsnittet profil, eller null hvis det ikke er indberettet."),
                field("madordning", "afsnit eller null", "Afsnittet madordning."),
                field("lukkedage", "afsnit eller null", "Afsnittet lukkedage."),
                field("aabningstider", "afsnit eller null", "Afsnittet åbningstider."),
                field("kontakt", "afsnit eller null", "Afsnittet kontaktoplysninger."),
                field("gaestedagpleje", "afsnit eller null", "Kun en kommunal dagpleje: gæstedagpleje."),
                field("omraade_postnumre", "liste af heltal eller null", "En dagpleje: postnumrene, området dækker."),
                field("dagplejere", "heltal eller null", "En dagpleje: omtrent hvor mange dagplejere (aldrig hvem)."),
                field("lukkedage_i_aar", "heltal eller null", "Hverdage lukket i år, helligdage ikke medregnet."),
                field("lukkedage_naeste_aar", "heltal eller null", "Hverdage lukket næste år."),
                field("<afsnit>.data", "objekt", "Afsnittet som gemt; felterne står nedenfor."),
                field("<afsnit>.opdateret", "tekst", "Hvornår afsnittet sidst blev gemt, dansk tid: «23.11.2026 kl. 14:05»."),
            ],
        },
        Resource {
            navn: "Afsnittet profil (data)",
            adresse: "/api/v1/dagtilbud/{nummer} → profil.data",
            felter: vec![
                field("paedagogisk_profil", "tekst", "Den pædagogiske profil som almindelig tekst med linjeskift, højst 4.000 tegn. Aldrig HTML."),
                values(field("tags", "liste af tekst", "Det, dagtilbuddet kendetegnes ved."), keys(ProfilTag::ALL, ProfilTag::as_str)),
                values(field("aldersgrupper", "liste af tekst", "Aldersgrupper, der passes (0_2: 0–2 år, 3_5: 3–5 år, 6_9: skolebørn 6–9 år, 10_plus: fra 10 år)."), keys(Aldersgruppe::ALL, Aldersgruppe::as_str)),
                field("pladser", "heltal", "Antal pladser, 1–1.000."),
                field("udeareal_m2", "heltal eller null", "Udeareal i kvadratmeter, 0–100.000."),
                field("hjemmeside", "tekst eller null", "Hjemmeside, altid https://."),
            ],
        },
        Resource {
            navn: "Afsnittet madordning (data)",
            adresse: "/api/v1/dagtilbud/{nummer} → madordning.data",
            felter: vec![
                field("frokostordning", "objekt", "Frokostordningen: tilbydes og, når den tilbydes, tilberedes."),
                values(field("frokostordning.tilbydes", "tekst", "Om der er en frokostordning."), vec!["ja", "nej"]),
                values(field("frokostordning.tilberedes", "tekst", "Hvem laver maden (kun når tilbydes er ja)."), keys(Tilberedning::ALL, Tilberedning::as_str)),
                values(field("maaltider", "liste af tekst", "Måltider, der serveres."), keys(Maaltid::ALL, Maaltid::as_str)),
                values(field("oekologi", "tekst eller null", "Det Økologiske Spisemærke: ingen; bronze 30–60 %, soelv 60–90 %, guld 90–100 % økologi."), keys(Oekologi::ALL, Oekologi::as_str)),
                values(field("hensyn", "liste af tekst", "Hensyn, der tages."), keys(Hensyn::ALL, Hensyn::as_str)),
                field("pris_pr_maaned", "heltal eller null", "Forældrebetaling for mad pr. måned i kroner, 0–5.000."),
                field("bemaerkning", "tekst eller null", "Bemærkning, højst 1.000 tegn."),
            ],
        },
        Resource {
            navn: "Afsnittet lukkedage (data)",
            adresse: "/api/v1/dagtilbud/{nummer} → lukkedage.data",
            felter: vec![
                field("periods[]", "liste", "Lukkeperioderne, sorteret efter første dag."),
                field("periods[].from", "dato (åååå-mm-dd)", "Første lukkedag."),
                field("periods[].to", "dato (åååå-mm-dd)", "Sidste lukkedag (medregnet)."),
                field("periods[].reason", "tekst", "Årsagen, fx juleferie."),
                field("periods[].alternative_care", "sand/falsk", "Om der er alternativ pasning."),
                field("periods[].alternative_place", "tekst eller null", "Hvor den alternative pasning er."),
                field("periods[].kommune_period", "heltal (kan mangle)", "Perioden er kommunens fælles lukkedag med dette nummer og følger kommunens ændringer."),
                field("periods[].uid", "tekst (kan mangle)", "Periodens faste id, som den beholder, når den ændres (også UID i kalenderen)."),
            ],
        },
        Resource {
            navn: "Afsnittet åbningstider (data)",
            adresse: "/api/v1/dagtilbud/{nummer} → aabningstider.data",
            felter: vec![
                field("days[]", "liste med 7 elementer", "Mandag først. null: lukket den dag."),
                field("days[].opens", "klokkeslæt (tt:mm)", "Åbner, dansk tid."),
                field("days[].closes", "klokkeslæt (tt:mm)", "Lukker, dansk tid."),
                field("note", "tekst eller null", "Bemærkning, højst 500 tegn."),
            ],
        },
        Resource {
            navn: "Afsnittet kontaktoplysninger (data)",
            adresse: "/api/v1/dagtilbud/{nummer} → kontakt.data",
            felter: vec![
                field("vejnavn", "tekst", "Besøgsadressens vej."),
                field("husnummer", "tekst", "Husnummer, fx 12 eller 12B."),
                field("postnummer", "heltal", "Postnummer, 4 cifre."),
                field("by", "tekst", "Postdistriktets by."),
                field("telefon", "tekst", "Telefonnummer, 8 cifre."),
                field("email", "tekst", "Dagtilbuddets e-mailadresse (en arbejdsadresse)."),
                field("hjemmeside", "tekst eller null", "Hjemmeside, altid https://."),
                field("leder", "tekst", "Lederens navn."),
                field("kontaktperson", "tekst eller null", "Kontaktperson."),
            ],
        },
        Resource {
            navn: "Afsnittet gæstedagpleje (data)",
            adresse: "/api/v1/dagtilbud/{nummer} → gaestedagpleje.data",
            felter: vec![
                values(field("ordning", "tekst", "Hvor barnet passes, når dagplejeren er syg eller holder fri."), keys(Gaesteordning::ALL, Gaesteordning::as_str)),
                field("sted", "tekst eller null", "Gæstehusets navn og adresse."),
                field("beskrivelse", "tekst", "Hvordan det foregår."),
            ],
        },
        Resource {
            navn: "Ændringer",
            adresse: "/api/v1/dagtilbud/aendringer?siden=…",
            felter: vec![
                field("schemaversion", "heltal", "Versionen af dette API's skemaer (også i headeren dagtilbud-schemaversion på alle svar)."),
                field("aendringer[].nummer", "tekst", "Institutionsnummeret."),
                values(field("aendringer[].hvad", "tekst", "Hvad der ændrede sig: et afsnit, eller oprettet, nedlagt eller stamdata."), vec!["profil", "madordning", "lukkedage", "aabningstider", "kontakt", "gaestedagpleje", "oprettet", "nedlagt", "stamdata"]),
                field("aendringer[].tidspunkt", "tidspunkt (RFC 3339, UTC)", "Hvornår."),
                field("aendringer[].api", "tekst", "Dagtilbuddets post i dette API, som den er nu."),
                field("naeste", "tekst", "Send den som siden= for at få ændringerne efter disse. En ændring springes aldrig over og kommer aldrig to gange."),
                field("flere", "sand/falsk", "Der er flere ændringer klar nu; ellers spørg igen senere."),
            ],
        },
        Resource {
            navn: "CSV-fil med alle aktive dagtilbud",
            adresse: "/api/v1/dagtilbud.csv (UTF-8 med BOM, semikolon, samme 14 kolonner i hver række)",
            felter: vec![
                field("institutionsnummer", "tekst", "Institutionsnummeret."),
                field("navn", "tekst", "Dagtilbuddets navn."),
                values(field("type", "tekst", "Typen som nøgle."), types),
                values(field("ejerform", "tekst", "Ejerformen som nøgle."), ejerformer),
                field("adresse", "tekst", "Vej og husnummer."),
                field("postnummer", "heltal", "Postnummer."),
                field("by", "tekst", "Postdistriktets by."),
                field("kommunekode", "heltal", "Kommunekoden."),
                field("kommune", "tekst", "Kommunens navn."),
                field("breddegrad", "decimaltal med komma", "Breddegrad, WGS 84; tom hvis ukendt."),
                field("laengdegrad", "decimaltal med komma", "Længdegrad, WGS 84; tom hvis ukendt."),
                field("dagplejens postnumre", "postnumre adskilt af mellemrum", "En dagpleje: postnumrene, området dækker; ellers tom."),
                field("dagplejere", "heltal", "En dagpleje: omtrent hvor mange dagplejere; ellers tom."),
                field("indberettede afsnit", "heltal", "Hvor mange afsnit dagtilbuddet har indberettet."),
            ],
        },
    ]
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Format {
    format: Option<String>,
}

/// The dictionary as a page, or as JSON with `?format=json`.
#[derive(Serialize)]
struct Dictionary {
    schemaversion: u32,
    ressourcer: Vec<Resource>,
}

pub async fn page(headers: HeaderMap, Query(format): Query<Format>) -> Response {
    let dictionary = Dictionary {
        schemaversion: crate::api::SCHEMA_VERSION,
        ressourcer: resources(),
    };
    if format.format.as_deref() == Some("json") {
        return match serde_json::to_vec(&dictionary) {
            Ok(json) => crate::api::cached(&headers, "application/json", json),
            Err(_) => crate::documents::plain::unavailable(),
        };
    }
    let mut html = format!(
        "<p>Hvad hvert felt i de åbne data betyder: JSON-svarene fra <code>/api/v1</code> og CSV-filen. \
         Skemaversion {}: den står i headeren <code>dagtilbud-schemaversion</code> på hvert svar og hæves, \
         når et felt fjernes eller skifter betydning; nye felter hæver den ikke. \
         Samme indhold som JSON: <a href=\"/api/v1/dokumentation?format=json\">/api/v1/dokumentation?format=json</a>. \
         Endepunkterne er beskrevet i <a href=\"/api/v1/openapi.json\">OpenAPI-dokumentet</a>.</p>",
        crate::api::SCHEMA_VERSION
    );
    for resource in &dictionary.ressourcer {
        html.push_str(&format!(
            "<h2>{}</h2><p><code>{}</code></p><div class=\"table-wrap\"><table class=\"table table-compact\"><thead><tr>\
             <th scope=\"col\">Felt</th><th scope=\"col\">Type</th><th scope=\"col\">Betydning</th><th scope=\"col\">Tilladte værdier</th>\
             </tr></thead><tbody>",
            escape(resource.navn),
            escape(resource.adresse)
        ));
        for f in &resource.felter {
            html.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(f.felt),
                escape(f.type_),
                escape(f.betydning),
                escape(&f.vaerdier.join(", "))
            ));
        }
        html.push_str("</tbody></table></div>");
    }
    document(StatusCode::OK, "Dokumentation af de åbne data", &html)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every path in a JSON value: `a`, `a.b`, `list[].c`.
    fn paths(value: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    // A list of objects is documented as `list[]` with its fields.
                    let of_objects = inner
                        .as_array()
                        .is_some_and(|items| items.iter().any(|i| i.is_object()));
                    if !of_objects {
                        out.push(path.clone());
                    }
                    paths(inner, &path, out);
                }
            }
            serde_json::Value::Array(items) => {
                let path = format!("{prefix}[]");
                if items.iter().any(|i| i.is_object()) {
                    out.push(path.clone());
                }
                for item in items {
                    paths(item, &path, out);
                }
            }
            _ => {}
        }
    }

    fn documented(adresse_starts: &str) -> Vec<&'static str> {
        resources()
            .into_iter()
            .filter(|r| r.adresse.starts_with(adresse_starts))
            .flat_map(|r| r.felter.into_iter().map(|f| f.felt))
            .collect()
    }

    /// What each section type stores, with every optional field present.
    fn samples() -> Vec<(&'static str, serde_json::Value)> {
        vec![
            (
                "profil",
                serde_json::json!({"tags": ["kunst"], "pladser": 72, "hjemmeside": "https://x.dk", "udeareal_m2": 1800, "aldersgrupper": ["0_2"], "paedagogisk_profil": "Tekst"}),
            ),
            (
                "madordning",
                serde_json::json!({"hensyn": ["vegetarisk"], "oekologi": "guld", "maaltider": ["frokost"], "bemaerkning": null, "frokostordning": {"tilbydes": "ja", "tilberedes": "ekstern_leverandoer"}, "pris_pr_maaned": 830}),
            ),
            (
                "lukkedage",
                serde_json::json!({"periods": [{"to": "2026-12-31", "from": "2026-12-27", "reason": "Jul", "alternative_care": true, "alternative_place": "Et sted", "kommune_period": 4, "uid": "abc"}]}),
            ),
            (
                "aabningstider",
                serde_json::json!({"days": [{"opens": "07:00", "closes": "17:30"}, null, null, null, null, null, null], "note": null}),
            ),
            (
                "kontakt",
                serde_json::json!({"by": "Hadsten", "email": "a@b.dk", "leder": "L", "telefon": "92149477", "vejnavn": "V", "husnummer": "1", "hjemmeside": null, "postnummer": 8370, "kontaktperson": null}),
            ),
            (
                "gaestedagpleje",
                serde_json::json!({"sted": "S", "ordning": "begge", "beskrivelse": "B"}),
            ),
        ]
    }

    /// Whether `value` is what section `name` stores: it reads and writes back unchanged.
    fn round_trips(name: &str, value: &serde_json::Value) -> bool {
        use crate::domain::sections::{Gaestedagpleje, Kontakt, Lukkedage, Madordning, OpeningHours, Profil};
        fn again<T: serde::de::DeserializeOwned + Serialize>(
            value: &serde_json::Value,
        ) -> Option<serde_json::Value> {
            serde_json::from_value::<T>(value.clone())
                .ok()
                .and_then(|v| serde_json::to_value(v).ok())
        }
        let back = match name {
            "profil" => again::<Profil>(value),
            "madordning" => again::<Madordning>(value),
            "lukkedage" => again::<Lukkedage>(value),
            "aabningstider" => again::<OpeningHours>(value),
            "kontakt" => again::<Kontakt>(value),
            _ => again::<Gaestedagpleje>(value),
        };
        back.as_ref() == Some(value)
    }

    #[test]
    fn every_field_of_every_stored_section_is_documented() {
        for (name, sample) in samples() {
            assert!(
                round_trips(name, &sample),
                "{name}: the sample is what the section stores"
            );
            let known = documented(&format!("/api/v1/dagtilbud/{{nummer}} → {name}"));
            assert!(!known.is_empty(), "{name}");
            let mut found = Vec::new();
            paths(&sample, "", &mut found);
            for path in found {
                assert!(known.contains(&path.as_str()), "{name}: {path} is not documented");
            }
        }
    }
}
