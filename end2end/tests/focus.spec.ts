import { expect, test } from "./fixtures";
import { DEMO, logInAsAdmin, sql, waitForHydration } from "./helpers";

// Keyboard focus in the WASM forms (WCAG 2.4.3): where focus is after each step.
const active = (page: import("@playwright/test").Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el ? `${el.tagName.toLowerCase()}#${el.id}.${el.className}` : "none";
  });

test("focus follows the keyboard through a section form with JavaScript", async ({ page }) => {
  await page.goto("/log-ind");
  await page.getByLabel("Institutionsnummer").fill(DEMO.institution.nummer);
  await page.getByLabel("Kodeord").fill(DEMO.institution.password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/indberetning$/);
  await page.goto("/indberetning/kontakt");
  await waitForHydration(page);
  await page.getByLabel("Vejnavn").fill("Adelgade");
  await page.getByLabel("Husnummer").fill("12");
  await page.getByLabel("Postnummer").fill("8660");
  await page.getByLabel("By", { exact: true }).fill("Skanderborg");
  await page.getByLabel("Telefon").fill("87 94 12 34");
  await page.getByLabel("Leder").fill("Mette Jensen");

  // An instant check shows its message inline; Tab goes on to the next field.
  await page.getByLabel("E-mail").fill("ikke-en-mail");
  await page.keyboard.press("Tab");
  await expect(page.locator("#email-fejl")).toBeVisible();
  expect(await active(page)).toMatch(/^input#hjemmeside\./);

  // A submit the server answers with errors moves focus to the summary.
  await page.getByRole("button", { name: "Gem og offentliggør" }).focus();
  await page.keyboard.press("Space");
  await expect(page.locator(".error-summary")).toBeVisible();
  await expect.poll(() => active(page)).toMatch(/^div#\.error-summary/);

  // A save by keyboard keeps focus on the button, and "Gemt." is announced.
  await page.getByLabel("E-mail").fill("kontakt@solsikken.example");
  const button = page.getByRole("button", { name: "Gem og offentliggør" });
  await button.focus();
  await page.keyboard.press("Space");
  await page.waitForTimeout(50);
  expect(await active(page)).toMatch(/^button#\.button/);
  await expect(page.getByRole("status")).toContainText("Gemt.");
  expect(await active(page)).toMatch(/^button#\.button/);
  await expect(page.getByRole("status")).toHaveAttribute("aria-live", "polite");
});

/** One section form, worked on by the kommune: how to make the server refuse it, and how to fix it. */
type FormCase = {
  section: string;
  refuse: (page: import("@playwright/test").Page) => Promise<void>;
  fix: (page: import("@playwright/test").Page) => Promise<void>;
};

const FORMS: FormCase[] = [
  {
    section: "profil",
    refuse: async (page) => {
      await page.getByLabel("Pædagogisk profil").fill("Vi er mest ude, hele året.");
      await page.getByLabel("Antal pladser").fill("mange");
    },
    fix: (page) => page.getByLabel("Antal pladser").fill("44"),
  },
  {
    section: "madordning",
    refuse: (page) => page.getByLabel(/^Forældrebetaling for mad/).fill("gratis"),
    fix: (page) => page.getByLabel(/^Forældrebetaling for mad/).fill(""),
  },
  {
    section: "aabningstider",
    refuse: async (page) => {
      await page.getByLabel("Åbent mandag").check();
      await page.getByLabel("Mandag åbner").fill("25:00");
      await page.getByLabel("Mandag lukker").fill("17:00");
    },
    fix: (page) => page.getByLabel("Mandag åbner").fill("06:30"),
  },
  {
    section: "gaestedagpleje",
    refuse: async (page) => {
      await page.getByLabel("I kommunens gæstehus").check();
      await page.getByLabel("Gæstehus (navn og adresse)").fill("");
    },
    fix: async (page) => {
      await page.getByLabel("Gæstehus (navn og adresse)").fill("Gæstehuset Mejsen, Skolevej 4, 8680 Ry");
      await page.getByLabel("Sådan foregår det").fill("Dagplejekontoret ringer til jer inden kl. 7.");
    },
  },
];

test("focus stays put in every one-form section, worked on by the kommune", async ({ page }) => {
  // A fully reported, non-private demo institution of the demo kommune that no other test uses, and its dagpleje.
  const institution = sql(
    "SELECT i.nummer FROM institutions i WHERE i.kommunekode = 746 AND i.status = 'aktiv' AND i.ejerform <> 'privat' " +
      "AND i.institution_type <> 'dagpleje' AND i.nummer <> 'G10234' " +
      "AND (SELECT COUNT(*) FROM institution_sections s WHERE s.institution_id = i.id) = 5 ORDER BY i.nummer DESC LIMIT 1",
  );
  const dagpleje = sql(
    "SELECT nummer FROM institutions WHERE kommunekode = 746 AND institution_type = 'dagpleje' AND nummer LIKE 'J%' ORDER BY nummer LIMIT 1",
  );
  expect(institution).toMatch(/^[A-Z]\d{5}$/);
  expect(dagpleje).toMatch(/^J\d{5}$/);
  await logInAsAdmin(page, DEMO.kommune);
  await expect(page).toHaveURL(/\/kommune$/);
  for (const form of FORMS) {
    const nummer = form.section === "gaestedagpleje" ? dagpleje : institution;
    await page.goto(`/kommune/dagtilbud/${nummer}/${form.section}`);
    await waitForHydration(page);
    const button = page.getByRole("button", { name: "Gem og offentliggør" });

    // Refused by the server: focus on the error summary.
    await form.refuse(page);
    await button.focus();
    await page.keyboard.press("Space");
    await expect(page.locator(".error-summary"), form.section).toBeVisible();
    await expect.poll(() => active(page), { message: form.section }).toMatch(/^div#\.error-summary/);

    // Fixed and saved by keyboard: focus stays on the button, "Gemt." is announced.
    await form.fix(page);
    await button.focus();
    await page.keyboard.press("Space");
    await expect(page.getByRole("status").filter({ hasText: "Gemt." }), form.section).toBeVisible();
    expect(await active(page), form.section).toMatch(/^button#\.button/);
  }

  // Lukkedage rebuilds its list and form after each change: focus goes to the new form's button.
  const year = Number(sql("SELECT EXTRACT(YEAR FROM now())::int")) + 1;
  await page.goto(`/kommune/dagtilbud/${institution}/lukkedage`);
  await waitForHydration(page);
  const add = page.getByRole("button", { name: "Tilføj og offentliggør" });
  await page.getByLabel("Fra og med").fill(`${year}-07-10`);
  await page.getByLabel("Til og med").fill(`${year}-07-03`);
  await page.getByLabel("Årsag").fill("Sommerlukning");
  await add.focus();
  await page.keyboard.press("Space");
  await expect(page.locator(".error-summary")).toBeVisible();
  await expect.poll(() => active(page)).toMatch(/^div#\.error-summary/);
  // What was typed is still there.
  await expect(page.getByLabel("Årsag")).toHaveValue("Sommerlukning");
  await page.getByLabel("Til og med").fill(`${year}-07-24`);
  await add.focus();
  await page.keyboard.press("Space");
  await expect(page.getByRole("status").filter({ hasText: "Gemt." })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Sommerlukning" }).first()).toBeVisible();
  await expect.poll(() => active(page)).toMatch(/^button#\.button/);
  await expect(page.getByLabel("Fra og med")).toHaveValue("");
  await expect(add).toBeFocused();
});
