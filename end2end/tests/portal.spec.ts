import { expect, test } from "./fixtures";
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
    "SELECT nummer FROM institutions WHERE kommunekode = 746 AND status = 'aktiv' AND nummer <> 'G10234' " +
      "AND institution_type <> 'dagpleje' ORDER BY navn LIMIT 1",
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

test("parents collect institutions in the comparison tray, and every page type fits 320 px", async ({ page }) => {
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto("/?q=Skanderborg");
  await waitForHydration(page);
  const tray = (n: number) => page.getByRole("heading", { name: `Valgt til sammenligning (${n} af 4)` });
  const boxes = page.getByRole("checkbox", { name: /til sammenligning$/ });
  await boxes.nth(0).check();
  await expect(tray(1)).toBeVisible();
  await expect(page.getByText("Vælg mindst ét dagtilbud mere.")).toBeVisible();

  // The choice is kept across pages of results and page loads.
  await page.getByRole("link", { name: "Næste side" }).click();
  await expect(page).toHaveURL(/side=2/);
  await boxes.nth(0).check();
  await expect(tray(2)).toBeVisible();
  await page.goto(`/dagtilbud/${DEMO.institution.nummer}`);
  await waitForHydration(page);
  await expect(tray(2)).toBeVisible();
  await page.getByRole("button", { name: "Vælg til sammenligning" }).click();
  await expect(tray(3)).toBeVisible();
  await expect(page.getByRole("button", { name: "Vælg til sammenligning" })).toHaveAttribute("aria-pressed", "true");
  await expectNoAxeViolations(page);

  // Keyboard only: remove one from the tray and open the comparison.
  await page.getByRole("button", { name: /^Fjern .* fra sammenligningen$/ }).first().focus();
  await page.keyboard.press("Enter");
  await expect(tray(2)).toBeVisible();
  await page.getByTestId("tray-compare").focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/sammenlign\?nr=\w+&nr=\w+$/);
  await expect(page.locator("table.compare thead th")).toHaveCount(2);
  const compare = page.url();

  // Nothing needs sideways scrolling on a 320 px wide screen.
  for (const path of ["/", "/?q=Skanderborg&alder=3-5", `/dagtilbud/${DEMO.institution.nummer}`, "/kommuner/746", compare]) {
    await page.goto(path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, path).toBeLessThanOrEqual(320);
  }
  expect(errors).toEqual([]);
});

test("a changed choice in the filters searches at once", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/?q=Skanderborg");
  await waitForHydration(page);
  const status = page.getByRole("status");
  await expect(status).toContainText("dagtilbud matcher søgningen");
  const before = await status.textContent();
  await page.getByLabel("Ejerform").selectOption("privat");
  await expect(page).toHaveURL(/ejerform=privat/);
  await expect(status).not.toHaveText(before ?? "");
  // Back restores the earlier search and its fields.
  await page.goBack();
  await expect(page).not.toHaveURL(/ejerform/);
  await expect(page.getByLabel("Ejerform")).toHaveValue("");
  expect(errors).toEqual([]);
});
