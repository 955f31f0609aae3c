//! Det Fælles Designsystem's error pattern and form fields.
//!
//! Errors live in one `FieldErrors` signal: the server's answer replaces it,
//! the browser's instant checks set or clear single fields. The summary at the
//! top links to each field; each message sits right above its field with a
//! visually hidden "Fejl:" prefix.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::plausibility::Warning;
use crate::error::{AppError, FieldErrors};

/// The key for errors that belong to the whole form rather than one field.
pub const FORM: &str = "form";

/// What a plain (non-JavaScript) form post left behind for the page it returns to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct FormFlash {
    pub form: String,
    /// What the user typed, except secrets, so nothing is lost.
    pub values: std::collections::BTreeMap<String, String>,
    pub errors: FieldErrors,
}

impl FormFlash {
    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }
}

/// Turn a server function's error into field errors for the form.
pub fn errors_from(error: &AppError) -> FieldErrors {
    match error {
        AppError::Validation(errors) => errors.clone(),
        other => FieldErrors::from([(FORM.to_string(), other.to_string())]),
    }
}

/// How many times `action` has succeeded. A page's data keyed on this is
/// fetched again after a successful submit only: a failed one keeps the page
/// as it is, with the typed values and the errors the form shows.
pub fn successes<A>(action: ServerAction<A>) -> Signal<u32>
where
    A: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    A::Output: Send + Sync + 'static,
    A::Error: Send + Sync + 'static,
{
    let count = RwSignal::new(0u32);
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            count.update(|n| *n += 1);
        }
    });
    count.into()
}

/// The errors one form shows.
#[derive(Clone, Copy)]
pub struct FormErrors(pub RwSignal<FieldErrors>);

impl FormErrors {
    pub fn new(initial: FieldErrors) -> Self {
        FormErrors(RwSignal::new(initial))
    }

    pub fn get(&self, field: &'static str) -> Signal<Option<String>> {
        let errors = self.0;
        Signal::derive(move || errors.with(|e| e.get(field).cloned()))
    }

    /// The errors of an answered submit.
    pub fn replace(&self, errors: FieldErrors) {
        self.0.set(errors);
    }
}

/// The summary at the top of a form. `fields` are the field names (each also
/// its element's id) in the order they appear; form-level errors link to the first.
#[component]
pub fn ErrorSummary(errors: FormErrors, fields: Vec<String>) -> impl IntoView {
    let first_id = fields.first().cloned().unwrap_or_else(|| "indhold".to_string());
    let order = fields;
    let items = Memo::new(move |_| {
        errors.0.with(|all| {
            let mut items: Vec<(String, String)> = Vec::new();
            if let Some(message) = all.get(FORM) {
                items.push((first_id.clone(), message.clone()));
            }
            for field in &order {
                if let Some(message) = all.get(field) {
                    items.push((field.clone(), message.clone()));
                }
            }
            // Errors for fields this summary does not know still show, linked to their element.
            for (field, message) in all {
                if field != FORM && !order.contains(field) {
                    items.push((field.clone(), message.clone()));
                }
            }
            items
        })
    });
    // The summary takes focus when the page comes with it (`autofocus`), as
    // after a refused plain post; a form sent in place puts focus on it
    // after a refused submit, never after an instant check
    // (`components::enhance`; DKFDS, GOV.UK).
    view! {
        <Show when=move || items.with(|i| !i.is_empty())>
            <div class="error-summary" role="alert" aria-labelledby="fejlopsummering" tabindex="-1" autofocus>
                <h2 id="fejlopsummering">"Der er problemer med formularen"</h2>
                <ul>
                    {move || items.get()
                        .into_iter()
                        .map(|(id, message)| view! { <li><a href=format!("#{id}")>{message}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        </Show>
    }
}

/// A form's submit button. While the submit is being answered it is
/// `aria-disabled` and ignores further clicks, but keeps keyboard focus
/// (a `disabled` button would drop focus to the page).
#[component]
pub fn SubmitButton(
    pending: Memo<bool>,
    #[prop(into)] label: String,
    #[prop(default = "button")] class: &'static str,
    /// For a page that rebuilds the form after a save and puts focus back here.
    #[prop(optional)]
    node_ref: NodeRef<leptos::html::Button>,
    /// The region's main button, where focus goes after a redraw that lost
    /// the button pressed (`components::enhance`).
    #[prop(optional)]
    primary: bool,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            node_ref=node_ref
            data-primary=primary.then_some("")
            class=class
            aria-disabled=move || pending.get().to_string()
            on:click=move |ev| {
                if pending.get_untracked() {
                    ev.prevent_default();
                }
            }
        >
            {label}
        </button>
    }
}

/// The message above a field, with DKFDS' hidden "Fejl:" prefix.
#[component]
pub fn FieldError(id: &'static str, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.get().is_some()>
            <span class="form-error-message" id=format!("{id}-fejl")>
                <span class="visually-hidden">"Fejl: "</span>
                {move || error.get().unwrap_or_default()}
            </span>
        </Show>
    }
}

/// The plausibility warnings ("Er det rigtigt?") of the saved section, for
/// the fields of its form to show above themselves. Provided by the page.
#[derive(Clone, Copy)]
pub struct FieldWarnings(pub Signal<Vec<Warning>>);

/// The warning of field `id`, if the page has one.
fn warning_of(id: &'static str) -> Signal<Option<String>> {
    let warnings = use_context::<FieldWarnings>();
    Signal::derive(move || {
        warnings.and_then(|w| {
            w.0.with(|list| list.iter().find(|x| x.field == id).map(|x| x.message.clone()))
        })
    })
}

/// The warning above a field: it asks, it does not refuse (the value is saved).
#[component]
pub fn FieldWarning(id: &'static str) -> impl IntoView {
    let warning = warning_of(id);
    view! {
        <Show when=move || warning.get().is_some()>
            <span class="form-warning" id=format!("{id}-advarsel")>
                <span class="visually-hidden">"Advarsel: "</span>
                {move || warning.get().unwrap_or_default()}
            </span>
        </Show>
    }
}

/// The section's warnings in one box under its header, each linked to its
/// field. `section_wide` are warnings about the whole section (no field to link to).
#[component]
pub fn WarningSummary(
    warnings: Signal<Vec<Warning>>,
    section_wide: &'static [&'static str],
) -> impl IntoView {
    view! {
        <Show when=move || warnings.with(|w| !w.is_empty())>
            <div class="alert alert-warning" aria-labelledby="advarsler">
                <h2 id="advarsler">"Er det rigtigt?"</h2>
                <p>"Oplysningerne er gemt og offentliggjort. Se efter, at det her er rigtigt; ret det, hvis det ikke er."</p>
                <ul>
                    {move || warnings.get().into_iter().map(|w| {
                        if section_wide.contains(&w.field.as_str()) {
                            view! { <li>{w.message}</li> }.into_any()
                        } else {
                            view! { <li><a href=format!("#{}", w.field)>{w.message}</a></li> }.into_any()
                        }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}

/// `aria-describedby` for a field: its hint and, when present, its error and its warning.
pub fn described_by(
    id: &'static str,
    has_hint: bool,
    error: Signal<Option<String>>,
) -> Signal<Option<String>> {
    let warning = warning_of(id);
    Signal::derive(move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hjaelp"));
        }
        if error.get().is_some() {
            ids.push(format!("{id}-fejl"));
        }
        if warning.get().is_some() {
            ids.push(format!("{id}-advarsel"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    })
}

/// The class of a form group: `form-error` while it has an error.
pub fn group_class(error: Signal<Option<String>>) -> Signal<String> {
    Signal::derive(move || {
        if error.get().is_some() {
            "form-group form-error".to_string()
        } else {
            "form-group".to_string()
        }
    })
}

/// A labelled text input with its error above it. Its form's instant check
/// (`data-check`, `components::enhance`) runs the server's rule in the browser.
#[component]
pub fn TextField(
    /// The form field name, also the element id.
    name: &'static str,
    #[prop(into)] label: String,
    errors: FormErrors,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// The keyboard a phone shows, e.g. `numeric` for a code.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    #[prop(optional, into)] value: String,
    /// Extra classes for the input, e.g. a width that fits the expected input.
    #[prop(optional)]
    class: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// The id of a `<datalist>` with suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
) -> impl IntoView {
    let error = errors.get(name);
    view! {
        <div class=group_class(error)>
            <label for=name>{label}</label>
            {hint.map(|hint| view! { <span class="form-hint" id=format!("{name}-hjaelp")>{hint}</span> })}
            <FieldError id=name error />
            <FieldWarning id=name />
            <input
                id=name
                name=name
                type=input_type
                class=format!("input {}", class.unwrap_or_default())
                autocomplete=autocomplete
                inputmode=inputmode
                value=value
                required=required
                list=list
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by(name, hint.is_some(), error)
            />
        </div>
    }
}

/// A labelled textarea with its character count (plain text: never rendered
/// as HTML). With JavaScript the count follows the typing, and a text over
/// `max_chars` is named at once (`data-max-chars`, `components::enhance`).
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    errors: FormErrors,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: String,
    max_chars: usize,
    #[prop(default = 8)] rows: u32,
) -> impl IntoView {
    let error = errors.get(name);
    let count = value.chars().count();
    view! {
        <div class=group_class(error)>
            <label for=name>{label}</label>
            {hint.map(|hint| view! { <span class="form-hint" id=format!("{name}-hjaelp")>{hint}</span> })}
            <FieldError id=name error />
            <FieldWarning id=name />
            <textarea
                id=name
                name=name
                rows=rows
                data-max-chars=max_chars
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by(name, hint.is_some(), error)
                // Leptos 0.8 writes a textarea's text child unescaped, so `</textarea><script>`
                // typed by a user would end the element. Its content is escaped here instead.
                inner_html=escape_text(&value)
            ></textarea>
            <span class="form-hint" id=format!("{name}-antal") aria-live="polite">
                {format!("{count} af {max_chars} tegn")}
            </span>
        </div>
    }
}

/// Escape text for an element whose content is given as HTML.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// One checkbox; the form posts `name=on` when it is ticked.
#[component]
pub fn Checkbox(name: &'static str, #[prop(into)] label: String, checked: bool) -> impl IntoView {
    view! {
        <div class="checkbox">
            <input type="checkbox" id=name name=name value="on" checked=checked />
            <label for=name>{label}</label>
        </div>
    }
}

/// A group of checkboxes or radio buttons with a legend and a shared error.
#[component]
pub fn Fieldset(
    /// The field name errors are keyed by (for radio groups, the group's name).
    name: &'static str,
    legend: &'static str,
    errors: FormErrors,
    #[prop(optional)] hint: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let error = errors.get(name);
    view! {
        <div class=group_class(error) id=name tabindex="-1">
            <fieldset aria-describedby=described_by(name, hint.is_some(), error)>
                <legend>{legend}</legend>
                {hint.map(|hint| view! { <span class="form-hint" id=format!("{name}-hjaelp")>{hint}</span> })}
                <FieldError id=name error />
                <FieldWarning id=name />
                {children()}
            </fieldset>
        </div>
    }
}

/// One radio button of a group.
#[component]
pub fn Radio(name: &'static str, value: &'static str, label: &'static str, checked: bool) -> impl IntoView {
    let id = format!("{name}-{value}");
    view! {
        <div class="radio">
            <input type="radio" id=id.clone() name=name value=value checked=checked />
            <label for=id>{label}</label>
        </div>
    }
}

/// A labelled `<select>` with DKFDS' error pattern. `options` are (value, label).
#[component]
pub fn SelectField(
    name: &'static str,
    #[prop(into)] label: String,
    errors: FormErrors,
    options: Vec<(String, String)>,
    #[prop(optional, into)] value: String,
    /// The text of the empty first choice, e.g. "Vælg type".
    #[prop(optional)]
    placeholder: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let error = errors.get(name);
    view! {
        <div class=group_class(error)>
            <label for=name>{label}</label>
            {hint.map(|hint| view! { <span class="form-hint" id=format!("{name}-hjaelp")>{hint}</span> })}
            <FieldError id=name error />
            <select
                id=name
                name=name
                class="form-select"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by(name, hint.is_some(), error)
            >
                {placeholder.map(|text| view! { <option value="">{text}</option> })}
                {options
                    .into_iter()
                    .map(|(option, text)| {
                        let selected = value == option;
                        view! { <option value=option selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
