//! The kinds of event in the audit log, as stored and as shown: shared by
//! support's log page and the institution timeline.

/// The kinds of event, as stored and as shown.
pub const ACTIONS: [(&str, &str); 30] = [
    ("log_ind", "Log-ind"),
    ("log_ind_afvist", "Afvist log-ind"),
    ("log_ud", "Log-ud"),
    ("adgangskode_valgt", "Adgangskode valgt"),
    ("adgangskode_skiftet", "Adgangskode skiftet"),
    ("adgang_afvist", "Adgang afvist"),
    ("eksport_hentet", "Udtræk hentet"),
    ("breve_hentet", "Log-in-breve hentet"),
    ("afsnit_gemt", "Afsnit gemt"),
    ("afsnit_bekraeftet", "Afsnit bekræftet rigtigt"),
    ("kode_udstedt", "Engangskode udstedt"),
    ("dagtilbud_oprettet", "Dagtilbud oprettet"),
    ("dagtilbud_lukket", "Dagtilbud lukket"),
    ("register_importeret", "Registerimport"),
    ("support_oprettet", "Supportkonto oprettet (kommandolinje)"),
    ("konto_oprettet", "Konto oprettet"),
    ("konto_flyttet", "Konto flyttet til anden kommune"),
    ("konto_spaerret", "Konto spærret"),
    ("konto_genaabnet", "Konto åbnet igen"),
    ("adgangskode_nulstillet", "Engangsadgangskode lavet"),
    ("dagtilbud_rettet", "Stamdata rettet"),
    ("api_noegle_oprettet", "API-nøgle lavet"),
    ("api_noegle_spaerret", "API-nøgle spærret"),
    ("totrin_oprettet", "Totrinsbekræftelse sat op"),
    ("totrin_nulstillet", "Totrinsbekræftelse nulstillet"),
    ("faelles_lukkedag_oprettet", "Fælles lukkedag oprettet"),
    ("faelles_lukkedag_rettet", "Fælles lukkedag rettet"),
    ("faelles_lukkedag_slettet", "Fælles lukkedag slettet"),
    ("paamindelser_sendt", "Påmindelser sendt"),
    ("paamindelse", "Påmindelse om at se oplysningerne efter"),
];

/// The Danish name of a kind of event (the stored key if it is unknown).
pub fn action_label(action: &str) -> String {
    ACTIONS
        .iter()
        .find(|(key, _)| *key == action)
        .map(|(_, label)| label.to_string())
        .unwrap_or_else(|| action.to_string())
}
