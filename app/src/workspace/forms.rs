//! The four one-form sections (profil, madordning, åbningstider, kontakt): their
//! server functions and pages. Lukkedage, a list, lives in `closing.rs`.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::header::SectionHeader;
use super::{NummerField, Workspace};
use crate::auth::take_form_flash;
use crate::components::form::{
    Checkbox, ErrorSummary, FormErrors, FormFlash, Radio, SubmitButton, TextArea, TextField,
};
use crate::domain::sections::aabningstider::{DAY_FIELDS, DAY_LABELS};
use crate::domain::sections::{
    Aldersgruppe, Hensyn, Kontakt, KontaktForm, Maaltid, Madordning, MadordningForm, Oekologi, OpeningHours,
    OpeningHoursForm, Profil, ProfilForm, ProfilTag, Tilberedning,
};
use crate::domain::sections::{Loaded, Section, SectionKind, SectionMeta};
use crate::error::{AppError, FieldErrors};

/// A one-form section's two server functions (load, save) and its page.
macro_rules! one_form_section {
    (
        $value:ty, $form:ty, $kind:expr,
        $load:ident, $load_ep:literal, $save:ident, $save_ep:literal,
        $page:ident, $action:ident, $fields:ident
    ) => {
        /// Load the section for its form. `nummer` is only used by kommune and support.
        #[server(prefix = "/api/fn", endpoint = $load_ep)]
        pub async fn $load(nummer: Option<String>) -> Result<Loaded<$value>, AppError> {
            let principal = crate::auth::context::require_principal()?;
            let state = crate::ssr::state()?;
            let target = super::db::target(
                &state.pool,
                principal,
                nummer.as_deref(),
                crate::auth::context::client_ip(),
            )
            .await?;
            target.offers($kind)?;
            let mut loaded =
                super::db::load::<$value>(super::db::Sections::of(&state), target.institution_id).await?;
            loaded.meta = super::with_warnings(
                &state,
                target.institution_id,
                loaded.value.as_ref(),
                loaded.meta,
            )
            .await;
            Ok(loaded)
        }

        /// Validate and save the section over `version`; publishes at once.
        #[server(prefix = "/api/fn", endpoint = $save_ep)]
        pub async fn $save(
            nummer: Option<String>,
            version: i32,
            #[server(flatten)] form: $form,
        ) -> Result<SectionMeta, AppError> {
            let principal = crate::auth::context::require_principal()?;
            let page = super::section_page(principal.role(), nummer.as_deref(), $kind);
            let values = crate::ssr::flash::form_values(&form);
            let result = async {
                let state = crate::ssr::state()?;
                let target = super::db::target(
                    &state.pool,
                    principal,
                    nummer.as_deref(),
                    crate::auth::context::client_ip(),
                )
                .await?;
                let value = form
                    .parse(crate::ssr::today()?)
                    .map_err(AppError::Validation)?;
                let meta = super::db::save(
                    super::db::Sections::of(&state),
                    &target,
                    version,
                    &value,
                    crate::auth::context::client_ip(),
                )
                .await?;
                Ok(super::with_warnings(&state, target.institution_id, Some(&value), meta).await)
            }
            .await;
            let saved = format!("{page}?gemt=1");
            crate::ssr::flash::finish($kind.as_str(), &page, values, Some(&saved), result).await
        }

        /// The section's page, for the institution or an administrator on its
        /// behalf: the server's HTML, its form a plain form post that the
        /// signed-in bundle sends in place (`components::enhance`).
        #[component]
        pub fn $page() -> impl IntoView {
            let workspace = Workspace::current();
            let nummer = workspace.nummer.clone();
            let loaded = Resource::new_blocking(
                || (),
                move |_| with_flash($kind.as_str(), true, $load(nummer.clone())),
            );
            let to_form = <$value>::to_form;
            fn form(start: FormStart) -> impl IntoView {
                let action = ServerAction::<$action>::new();
                let order = field_order::<$form>();
                view! { <OneFormSection kind=$kind action start order fields=$fields /> }
            }
            view! { <SectionPage kind=$kind workspace loaded to_form form /> }
        }
    };
}

/// Used by the dagpleje's own section (`gaestedagpleje.rs`).
pub(super) use one_form_section;

one_form_section!(
    Profil,
    ProfilForm,
    SectionKind::Profil,
    load_profil,
    "profil_hent",
    save_profil,
    "profil_gem",
    ProfilPage,
    SaveProfil,
    profil_fields
);
one_form_section!(
    Madordning,
    MadordningForm,
    SectionKind::Madordning,
    load_madordning,
    "madordning_hent",
    save_madordning,
    "madordning_gem",
    MadordningPage,
    SaveMadordning,
    madordning_fields
);
one_form_section!(
    OpeningHours,
    OpeningHoursForm,
    SectionKind::Aabningstider,
    load_aabningstider,
    "aabningstider_hent",
    save_aabningstider,
    "aabningstider_gem",
    AabningstiderPage,
    SaveAabningstider,
    aabningstider_fields
);
one_form_section!(
    Kontakt,
    KontaktForm,
    SectionKind::Kontakt,
    load_kontakt,
    "kontakt_hent",
    save_kontakt,
    "kontakt_gem",
    KontaktPage,
    SaveKontakt,
    kontakt_fields
);

/// A form's fields as name → text (unticked checkboxes are empty).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Values(BTreeMap<String, String>);

impl Values {
    pub fn of<F: Serialize>(form: &F) -> Self {
        let mut map = BTreeMap::new();
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(form) {
            for (name, value) in fields {
                map.insert(name, value.as_str().unwrap_or_default().to_string());
            }
        }
        Values(map)
    }

    pub fn get(&self, name: &str) -> String {
        self.0.get(name).cloned().unwrap_or_default()
    }

    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
}

/// What a section's form starts from, all of it read by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct FormStart {
    pub workspace: Workspace,
    /// What a failed plain post left, else what is saved.
    pub values: Values,
    /// The failed plain post's errors.
    pub errors: FieldErrors,
    pub meta: SectionMeta,
    /// `?gemt=1`: the plain post that led here saved.
    pub saved: bool,
    /// `?bekraeftet=…`: how a plain "Bekræft" post went.
    pub confirmed: Option<String>,
}

impl FormStart {
    /// The start of a loaded section's form, with what a plain post left.
    fn new<T, F: Serialize + Default>(
        workspace: Workspace,
        loaded: Loaded<T>,
        flash: Option<FormFlash>,
        to_form: impl Fn(&T) -> F,
    ) -> Self {
        let (values, errors) = match flash {
            Some(flash) => (Values(flash.values), flash.errors),
            None => (
                Values::of(&loaded.value.as_ref().map(&to_form).unwrap_or_default()),
                FieldErrors::new(),
            ),
        };
        let query = use_query_map();
        let (saved, confirmed) =
            query.with_untracked(|query| (query.get("gemt").is_some(), query.get("bekraeftet")));
        FormStart {
            workspace,
            values,
            errors,
            meta: loaded.meta,
            saved,
            confirmed,
        }
    }
}

/// The form's field names in declaration order, for the error summary.
pub(super) fn field_order<F: Serialize + Default>() -> Vec<String> {
    match serde_json::to_value(F::default()) {
        Ok(serde_json::Value::Object(fields)) => fields.into_iter().map(|(name, _)| name).collect(),
        _ => Vec::new(),
    }
}

/// A page's data with what a plain form post left for it.
pub(super) type WithFlash<T> = (Result<T, AppError>, Option<FormFlash>);

/// Load a page's data and, on its first load only, the flash of `form`. One
/// resource per page: SSR then waits on a single future, and a refetch after a
/// save does not ask for a flash that cannot be there.
pub(super) async fn with_flash<T>(
    form: &'static str,
    first_load: bool,
    load: impl std::future::Future<Output = Result<T, AppError>>,
) -> WithFlash<T> {
    let loaded = load.await;
    let flash = if first_load {
        take_form_flash(form.to_string()).await.ok().flatten()
    } else {
        None
    };
    (loaded, flash)
}

/// A one-form section's page around its island `form`: the title, and the
/// loaded section or why it could not be loaded.
#[component]
pub(super) fn SectionPage<T, F, V>(
    kind: SectionKind,
    workspace: Workspace,
    loaded: Resource<WithFlash<Loaded<T>>>,
    to_form: fn(&T) -> F,
    form: fn(FormStart) -> V,
) -> impl IntoView
where
    T: Section,
    F: Serialize + Default + 'static,
    V: IntoView + 'static,
{
    view! {
        <Title text=kind.label() />
        <Suspense fallback=|| view! { <p>"Henter …"</p> }>
            {move || {
                let workspace = workspace.clone();
                Suspend::new(async move {
                    match loaded.await {
                        (Ok(loaded), flash) => form(FormStart::new(workspace, loaded, flash, to_form)).into_any(),
                        (Err(error), _) => view! { <crate::pages::ErrorAlert error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The common shape of the one-form sections' forms, with the section's
/// header above them. The whole is one region (`data-swap`): with
/// JavaScript a save redraws it in place from the server's answer, so the
/// version, "Sidst opdateret" and "Gemt." follow each save and keyboard
/// focus stays put. `data-check` names the form's instant check
/// (`instant_check`).
#[component]
pub(super) fn OneFormSection<A, V>(
    kind: SectionKind,
    action: ServerAction<A>,
    start: FormStart,
    /// The form's field names in the order they appear, for the error summary.
    order: Vec<String>,
    fields: fn(Values, FormErrors) -> V,
) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Output = SectionMeta, Error = AppError> + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let FormStart {
        workspace,
        values,
        errors,
        meta,
        saved,
        confirmed,
    } = start;
    let errors = FormErrors::new(errors);
    let warnings = Signal::stored(meta.warnings.clone());
    provide_context(crate::components::form::FieldWarnings(warnings));
    let version = meta.version;
    let preview = workspace.page("forhaandsvisning");
    view! {
        <div id="afsnit" data-swap="">
            <SectionHeader kind meta saved confirmed workspace=workspace.clone() />
            <ErrorSummary errors fields=order />
            <crate::components::form::WarningSummary warnings section_wide=&["aabningstider"] />
            <form method="post" action=A::url() novalidate class="form" data-check=kind.as_str()>
                <input type="hidden" name="version" value=version />
                <NummerField workspace=workspace.clone() />
                {fields(values, errors)}
                <div class="button-row">
                    <SubmitButton pending=action.pending() label="Gem og offentliggør" primary=true />
                    <a href=preview>"Se siden som forældre ser den"</a>
                </div>
            </form>
        </div>
    }
}

fn profil_fields(values: Values, errors: FormErrors) -> impl IntoView {
    let ages = Aldersgruppe::ALL
        .iter()
        .map(|age| view! { <Checkbox name=age.field() label=age.label() checked=values.checked(age.field()) /> })
        .collect_view();
    view! {
        <TextArea
            name="paedagogisk_profil"
            label="Pædagogisk profil"
            hint="Fortæl forældrene, hvad der kendetegner jeres hverdag og pædagogik. Almindelig tekst; linjeskift bevares."
            value=values.get("paedagogisk_profil")
            max_chars=4000
            errors
        />
        <div class="form-group" id="tags">
            <fieldset>
                <legend>"Profil"</legend>
                <span class="form-hint">"Vælg det, der passer på jer."</span>
                {ProfilTag::ALL.iter().map(|tag| view! { <Checkbox name=tag.field() label=tag.label() checked=values.checked(tag.field()) /> }).collect_view()}
            </fieldset>
        </div>
        <crate::components::form::Fieldset name="aldersgrupper" legend="Aldersgrupper" errors>
            {ages}
        </crate::components::form::Fieldset>
        <TextField name="pladser" label="Antal pladser" class="input-char-8" value=values.get("pladser") errors hint="Et helt tal, fx 60." />
        <TextField name="udeareal_m2" label="Udeareal i m² (valgfrit)" class="input-char-8" value=values.get("udeareal_m2") errors />
        <TextField name="hjemmeside" label="Hjemmeside (valgfrit)" input_type="url" value=values.get("hjemmeside") errors hint="Skal begynde med https://, fx https://solsikken.dk" />
    }
}

fn madordning_fields(values: Values, errors: FormErrors) -> impl IntoView {
    use crate::components::form::Fieldset;
    let frokost = values.get("frokostordning");
    let tilberedes = values.get("tilberedes");
    let oekologi = values.get("oekologi");
    let who = Tilberedning::ALL
        .iter()
        .map(|t| view! { <Radio name="tilberedes" value=t.as_str() label=t.label() checked=tilberedes == t.as_str() /> })
        .collect_view();
    let meals = Maaltid::ALL
        .iter()
        .map(|m| view! { <Checkbox name=m.field() label=m.label() checked=values.checked(m.field()) /> })
        .collect_view();
    let organic = Oekologi::ALL
        .iter()
        .map(|o| view! { <Radio name="oekologi" value=o.as_str() label=o.label() checked=oekologi == o.as_str() /> })
        .collect_view();
    let considerations = Hensyn::ALL
        .iter()
        .map(|h| view! { <Checkbox name=h.field() label=h.label() checked=values.checked(h.field()) /> })
        .collect_view();
    let price = values.get("pris_pr_maaned");
    let note = values.get("bemaerkning");
    view! {
        <Fieldset name="frokostordning" legend="Tilbyder I en frokostordning?" errors>
            <Radio name="frokostordning" value="ja" label="Ja" checked=frokost == "ja" />
            <Radio name="frokostordning" value="nej" label="Nej" checked=frokost == "nej" />
        </Fieldset>
        <Fieldset name="tilberedes" legend="Hvem laver maden?" hint="Kun hvis I har en frokostordning." errors>
            {who}
        </Fieldset>
        <Fieldset name="maaltider" legend="Måltider" errors>
            {meals}
        </Fieldset>
        <Fieldset name="oekologi" legend="Økologi (Det Økologiske Spisemærke)" errors>
            {organic}
        </Fieldset>
        <Fieldset name="hensyn" legend="Hensyn" errors>
            {considerations}
        </Fieldset>
        <TextField name="pris_pr_maaned" label="Forældrebetaling for mad pr. måned i kroner (valgfrit)" class="input-char-8" value=price errors hint="Fx 850" />
        <TextArea name="bemaerkning" label="Bemærkning (valgfrit)" value=note max_chars=1000 rows=4 errors />
    }
}

fn aabningstider_fields(values: Values, errors: FormErrors) -> impl IntoView {
    // The weekly hours of what the form holds now (saved or just typed).
    let form: OpeningHoursForm = serde_json::to_value(&values.0)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let weekly = form
        .parse(super::checks::today())
        .ok()
        .map(|hours| hours.weekly_hours_text());
    view! {
        {weekly.map(|w| view! { <p class="stats" data-testid="ugentlige-timer">{format!("Åbent {w} om ugen.")}</p> })}
        <p class="form-hint">"Skriv tiderne som tt:mm, fx 06:30 og 17:00. Sæt flueben ved de dage, I har åbent."</p>
        {DAY_FIELDS.iter().zip(DAY_LABELS).map(|([open, from, to], day)| {
            let open_label = format!("Åbent {}", day.to_lowercase());
            let from_label = format!("{day} åbner");
            let to_label = format!("{day} lukker");
            view! {
                <fieldset class="day-row">
                    <legend>{day}</legend>
                    <Checkbox name=open label=open_label checked=values.checked(open) />
                    <TextField name=from label=from_label class="input-char-8" value=values.get(from) errors />
                    <TextField name=to label=to_label class="input-char-8" value=values.get(to) errors />
                </fieldset>
            }
        }).collect_view()}
        <TextArea name="bemaerkning" label="Bemærkning (valgfrit)" value=values.get("bemaerkning") max_chars=500 rows=3 errors />
    }
}

fn kontakt_fields(values: Values, errors: FormErrors) -> impl IntoView {
    view! {
        <h2>"Besøgsadresse"</h2>
        <TextField name="vejnavn" label="Vejnavn" value=values.get("vejnavn") errors autocomplete="address-line1" />
        <TextField name="husnummer" label="Husnummer" class="input-char-8" value=values.get("husnummer") errors />
        <TextField name="postnummer" label="Postnummer" class="input-char-4" value=values.get("postnummer") errors autocomplete="postal-code" />
        <TextField name="by" label="By" class="input-medium" value=values.get("by") errors autocomplete="address-level2" />
        <h2>"Kontakt"</h2>
        <TextField name="telefon" label="Telefon" input_type="tel" class="input-medium" value=values.get("telefon") errors hint="8 cifre, fx 23 45 67 89" />
        <TextField name="email" label="E-mail" input_type="email" value=values.get("email") errors />
        <TextField name="hjemmeside" label="Hjemmeside (valgfrit)" input_type="url" value=values.get("hjemmeside") errors hint="Skal begynde med https://" />
        <TextField name="leder" label="Leder" value=values.get("leder") errors autocomplete="name" />
        <TextField name="kontaktperson" label="Kontaktperson (valgfrit)" value=values.get("kontaktperson") errors />
    }
}
