import { expect, test } from "./fixtures";
import { collectErrors, DEMO, expectNoAxeViolations, logInAsAdmin, sql, waitForHydration } from "./helpers";

test("the kommune administrator issues letters for three institutions and one logs in with its code", async ({
  page,
  browser,
}) => {
  const errors = collectErrors(page);
  // Three of the demo kommune's institutions that no other test logs in with.
  const numbers = sql(
    "SELECT string_agg(nummer, ',' ORDER BY nummer) FROM (SELECT nummer FROM institutions " +
      "WHERE kommunekode = 746 AND status = 'aktiv' AND nummer <> 'G10234' AND nummer NOT LIKE 'D%' " +
      "AND institution_type <> 'dagpleje' " +
      "ORDER BY nummer OFFSET 1 LIMIT 3) t",
  ).split(",");
  expect(numbers).toHaveLength(3);

  await logInAsAdmin(page, DEMO.kommune);
  await expect(page).toHaveURL(/\/kommune$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Skanderborg Kommune");
  await expect(page.getByRole("img", { name: /Udfyldte afsnit blandt/ })).toBeVisible();
  await expectNoAxeViolations(page);

  // Filters are a plain GET form: the view is in the address.
  await page.getByLabel("Sortér efter").selectOption("nummer");
  await page.getByRole("button", { name: "Vis", exact: true }).click();
  await expect(page).toHaveURL(/sorter=nummer/);
  for (const nummer of numbers) {
    await page.getByRole("checkbox", { name: new RegExp(`\\(${nummer}\\)$`) }).check();
  }
  const [letters] = await Promise.all([
    page.waitForEvent("popup"),
    page.getByRole("button", { name: "Vis breve til udskrift" }).first().click(),
  ]);
  await letters.waitForLoadState();
  await expect(letters.locator("article.letter")).toHaveCount(3);
  const text = await letters.locator("article.letter").first().innerText();
  const nummer = /institutionsnummeret: ([A-Z0-9]{6})/.exec(text)![1];
  const code = /engangskoden: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(text)![1];
  expect(numbers).toContain(nummer);
  expect(Number(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'kode_udstedt'"))).toBeGreaterThanOrEqual(3);

  // The institution logs in with the code from its letter, in its own browser.
  const institution = await (await browser.newContext()).newPage();
  await institution.goto("/log-ind");
  await institution.getByLabel("Institutionsnummer").fill(nummer);
  await institution.getByLabel("Kodeord").fill(code);
  await institution.getByRole("button", { name: "Log ind" }).click();
  await expect(institution).toHaveURL(/\/vaelg-adgangskode$/);

  // The overview now counts it as logged in.
  await page.goto(`/kommune?soeg=${nummer}`);
  await expect(page.getByRole("row", { name: new RegExp(nummer) }).getByRole("cell").nth(5)).toHaveText("Ja");

  // Sections nobody has changed or confirmed for half a year: the ones to ask about.
  const stale = sql(
    "SELECT count(DISTINCT i.id) FROM institutions i JOIN institution_sections s ON s.institution_id = i.id " +
      "WHERE i.kommunekode = 746 AND i.status = 'aktiv' AND i.institution_type <> 'dagpleje' " +
      "AND GREATEST(s.updated_at, s.confirmed_at) < now() - interval '182 days'",
  );
  expect(Number(stale)).toBeGreaterThan(0);
  await page.goto("/kommune");
  await expect(page.getByText(`${stale} dagtilbud har afsnit, der bør ses efter`)).toBeVisible();
  await page.getByLabel(/Kun dagtilbud med afsnit, der bør ses efter/).check();
  await page.getByLabel("Sortér efter").selectOption("bekraeftet");
  await page.getByRole("button", { name: "Vis", exact: true }).click();
  await expect(page).toHaveURL(/foraeldet=1/);
  await expect(page.getByRole("status").filter({ hasText: "dagtilbud matcher" })).toContainText(`${stale} dagtilbud matcher`);
  expect(errors).toEqual([]);
});

test("the kommune administrator creates an institution, works on its behalf, resets its code and closes it", async ({
  page,
}) => {
  const errors = collectErrors(page);
  await logInAsAdmin(page, DEMO.kommune);
  await expect(page).toHaveURL(/\/kommune$/);

  // Create: a missing field is named in the summary, then fixed.
  await page.getByRole("link", { name: "Opret dagtilbud" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Opret dagtilbud");
  await waitForHydration(page);
  await expectNoAxeViolations(page);
  await page.getByLabel("Navn", { exact: true }).fill("Børnehuset Bakketoppen");
  await page.getByLabel("Type").selectOption("integreret");
  await page.getByLabel("Ejerform").selectOption("selvejende");
  await page.getByLabel("Vejnavn").fill("Bakkevej");
  await page.getByLabel("Husnummer").fill("3");
  await page.getByRole("button", { name: "Opret dagtilbud" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "Der er problemer med formularen" });
  await expect(summary).toContainText("postnummeret");
  await expect(summary).toBeFocused();
  await expect(page.getByLabel("Navn", { exact: true })).toHaveValue("Børnehuset Bakketoppen");
  await page.getByLabel("Postnummer").fill("8660");
  await page.getByRole("button", { name: "Opret dagtilbud" }).click();
  await expect(page).toHaveURL(/\/kommune\/dagtilbud\/D\d{5}\?oprettet=1$/);
  const nummer = /dagtilbud\/(D\d{5})/.exec(page.url())![1];
  await expect(page.getByRole("status").filter({ hasText: "Dagtilbuddet er oprettet" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Børnehuset Bakketoppen");
  await expectNoAxeViolations(page);

  // Åbningstider on its behalf: the same form and rules as the institution's own.
  await page.getByRole("link", { name: "Åbningstider" }).click();
  await expect(page).toHaveURL(new RegExp(`/kommune/dagtilbud/${nummer}/aabningstider$`));
  await waitForHydration(page);
  await page.getByLabel("Åbent mandag").check();
  await page.getByLabel("Mandag åbner").fill("07:00");
  await page.getByLabel("Mandag lukker").fill("16:00");
  await page.getByRole("button", { name: "Gem og offentliggør" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Gemt." })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Tilbage til oversigten" }).click();
  await expect(page.getByRole("row", { name: /Åbningstider/ })).toContainText("Udfyldt");
  await page.getByRole("link", { name: "Se alle ændringer (historik)" }).click();
  await expect(page.getByText("Gemt af kommunen").first()).toBeVisible();
  expect(sql(`SELECT actor_role FROM section_history h JOIN institutions i ON i.id = h.institution_id WHERE i.nummer = '${nummer}'`)).toBe(
    "kommune",
  );

  // A new code for this one institution, as a letter.
  await page.goto(`/kommune/dagtilbud/${nummer}`);
  await page.getByRole("button", { name: "Lav ny kode og vis brevet" }).click();
  await expect(page.locator("article.letter")).toHaveCount(1);
  await expect(page.locator("article.letter")).toContainText(nummer);

  // Close it: confirmation is required, then it is closed and read-only.
  await page.goto(`/kommune/dagtilbud/${nummer}`);
  await waitForHydration(page);
  // The server's "today" is Danish (after 23:00 UTC it is already tomorrow there).
  const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Copenhagen" }).format(new Date());
  await page.getByLabel("Lukket den").fill(today);
  await page.getByRole("button", { name: "Luk dagtilbuddet" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Sæt kryds" })).toBeVisible();
  // A failed close keeps what was typed (the page is not fetched again).
  await expect(page.getByLabel("Lukket den")).toHaveValue(today);
  await page.getByLabel(/Ja, luk Børnehuset Bakketoppen/).check();
  await page.getByRole("button", { name: "Luk dagtilbuddet" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Dagtilbuddet er lukket" })).toBeVisible();
  await expect(page.getByText(/^Lukket den /)).toBeVisible();
  expect(sql(`SELECT status FROM institutions WHERE nummer = '${nummer}'`)).toBe("nedlagt");
  expect(errors).toEqual([]);
});
