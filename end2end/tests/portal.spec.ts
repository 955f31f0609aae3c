import { expect, test } from "@playwright/test";
import { collectErrors, DEMO, expectNoAxeViolations, sql, waitForHydration } from "./helpers";

test("a parent searches, opens an institution, compares two and sees a new save", async ({ page, browser }) => {
  const errors = collectErrors(page);
  await page.goto("/");
  await page.getByLabel("Navn, institutionsnummer, postnummer, by eller kommune").fill("Skanderborg");
  await page.getByRole("button", { name: "Søg", exact: true }).click();
  await expect(page).toHaveURL(/\?q=Skanderborg/);
  await expect(page.getByRole("status")).toContainText("dagtilbud matcher søgningen");
  await waitForHydration(page);
  await expectNoAxeViolations(page);

  // Choose the demo institution and one more for comparison.
  const other = sql(
    "SELECT nummer FROM institutions WHERE kommunekode = 746 AND status = 'aktiv' AND nummer <> 'G10234' ORDER BY navn LIMIT 1",
  );
  await page.goto(`/?q=${DEMO.institution.nummer}`);
  await page.getByRole("link", { name: "Børnehuset Solsikken" }).click();
  await expect(page).toHaveURL(new RegExp(`/dagtilbud/${DEMO.institution.nummer}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Børnehuset Solsikken");
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Sammenlign med andre dagtilbud" }).click();
  await page.getByLabel("Tilføj et dagtilbud").fill(other);
  await page.getByRole("button", { name: "Tilføj" }).click();
  await expect(page.locator("table.compare thead th")).toHaveCount(2);
  await expectNoAxeViolations(page);

  // The kommune's page.
  await page.goto("/kommuner/746");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dagtilbud i Skanderborg Kommune");
  await expect(page.getByRole("img", { name: /Åbent pr. uge/ })).toBeVisible();
  await expectNoAxeViolations(page);

  // The institution saves; the parent's next look shows it.
  const staff = await (await browser.newContext()).newPage();
  await staff.goto("/log-ind");
  await staff.getByLabel("Institutionsnummer").fill(DEMO.institution.nummer);
  await staff.getByLabel("Kodeord").fill(DEMO.institution.password);
  await staff.getByRole("button", { name: "Log ind" }).click();
  await expect(staff).toHaveURL(/\/indberetning$/);
  await staff.goto("/indberetning/aabningstider");
  await waitForHydration(staff);
  const note = `Sommerlukket i uge 29 (${Date.now()})`;
  await staff.getByLabel("Bemærkning (valgfrit)").fill(note);
  await staff.getByRole("button", { name: "Gem og offentliggør" }).click();
  await expect(staff.getByRole("status").filter({ hasText: "Gemt." })).toBeVisible();
  await page.goto(`/dagtilbud/${DEMO.institution.nummer}`);
  await expect(page.getByText(note)).toBeVisible();
  expect(errors).toEqual([]);
});

test("an unknown institution number is not found", async ({ page }) => {
  const response = await page.goto("/dagtilbud/ZZZZZZ");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Siden findes ikke");
});
