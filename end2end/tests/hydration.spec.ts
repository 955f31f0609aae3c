import { expect, test } from "./fixtures";
import { collectErrors, DEMO, logInAsAdmin, sql } from "./helpers";

// A page with more than one resource once failed to hydrate now and then
// (about one load in five). Loading an administrator's section form of an
// institution (a page of the forms' bundle) again and again must start its
// live parts every time.
test("the kommune's section form of an institution hydrates on every load", async ({ page }) => {
  const errors = collectErrors(page);
  const numbers = sql(
    "SELECT string_agg(nummer, ',') FROM (SELECT nummer FROM institutions WHERE kommunekode = 746 " +
      "AND status = 'aktiv' ORDER BY nummer DESC LIMIT 3) t",
  ).split(",");
  await logInAsAdmin(page, DEMO.kommune);
  await expect(page).toHaveURL(/\/kommune$/);
  for (let round = 0; round < 4; round++) {
    for (const nummer of numbers) {
      await page.goto(`/kommune/dagtilbud/${nummer}/kontakt`);
      await page.waitForFunction(() => (window as any).__dagtilbudHydrated === true);
      await expect(page.getByRole("button", { name: /Gem/ })).toBeVisible();
    }
  }
  expect(errors).toEqual([]);
});
