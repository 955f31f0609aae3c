//! A figure of the kommune beside the whole country: two bars with the
//! values as text, and numbers written the Danish way.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One figure for the kommune and the whole country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub label: String,
    pub kommune: Option<f64>,
    pub national: Option<f64>,
    /// The unit after the number, e.g. "timer" or "%".
    pub unit: String,
}

/// A number the Danish way: one decimal, decimal comma.
pub fn danish_number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}").replace('.', ",")
    }
}

/// Two horizontal bars, the kommune and the country, with the values as text.
#[component]
pub fn FigureChart(figure: Figure) -> impl IntoView {
    let text = |value: Option<f64>| match value {
        Some(v) => format!("{} {}", danish_number(v), figure.unit),
        None => "ingen tal".to_string(),
    };
    let max = figure
        .kommune
        .unwrap_or(0.0)
        .max(figure.national.unwrap_or(0.0))
        .max(1.0);
    let width = |value: Option<f64>| format!("{:.1}", value.unwrap_or(0.0) / max * 220.0);
    let title = format!(
        "{}: kommunen {}, hele landet {}.",
        figure.label,
        text(figure.kommune),
        text(figure.national)
    );
    view! {
        <figure class="figure">
            <figcaption>{figure.label.clone()}</figcaption>
            <svg class="chart" role="img" viewBox="0 0 560 70" width="560" height="70">
                <title>{title}</title>
                <text x="0" y="22" class="chart-label">"Kommunen"</text>
                <rect x="110" y="6" width=width(figure.kommune) height="22" class="chart-bar" />
                <text x="340" y="22" class="chart-value">{text(figure.kommune)}</text>
                <text x="0" y="56" class="chart-label">"Hele landet"</text>
                <rect x="110" y="40" width=width(figure.national) height="22" class="chart-track" />
                <text x="340" y="56" class="chart-value">{text(figure.national)}</text>
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_a_decimal_comma() {
        assert_eq!(danish_number(47.25), "47,3");
        assert_eq!(danish_number(40.0), "40");
        assert_eq!(danish_number(0.04), "0");
    }
}
