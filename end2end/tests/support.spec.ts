import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { collectErrors, DEMO, expectNoAxeViolations, logInAsAdmin, sql, waitForHydration } from "./helpers";

async function logInAsSupport(page: Page) {
  await logInAsAdmin(page, DEMO.support);
  await expect(page).toHaveURL(/\/support$/);
}

test("support finds an institution by name, resets its code, and the institution logs in with the new code", async ({
  page,
  browser,
}) => {
  const errors = collectErrors(page);
  // An institution of another kommune than the demo kommune's, which no other test uses.
  const [nummer, navn] = sql(
    "SELECT nummer || '|' || navn FROM institutions WHERE kommunekode = 101 AND status = 'aktiv' " +
      "AND navn NOT LIKE '%|%' AND institution_type <> 'dagpleje' ORDER BY nummer LIMIT 1",
  ).split("|");

  await logInAsSupport(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Support");
  await expectNoAxeViolations(page);

  // The search is a plain GET form; the result links to the institution.
  await page.getByLabel("Navn, vejnavn eller institutionsnummer").fill(navn);
  await page.getByRole("button", { name: "Søg", exact: true }).click();
  await expect(page).toHaveURL(/\/support\?soeg=/);
  await page.getByRole("link", { name: navn, exact: true }).first().click();
  await expect(page).toHaveURL(new RegExp(`/support/dagtilbud/${nummer}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(navn);
  await expect(page.getByText("København Kommune")).toBeVisible();
  await expectNoAxeViolations(page);

  // The new code comes as the kommune's letter, shown once.
  await page.getByRole("button", { name: "Lav ny kode og vis brevet" }).click();
  const letter = await page.locator("article.letter").innerText();
  const code = /engangskoden: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(letter)![1];
  expect(letter).toContain(nummer);
  expect(sql(`SELECT actor_role FROM audit_log WHERE action = 'kode_udstedt' ORDER BY id DESC LIMIT 1`)).toBe("support");

  // The institution logs in with it in its own browser.
  const institution = await (await browser.newContext()).newPage();
  await institution.goto("/log-ind");
  await institution.getByLabel("Institutionsnummer").fill(nummer);
  await institution.getByLabel("Kodeord").fill(code);
  await institution.getByRole("button", { name: "Log ind" }).click();
  await expect(institution).toHaveURL(/\/vaelg-adgangskode$/);

  // Support's timeline tells the story without the raw log.
  await page.goto(`/support/dagtilbud/${nummer}`);
  await waitForHydration(page);
  const timeline = page.getByRole("region", { name: "Log-in og hændelser" });
  await expect(timeline).toContainText("Koden er brugt, men der er ikke valgt en adgangskode endnu.");
  await expect(timeline.getByRole("row").filter({ hasText: "med engangskoden" })).toHaveCount(1);
  await expect(timeline.getByRole("row").filter({ hasText: "Engangskode udstedt" }).first()).toContainText(DEMO.support.email);
  await expect(timeline).not.toContainText(code);
  await expectNoAxeViolations(page);
  expect(errors).toEqual([]);
});

test("support creates a kommune administrator, whose single-use password works once, and the log shows it", async ({
  page,
  browser,
}) => {
  const errors = collectErrors(page);
  await logInAsSupport(page);
  await page.getByRole("link", { name: "Administratorkonti" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Administratorkonti");
  await waitForHydration(page);
  await expectNoAxeViolations(page);

  // A missing kommune is named in the summary; what was typed stays.
  const form = page.getByRole("region", { name: "Opret konto" });
  await form.getByLabel("E-mail").fill("ny.admin@aarhus.example");
  await form.getByLabel("Navn", { exact: true }).fill("Ny Administrator");
  await form.getByLabel("Rolle").selectOption("kommune");
  await form.getByRole("button", { name: "Opret konto" }).click();
  await expect(page.locator(".error-summary")).toContainText("Vælg den kommune, kommuneadministratoren arbejder for");
  await expect(form.getByLabel("E-mail")).toHaveValue("ny.admin@aarhus.example");
  await form.getByLabel("Kommune (kun kommuneadministratorer)").selectOption("751");
  await form.getByRole("button", { name: "Opret konto" }).click();
  await expect(page).toHaveURL(/\/support\/konti\/\d+\?oprettet=1$/);
  await expect(page.getByText("Mangler engangsadgangskode")).toBeVisible();

  await page.getByRole("button", { name: "Lav engangsadgangskode" }).click();
  const password = (await page.locator(".one-time-secret strong").innerText()).trim();
  expect(password).toMatch(/^[A-Z2-9]{24}$/);

  const admin = await (await browser.newContext()).newPage();
  await admin.goto("/admin/log-ind");
  await admin.getByLabel("E-mail").fill("ny.admin@aarhus.example");
  await admin.getByLabel("Adgangskode").fill(password);
  await admin.getByRole("button", { name: "Log ind" }).click();
  await expect(admin).toHaveURL(/\/vaelg-adgangskode$/);

  await page.goto("/support/log?konto=ny.admin%40aarhus.example");
  await expect(page.getByRole("cell", { name: "Engangsadgangskode lavet" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Log-ind", exact: true })).toBeVisible();
  await expect(page.locator("body")).not.toContainText(password);
  await expectNoAxeViolations(page);
  expect(errors).toEqual([]);
});
