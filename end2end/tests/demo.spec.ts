import { expect, test } from "./fixtures";
import { collectErrors, expectNoAxeViolations, sql } from "./helpers";

test("the demo shows institutions that have reported, and says it is invented", async ({ page }) => {
  const errors = collectErrors(page);
  // An institution of the demo data with all five sections.
  const nummer = sql(
    "SELECT i.nummer FROM institutions i WHERE i.status = 'aktiv' AND " +
      "(SELECT COUNT(*) FROM institution_sections s WHERE s.institution_id = i.id) = 5 ORDER BY i.nummer LIMIT 1",
  );
  expect(nummer).toMatch(/^[A-Z]\d{5}$/);
  await page.goto(`/dagtilbud/${nummer}`);
  await expect(page.locator("#demo-notice")).toContainText("Demonstration: dagtilbuddene");
  await expect(page.getByText(/^Sidst opdateret /)).toHaveCount(5);
  await expect(page.getByText("Institutionen har ikke indberettet dette endnu.")).toHaveCount(0);
  await expectNoAxeViolations(page);

  // Filters on reported data find institutions (a plain GET form, no JavaScript needed).
  await page.goto("/?oekologi=guld");
  await expect(page.getByRole("status")).toContainText(/^\d+ dagtilbud matcher søgningen/);
  expect(errors).toEqual([]);
});
