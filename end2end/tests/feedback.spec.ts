import { expect, test } from "./fixtures";
import { collectErrors, expectNoAxeViolations, sql, waitForHydration } from "./helpers";

test("a parent reports an error on an institution's page", async ({ page }) => {
  const errors = collectErrors(page);
  const nummer = sql(
    "SELECT nummer FROM institutions WHERE status = 'aktiv' AND kommunekode = 751 AND institution_type <> 'dagpleje' ORDER BY nummer LIMIT 1",
  );
  await page.goto(`/dagtilbud/${nummer}`);
  await page.getByRole("link", { name: "Står der noget forkert? Meld en fejl" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Meld en fejl");
  await waitForHydration(page);
  await expectNoAxeViolations(page);

  // Missing fields are named; what was typed stays.
  await page.getByLabel("Din e-mail (valgfrit)").fill("forælder@example");
  await page.getByRole("button", { name: "Send til dagtilbuddet" }).click();
  await expect(page.locator(".error-summary")).toBeFocused();
  await expect(page.locator(".error-summary")).toContainText("Vælg, hvad på siden der er forkert.");
  await expect(page.getByLabel("Din e-mail (valgfrit)")).toHaveValue("forælder@example");

  await page.getByLabel("Hvad er forkert?").selectOption("aabningstider");
  await page.getByLabel("Hvad står der, og hvad er rigtigt?").fill("Der står, at I lukker 17, men I lukker 16 om fredagen.");
  await page.getByLabel("Din e-mail (valgfrit)").fill("mor@example.dk");
  await page.getByRole("button", { name: "Send til dagtilbuddet" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Tak. Din besked er sendt til dagtilbuddet." })).toBeVisible();
  expect(
    sql(
      `SELECT r.email FROM error_reports r JOIN institutions i ON i.id = r.institution_id WHERE i.nummer = '${nummer}' AND r.section = 'aabningstider'`,
    ),
  ).toBe("mor@example.dk");
  expect(errors).toEqual([]);
});
