import { expect, test } from "./fixtures";
import { collectErrors, DEMO, expectNoAxeViolations, logInAsAdmin, sql, waitForHydration } from "./helpers";

test("the kommune sets a fælles lukkedag, an institution takes it over, parents see it", async ({ page }) => {
  const errors = collectErrors(page);
  // A demo institution of the kommune that has reported no lukkedage and that no other test uses.
  const nummer = sql(
    "SELECT i.nummer FROM institutions i WHERE i.kommunekode = 746 AND i.status = 'aktiv' AND i.ejerform <> 'privat' " +
      "AND i.institution_type <> 'dagpleje' AND i.nummer <> 'G10234' " +
      "AND NOT EXISTS (SELECT 1 FROM institution_sections s WHERE s.institution_id = i.id AND s.section = 'lukkedage') " +
      "ORDER BY i.nummer OFFSET 5 LIMIT 1",
  );
  expect(nummer).toMatch(/^[A-Z]\d{5}$/);
  const year = Number(sql("SELECT EXTRACT(YEAR FROM now())::int")) + 1;

  await logInAsAdmin(page, DEMO.kommune);
  await expect(page).toHaveURL(/\/kommune$/);
  await page.getByRole("link", { name: "Fælles lukkedage" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Fælles lukkedage");
  await waitForHydration(page);

  // A refused period keeps what was typed and says what to fix.
  await page.getByLabel("Fra og med").fill(`${year}-05-07`);
  await page.getByLabel("Til og med").fill(`${year}-05-06`);
  await page.getByLabel("Årsag").fill("Fredag efter Kristi himmelfartsdag");
  await page.getByRole("button", { name: "Tilføj fælles lukkedag" }).click();
  await expect(page.locator(".error-summary")).toBeVisible();
  await expect(page.getByLabel("Årsag")).toHaveValue("Fredag efter Kristi himmelfartsdag");
  await page.getByLabel("Til og med").fill(`${year}-05-07`);
  await page.getByRole("button", { name: "Tilføj fælles lukkedag" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Gemt." })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Fredag efter Kristi himmelfartsdag" }).first()).toBeVisible();
  await expectNoAxeViolations(page);

  // The institution's Lukkedage page proposes it; one click takes it over.
  await page.goto(`/kommune/dagtilbud/${nummer}/lukkedage`);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "Kommunens fælles lukkedage" })).toBeVisible();
  await expectNoAxeViolations(page);
  // The demo kommune offers its own fælles lukkedage too; this one is taken by its button.
  const takeOver = page.getByRole("button", { name: `Tilføj 7.5.${year}` });
  await takeOver.click();
  await expect(page.getByRole("status").filter({ hasText: "Gemt." })).toBeVisible();
  await expect(takeOver).toHaveCount(0);
  await expect(page.getByText("Kommunens fælles lukkedag", { exact: true })).toBeVisible();

  // Parents see it on the institution's page like any closing day.
  await page.goto(`/dagtilbud/${nummer}`);
  await expect(page.getByText(`7.5.${year}`).first()).toBeVisible();
  await expect(page.getByText("Fredag efter Kristi himmelfartsdag").first()).toBeVisible();

  // The kommune moves it; the institution's copy follows.
  await page.goto("/kommune/lukkedage");
  await waitForHydration(page);
  await expect(page.getByRole("cell", { name: "1 af" })).toBeVisible();
  await page.getByRole("link", { name: `Ret 7.5.${year}` }).click();
  await page.getByLabel("Fra og med").fill(`${year}-05-08`);
  await page.getByLabel("Til og med").fill(`${year}-05-08`);
  await page.getByRole("button", { name: "Gem og ret hos dagtilbuddene" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Gemt." })).toBeVisible();
  await page.goto(`/dagtilbud/${nummer}`);
  await expect(page.getByText(`8.5.${year}`).first()).toBeVisible();
  expect(errors).toEqual([]);
});
