//! The administrator's overview of the kommune's institutions: who has logged
//! in and reported what, with search, filters, sorting and paging.
//!
//! A kommune has at most a few thousand institutions, so the server loads them
//! all with one query and filters, counts and pages them in memory; the summary
//! is always over every active institution, whatever the filter shows.

use serde::{Deserialize, Serialize};

use crate::components::paging::encode_query_value;
use crate::domain::sections::SectionKind;
use crate::domain::{Ejerform, InstitutionType};

pub const PAGE_SIZE: usize = 50;

/// One institution as the overview lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewRow {
    pub nummer: String,
    pub navn: String,
    pub institution_type: InstitutionType,
    pub ejerform: Ejerform,
    pub active: bool,
    pub logged_in: bool,
    /// Filled or not, in the order of `SectionKind::ALL`.
    pub filled: [bool; 5],
    /// Last save of any section, "24.12.2026 kl. 14:05", and the same as a sortable key.
    pub updated: Option<String>,
    pub updated_key: Option<i64>,
    /// Sections neither changed nor confirmed for `Settings::stale_after`.
    #[serde(default)]
    pub stale: usize,
    /// The oldest of the sections' last change or confirmation, as a sortable
    /// key: the section that has waited longest to be looked at.
    #[serde(default)]
    pub checked_key: Option<i64>,
    /// How many of the kommune's fælles lukkedage this year it has taken over.
    #[serde(default)]
    pub common_taken: usize,
}

impl OverviewRow {
    pub fn filled_count(&self) -> usize {
        self.filled.iter().filter(|f| **f).count()
    }
}

/// What the overview shows: the query string of `/kommune`, so every view
/// can be bookmarked and the filter form works without JavaScript.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OverviewFilter {
    /// Part of the name or the exact number.
    #[serde(default)]
    pub soeg: String,
    #[serde(default, rename = "type")]
    pub institution_type: String,
    #[serde(default)]
    pub ejerform: String,
    /// A section that must be missing.
    #[serde(default)]
    pub mangler: String,
    /// Only institutions that have never logged in.
    #[serde(default)]
    pub aldrig: bool,
    /// Only institutions with a section that should be looked at again.
    #[serde(default)]
    pub foraeldet: bool,
    /// `aktiv` (default), `nedlagt` or `alle`.
    #[serde(default)]
    pub status: String,
    /// `nummer`, `navn` (default), `udfyldt`, `opdateret` or `bekraeftet`.
    #[serde(default)]
    pub sorter: String,
    /// 1-based page.
    #[serde(default)]
    pub side: usize,
}

impl OverviewFilter {
    /// Read the filter from a page's query parameters.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        OverviewFilter {
            soeg: get("soeg").unwrap_or_default(),
            institution_type: get("type").unwrap_or_default(),
            ejerform: get("ejerform").unwrap_or_default(),
            mangler: get("mangler").unwrap_or_default(),
            aldrig: get("aldrig").is_some_and(|v| !v.is_empty()),
            foraeldet: get("foraeldet").is_some_and(|v| !v.is_empty()),
            status: get("status").unwrap_or_default(),
            sorter: get("sorter").unwrap_or_default(),
            side: get("side").and_then(|s| s.parse().ok()).unwrap_or(1),
        }
    }

    /// The query string for this filter on another page (or another sort order).
    pub fn query(&self, side: usize, sorter: Option<&str>) -> String {
        let mut parts: Vec<(String, String)> = Vec::new();
        let mut push = |key: &str, value: &str| {
            if !value.is_empty() {
                parts.push((key.to_string(), value.to_string()));
            }
        };
        push("soeg", self.soeg.trim());
        push("type", &self.institution_type);
        push("ejerform", &self.ejerform);
        push("mangler", &self.mangler);
        push("aldrig", if self.aldrig { "1" } else { "" });
        push("foraeldet", if self.foraeldet { "1" } else { "" });
        push("status", &self.status);
        push("sorter", sorter.unwrap_or(&self.sorter));
        if side > 1 {
            push("side", &side.to_string());
        }
        let encoded: Vec<String> = parts
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
            .collect();
        if encoded.is_empty() {
            String::new()
        } else {
            format!("?{}", encoded.join("&"))
        }
    }

    fn matches(&self, row: &OverviewRow) -> bool {
        let status_ok = match self.status.as_str() {
            "alle" => true,
            "nedlagt" => !row.active,
            _ => row.active,
        };
        let search = self.soeg.trim().to_lowercase();
        let search_ok = search.is_empty()
            || row.navn.to_lowercase().contains(&search)
            || row.nummer.eq_ignore_ascii_case(&search);
        let type_ok =
            InstitutionType::parse(&self.institution_type).is_none_or(|t| row.institution_type == t);
        let ejerform_ok = Ejerform::parse(&self.ejerform).is_none_or(|e| row.ejerform == e);
        let missing_ok = SectionKind::ALL
            .iter()
            .position(|k| k.as_str() == self.mangler)
            .is_none_or(|i| !row.filled[i]);
        status_ok
            && search_ok
            && type_ok
            && ejerform_ok
            && missing_ok
            && (!self.aldrig || !row.logged_in)
            && (!self.foraeldet || row.stale > 0)
    }
}

/// Figures over every active institution of the kommune.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OverviewSummary {
    pub active: usize,
    pub closed: usize,
    pub logged_in: usize,
    pub all_filled: usize,
    /// Active institutions with at least one section that should be looked at again.
    #[serde(default)]
    pub stale: usize,
    /// Institutions with each section filled, in the order of `SectionKind::ALL`.
    pub per_section: [usize; 5],
}

/// One page of the overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewPage {
    pub kommune: String,
    pub summary: OverviewSummary,
    pub rows: Vec<OverviewRow>,
    /// How many institutions match the filter (on every page).
    pub matching: usize,
    pub page: usize,
    pub pages: usize,
    /// Numbers of every matching active institution that has never logged in
    /// (for "letters to all of them").
    pub never_logged_in: usize,
    /// After how many days without a change or confirmation a section should
    /// be looked at again (`Settings::stale_after`).
    pub stale_after_days: u64,
    /// The kommune's fælles lukkedage this year (0: none, and no column to read).
    #[serde(default)]
    pub common_total: usize,
}

/// Filter, sort and page the kommune's institutions.
pub fn build_page(
    kommune: String,
    all: Vec<OverviewRow>,
    filter: &OverviewFilter,
    stale_after_days: u64,
) -> OverviewPage {
    let mut summary = OverviewSummary::default();
    for row in &all {
        if !row.active {
            summary.closed += 1;
            continue;
        }
        summary.active += 1;
        summary.logged_in += usize::from(row.logged_in);
        summary.all_filled += usize::from(row.filled_count() == 5);
        summary.stale += usize::from(row.stale > 0);
        for (count, filled) in summary.per_section.iter_mut().zip(row.filled) {
            *count += usize::from(filled);
        }
    }
    let mut rows: Vec<OverviewRow> = all.into_iter().filter(|r| filter.matches(r)).collect();
    match filter.sorter.as_str() {
        "nummer" => rows.sort_by(|a, b| a.nummer.cmp(&b.nummer)),
        "udfyldt" => rows.sort_by(|a, b| {
            a.filled_count()
                .cmp(&b.filled_count())
                .then_with(|| a.navn.cmp(&b.navn))
        }),
        // Oldest (or never) updated first: those are the ones to chase.
        "opdateret" => rows.sort_by(|a, b| {
            a.updated_key
                .cmp(&b.updated_key)
                .then_with(|| a.navn.cmp(&b.navn))
        }),
        // The section that has waited longest to be looked at first; nothing
        // reported (nothing to confirm) last.
        "bekraeftet" => rows.sort_by(|a, b| {
            (a.checked_key.is_none(), a.checked_key)
                .cmp(&(b.checked_key.is_none(), b.checked_key))
                .then_with(|| a.navn.cmp(&b.navn))
        }),
        _ => rows.sort_by(|a, b| {
            danish_sort_key(&a.navn)
                .cmp(&danish_sort_key(&b.navn))
                .then_with(|| a.nummer.cmp(&b.nummer))
        }),
    }
    let matching = rows.len();
    let never_logged_in = rows.iter().filter(|r| r.active && !r.logged_in).count();
    let pages = matching.div_ceil(PAGE_SIZE).max(1);
    let page = filter.side.clamp(1, pages);
    let rows = rows
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    OverviewPage {
        kommune,
        summary,
        rows,
        matching,
        page,
        pages,
        never_logged_in,
        stale_after_days,
        common_total: 0,
    }
}

/// Names sort as a Dane expects: case-insensitive, with æ, ø, å after z.
pub fn danish_sort_key(name: &str) -> Vec<u32> {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'æ' | 'ä' => 'z' as u32 + 1,
            'ø' | 'ö' => 'z' as u32 + 2,
            'å' => 'z' as u32 + 3,
            other => other as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(nummer: &str, navn: &str, filled: [bool; 5], logged_in: bool, active: bool) -> OverviewRow {
        OverviewRow {
            nummer: nummer.into(),
            navn: navn.into(),
            institution_type: InstitutionType::Boernehave,
            ejerform: Ejerform::Kommunal,
            active,
            logged_in,
            filled,
            updated: None,
            updated_key: filled.iter().any(|f| *f).then_some(nummer.len() as i64),
            stale: 0,
            checked_key: filled.iter().any(|f| *f).then_some(nummer.len() as i64),
            common_taken: 0,
        }
    }

    fn sample() -> Vec<OverviewRow> {
        vec![
            row("A00001", "Ørnereden", [true; 5], true, true),
            row(
                "A00002",
                "Æblehaven",
                [true, false, false, false, false],
                true,
                true,
            ),
            row("A00003", "bikuben", [false; 5], false, true),
            row("A00004", "Åen", [false; 5], false, false),
            row("A00005", "Zebraen", [true, true, true, true, false], false, true),
        ]
    }

    #[test]
    fn summary_counts_only_active_institutions() {
        let page = build_page("Test".into(), sample(), &OverviewFilter::default(), 182);
        assert_eq!(page.summary.active, 4);
        assert_eq!(page.summary.closed, 1);
        assert_eq!(page.summary.logged_in, 2);
        assert_eq!(page.summary.all_filled, 1);
        assert_eq!(page.summary.per_section, [3, 2, 2, 2, 1]);
    }

    #[test]
    fn default_view_is_active_sorted_the_danish_way() {
        let page = build_page("Test".into(), sample(), &OverviewFilter::default(), 182);
        let names: Vec<&str> = page.rows.iter().map(|r| r.navn.as_str()).collect();
        assert_eq!(names, ["bikuben", "Zebraen", "Æblehaven", "Ørnereden"]);
        assert_eq!(page.never_logged_in, 2);
    }

    #[test]
    fn filters_combine() {
        let filter = OverviewFilter {
            mangler: "kontakt".into(),
            aldrig: true,
            ..Default::default()
        };
        let page = build_page("Test".into(), sample(), &filter, 182);
        let numbers: Vec<&str> = page.rows.iter().map(|r| r.nummer.as_str()).collect();
        assert_eq!(numbers, ["A00003", "A00005"]);

        let search = OverviewFilter {
            soeg: "a00002".into(),
            ..Default::default()
        };
        assert_eq!(
            build_page("T".into(), sample(), &search, 182).rows[0].navn,
            "Æblehaven"
        );
        let closed = OverviewFilter {
            status: "nedlagt".into(),
            ..Default::default()
        };
        assert_eq!(build_page("T".into(), sample(), &closed, 182).matching, 1);
        let by_name = OverviewFilter {
            soeg: "BIKU".into(),
            ..Default::default()
        };
        assert_eq!(build_page("T".into(), sample(), &by_name, 182).matching, 1);
    }

    #[test]
    fn paging_is_clamped_and_complete() {
        let many: Vec<OverviewRow> = (0..120)
            .map(|i| {
                row(
                    &format!("B{i:05}"),
                    &format!("Hus {i:03}"),
                    [false; 5],
                    false,
                    true,
                )
            })
            .collect();
        let mut filter = OverviewFilter {
            side: 3,
            ..Default::default()
        };
        let page = build_page("T".into(), many.clone(), &filter, 182);
        assert_eq!((page.page, page.pages, page.rows.len()), (3, 3, 20));
        filter.side = 99;
        assert_eq!(build_page("T".into(), many.clone(), &filter, 182).page, 3);
        filter.side = 0;
        assert_eq!(build_page("T".into(), many, &filter, 182).rows[0].navn, "Hus 000");
    }

    #[test]
    fn sorting_by_progress_and_update() {
        let filter = OverviewFilter {
            sorter: "udfyldt".into(),
            ..Default::default()
        };
        let page = build_page("T".into(), sample(), &filter, 182);
        assert_eq!(page.rows[0].nummer, "A00003");
        assert_eq!(page.rows[3].nummer, "A00001");
    }

    #[test]
    fn stale_sections_filter_count_and_sort() {
        let mut rows = sample();
        // Ørnereden: two stale sections, looked at longest ago; Zebraen: one.
        rows[0].stale = 2;
        rows[0].checked_key = Some(10);
        rows[4].stale = 1;
        rows[4].checked_key = Some(20);
        rows[1].checked_key = Some(30);
        let filter = OverviewFilter {
            foraeldet: true,
            ..Default::default()
        };
        let page = build_page("T".into(), rows.clone(), &filter, 182);
        let numbers: Vec<&str> = page.rows.iter().map(|r| r.nummer.as_str()).collect();
        assert_eq!(numbers, ["A00005", "A00001"]);
        assert_eq!(page.summary.stale, 2);
        assert_eq!(page.stale_after_days, 182);

        let oldest_first = OverviewFilter {
            sorter: "bekraeftet".into(),
            ..Default::default()
        };
        let page = build_page("T".into(), rows, &oldest_first, 182);
        let numbers: Vec<&str> = page.rows.iter().map(|r| r.nummer.as_str()).collect();
        // Nothing reported, nothing to confirm: last.
        assert_eq!(numbers, ["A00001", "A00005", "A00002", "A00003"]);
        assert_eq!(
            OverviewFilter::from_query(|k| (k == "foraeldet").then(|| "1".to_string())).query(1, None),
            "?foraeldet=1"
        );
    }

    #[test]
    fn query_strings_round_trip_and_encode() {
        let filter = OverviewFilter {
            soeg: "Søndre & co".into(),
            aldrig: true,
            ..Default::default()
        };
        let query = filter.query(2, Some("nummer"));
        assert_eq!(
            query,
            "?soeg=S%C3%B8ndre%20%26%20co&aldrig=1&sorter=nummer&side=2"
        );
        assert_eq!(OverviewFilter::default().query(1, None), "");
    }
}
