//! The sixth section, only a dagpleje's: gæstedagpleje, reported by the
//! kommune (or support) like the one-form sections in `forms.rs`.

use leptos::prelude::*;

use super::forms::{
    field_order, one_form_section, with_flash, FormStart, OneFormSection, SectionPage, Values,
};
use super::Workspace;
use crate::components::form::{Fieldset, FormErrors, Radio, TextArea, TextField};
use crate::domain::sections::gaestedagpleje::BESKRIVELSE_MAX_CHARS;
use crate::domain::sections::{Gaestedagpleje, GaestedagplejeForm, Gaesteordning};
use crate::domain::sections::{Loaded, SectionKind, SectionMeta};
use crate::error::AppError;

one_form_section!(
    Gaestedagpleje,
    GaestedagplejeForm,
    SectionKind::Gaestedagpleje,
    load_gaestedagpleje,
    "gaestedagpleje_hent",
    save_gaestedagpleje,
    "gaestedagpleje_gem",
    GaestedagplejePage,
    SaveGaestedagpleje,
    gaestedagpleje_fields
);

fn gaestedagpleje_fields(values: Values, errors: FormErrors) -> impl IntoView {
    let ordning = values.get("ordning");
    let choices = Gaesteordning::ALL
        .iter()
        .map(|o| view! { <Radio name="ordning" value=o.as_str() label=o.label() checked=ordning == o.as_str() /> })
        .collect_view();
    view! {
        <p class="form-hint">
            "Beskriv ordningen, ikke personerne: skriv ikke dagplejeres navne eller hjemmeadresser."
        </p>
        <Fieldset name="ordning" legend="Hvor passes barnet, når dagplejeren er syg eller holder fri?" errors>
            {choices}
        </Fieldset>
        <TextField
            name="sted"
            label="Gæstehus (navn og adresse)"
            value=values.get("sted")
            errors
            hint="Kun hvis I bruger et gæstehus, fx Gæstehuset Mejsen, Skolevej 4, 8680 Ry."
        />
        <TextArea
            name="beskrivelse"
            label="Sådan foregår det"
            value=values.get("beskrivelse")
            max_chars=BESKRIVELSE_MAX_CHARS
            rows=5
            errors
            hint="Fx hvornår forældrene får besked, og om børnene kender stedet på forhånd."
        />
    }
}
