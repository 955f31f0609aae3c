import { expect, test } from "./fixtures";
import {
  collectErrors,
  DEMO,
  enterTotp,
  expectNoAxeViolations,
  issueCode,
  logInAsAdmin,
  sql,
  waitForHydration,
} from "./helpers";

test("an institution logs in with its letter code, chooses a password, logs out and in again", async ({ page }) => {
  const errors = collectErrors(page);
  const nummer = sql(
    "SELECT nummer FROM institutions WHERE status = 'aktiv' AND kommunekode = 746 AND nummer <> 'G10234' " +
      "AND institution_type <> 'dagpleje' ORDER BY nummer LIMIT 1",
  );
  const code = issueCode(nummer);
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

  await page.goto("/log-ind");
  await waitForHydration(page);
  await expectNoAxeViolations(page);
  await page.getByLabel("Institutionsnummer").fill(nummer.toLowerCase());
  await page.getByLabel("Kodeord").fill(code);
  await page.getByRole("button", { name: "Log ind" }).click();

  await expect(page).toHaveURL(/\/vaelg-adgangskode$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vælg ny adgangskode");
  await expectNoAxeViolations(page);
  // Nothing else is reachable before a password is chosen.
  await page.goto("/indberetning");
  await expect(page).toHaveURL(/\/vaelg-adgangskode$/);
  await waitForHydration(page);

  // A too short password is caught in the browser, on the spot.
  await page.getByLabel("Ny adgangskode", { exact: true }).fill("kort");
  await page.getByLabel("Gentag ny adgangskode").focus();
  await expect(page.locator("#ny_adgangskode-fejl")).toContainText("mindst 12 tegn");

  const password = "mælkebøtter på marken";
  await page.getByLabel("Ny adgangskode", { exact: true }).fill(password);
  await page.getByLabel("Gentag ny adgangskode").fill(password);
  await page.getByRole("button", { name: "Gem adgangskode" }).click();
  await expect(page).toHaveURL(/\/indberetning$/);
  await expect(page.getByRole("heading", { name: "Stamdata fra Dagtilbudsregisteret" })).toBeVisible();
  await expect(page.getByText(nummer, { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Log ud" }).click();
  await expect(page).toHaveURL(/\/\?logget-ud=1$/);
  await page.goto("/indberetning");
  await expect(page).toHaveURL(/\/log-ind\?naeste=/);

  await waitForHydration(page);
  await page.getByLabel("Institutionsnummer").fill(nummer);
  await page.getByLabel("Kodeord").fill(password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/indberetning$/);

  // Changing the password from the header, with the current one.
  await page.getByRole("link", { name: "Skift adgangskode" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Skift adgangskode");
  await waitForHydration(page);
  await expectNoAxeViolations(page);
  const newer = "blæksprutter i havnen";
  await page.getByLabel("Nuværende adgangskode").fill("ikke den rigtige kode");
  await page.getByLabel("Ny adgangskode", { exact: true }).fill(newer);
  await page.getByLabel("Gentag ny adgangskode").fill(newer);
  await page.getByRole("button", { name: "Skift adgangskode" }).click();
  await expect(page.locator("#nuvaerende_adgangskode-fejl")).toContainText("forkert");
  await page.getByLabel("Nuværende adgangskode").fill(password);
  await page.getByRole("button", { name: "Skift adgangskode" }).click();
  await expect(page.getByText("Adgangskoden er skiftet.")).toBeVisible();
  expect(errors).toEqual([]);
});

test("the kommune administrator and support land on their start pages", async ({ page }) => {
  await page.goto("/admin/log-ind");
  await waitForHydration(page);
  await expectNoAxeViolations(page);
  await page.getByLabel("E-mail").fill(DEMO.kommune.email);
  await page.getByLabel("Adgangskode").fill(DEMO.kommune.password);
  await page.getByRole("button", { name: "Log ind" }).click();
  // The password alone is not enough: the code from the app comes next.
  await expect(page).toHaveURL(/\/admin\/totrin$/);
  await waitForHydration(page);
  await expectNoAxeViolations(page);
  await enterTotp(page, DEMO.kommune.email, DEMO.kommune.totp);
  await expect(page).toHaveURL(/\/kommune$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Skanderborg Kommune");
  // A kommune administrator may not open support's pages.
  const forbidden = await page.goto("/support");
  expect(forbidden?.status()).toBe(403);
  await page.goto("/kommune");
  await page.getByRole("button", { name: "Log ud" }).click();
  await expect(page).toHaveURL(/logget-ud/);

  await logInAsAdmin(page, DEMO.support);
  await expect(page).toHaveURL(/\/support$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Support");
});

test("a wrong password shows the error summary and keeps the number", async ({ page }) => {
  await page.goto("/log-ind");
  await waitForHydration(page);
  await page.getByLabel("Institutionsnummer").fill(DEMO.institution.nummer);
  await page.getByLabel("Kodeord").fill("ikke det rigtige kodeord");
  await page.getByRole("button", { name: "Log ind" }).click();
  const summary = page.locator(".error-summary");
  await expect(summary).toContainText("Institutionsnummer eller kodeord er forkert.");
  await expect(summary).toBeFocused();
  await expect(page.getByLabel("Institutionsnummer")).toHaveValue(DEMO.institution.nummer);
  await expectNoAxeViolations(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("log-in errors come back from the server and log-in works", async ({ page }) => {
    await page.goto("/log-ind");
    await page.getByLabel("Institutionsnummer").fill("g1023");
    await page.getByRole("button", { name: "Log ind" }).click();
    await expect(page.locator(".error-summary")).toContainText("Institutionsnummeret skal være 6 tegn");
    await expect(page.locator(".error-summary")).toContainText("Skriv kodeordet");
    await expect(page.getByLabel("Institutionsnummer")).toHaveValue("g1023");
    // (axe-core needs JavaScript; the same page is scanned in the tests above.)

    await page.getByLabel("Institutionsnummer").fill(DEMO.institution.nummer);
    await page.getByLabel("Kodeord").fill(DEMO.institution.password);
    await page.getByRole("button", { name: "Log ind" }).click();
    await expect(page).toHaveURL(/\/indberetning$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Børnehuset Solsikken");
    await page.getByRole("button", { name: "Log ud" }).click();
    await expect(page).toHaveURL(/logget-ud/);
  });
});
