import { expect, test } from "./fixtures";
import { collectErrors, DEMO, expectNoAxeViolations, logInAsAdmin, sql, waitForHydration } from "./helpers";

test("an early opening is saved, asked about beside its field, and on the kommune's review list", async ({ page }) => {
  const errors = collectErrors(page);
  // A demo institution of the kommune without åbningstider that no other test uses.
  const nummer = sql(
    "SELECT i.nummer FROM institutions i WHERE i.kommunekode = 746 AND i.status = 'aktiv' AND i.ejerform <> 'privat' " +
      "AND i.institution_type <> 'dagpleje' AND i.nummer <> 'G10234' " +
      "AND NOT EXISTS (SELECT 1 FROM institution_sections s WHERE s.institution_id = i.id AND s.section = 'aabningstider') " +
      "ORDER BY i.nummer DESC LIMIT 1",
  );
  expect(nummer).toMatch(/^[A-Z]\d{5}$/);
  await logInAsAdmin(page, DEMO.kommune);
  await expect(page).toHaveURL(/\/kommune$/);
  await page.goto(`/kommune/dagtilbud/${nummer}/aabningstider`);
  await waitForHydration(page);
  await page.getByLabel("Åbent mandag").check();
  await page.getByLabel("Mandag åbner").fill("05:00");
  await page.getByLabel("Mandag lukker").fill("16:00");
  await page.getByRole("button", { name: "Gem og offentliggør" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Gemt." })).toBeVisible();
  // The warning asks beside its field and in the box; the value is saved.
  await expect(page.locator("#mandag_fra-advarsel")).toContainText("I åbner kl. 05.00 om mandagen");
  await expect(page.getByLabel("Mandag åbner")).toHaveAttribute("aria-describedby", /mandag_fra-advarsel/);
  await expect(page.getByRole("heading", { name: "Er det rigtigt?" })).toBeVisible();
  await expectNoAxeViolations(page);
  expect(sql(`SELECT s.data->'days'->0->>'opens' FROM institution_sections s JOIN institutions i ON i.id = s.institution_id WHERE i.nummer = '${nummer}' AND s.section = 'aabningstider'`)).toBe("05:00");

  // The kommune's review list has it, linked to the section page.
  await page.goto("/kommune");
  await page.getByRole("link", { name: "Er det rigtigt?" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Er det rigtigt?");
  const row = page.getByRole("row").filter({ hasText: nummer }).filter({ hasText: "05.00" });
  await expect(row).toHaveCount(1);
  await expectNoAxeViolations(page);
  await row.getByRole("link", { name: "Åbningstider" }).click();
  await expect(page).toHaveURL(new RegExp(`/kommune/dagtilbud/${nummer}/aabningstider$`));
  await expect(page.locator("#mandag_fra-advarsel")).toBeVisible();
  expect(errors).toEqual([]);
});
