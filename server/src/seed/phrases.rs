//! The building blocks of the demo's invented reports: sentences for the
//! pedagogical profiles, and invented first and last names for contacts.

pub(super) const OPENINGS: &[&str] = &[
    "{navn} er et hus med plads til leg, nærvær og fordybelse.",
    "Hos {navn} tager vi udgangspunkt i det enkelte barn og i fællesskabet.",
    "{navn} ligger i {by}, tæt på natur, skole og bibliotek.",
    "Vi er et mellemstort dagtilbud i {by}, hvor børn og voksne kender hinanden godt.",
    "{navn} er et dagtilbud, hvor hverdagen er rolig og forudsigelig.",
];
pub(super) const FOCUS: &[(&str, &str)] = &[
    (
        "natur",
        "Vi er ude hver dag, året rundt, og bruger skoven og stranden som læringsrum.",
    ),
    (
        "idraet",
        "Bevægelse er en fast del af dagen: motorikbaner, boldlege og ture i hallen.",
    ),
    (
        "sprog",
        "Vi arbejder med sprog i alt, vi gør: dialogisk læsning, rim og sange i små grupper.",
    ),
    (
        "musik",
        "Musik og rytmik fylder meget, og hver uge synger vi sammen med hele huset.",
    ),
    (
        "kunst",
        "Børnene maler, bygger og former i vores værksted, og vi besøger kunstmuseet.",
    ),
    (
        "science",
        "Vi undersøger verden sammen: vand, vejr, dyr og små eksperimenter i hverdagen.",
    ),
    (
        "skov",
        "Store dele af dagen foregår i vores skovbase med bål, shelter og værksted.",
    ),
    (
        "flersproget",
        "Mange børn er flersprogede, og vi bruger alle børnenes sprog som en styrke.",
    ),
];
pub(super) const DAYS: &[&str] = &[
    "Dagen har en fast rytme med samling, måltider og tid til fri leg.",
    "Vi arbejder i mindre grupper, så alle børn bliver set og hørt hver dag.",
    "Om formiddagen er der planlagte aktiviteter, om eftermiddagen fri leg ude og inde.",
    "Overgange, fx fra vuggestue til børnehave, planlægger vi sammen med forældrene.",
];
pub(super) const PARENTS: &[&str] = &[
    "Et tæt samarbejde med forældrene er vigtigt for os; vi holder samtaler mindst en gang om året.",
    "Forældrebestyrelsen er aktiv og er med til at sætte retningen for huset.",
    "I vores forældreapp kan I følge med i hverdagen med billeder og beskeder.",
    "Vi lægger vægt på en god dialog ved aflevering og afhentning.",
];
pub(super) const FIRST_NAMES: &[&str] = &[
    "Anne", "Mette", "Lone", "Helle", "Susanne", "Camilla", "Louise", "Maria", "Sofie", "Ida", "Peter",
    "Jens", "Mads", "Rasmus", "Thomas", "Lars", "Søren", "Kasper", "Jonas", "Mikkel", "Hanne", "Pia",
    "Trine", "Nanna",
];
pub(super) const LAST_NAMES: &[&str] = &[
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Holm",
    "Lund",
    "Dam",
];

pub(super) const GUEST_NOTES: &[&str] = &[
    "Når dagplejeren er syg, ringer dagplejekontoret til jer inden kl. 7.",
    "Ved sygdom får I en sms fra dagplejekontoret om morgenen med besked om, hvor barnet skal passes.",
    "Dagplejepædagogen aftaler gæstepladsen med jer, og barnet besøger stedet nogle gange, før det skal passes der.",
];
