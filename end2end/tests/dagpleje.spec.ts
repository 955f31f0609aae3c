import { expect, test } from "./fixtures";
import { collectErrors, DEMO, expectNoAxeViolations, logInAsAdmin, sql, waitForHydration } from "./helpers";

test("the kommune reports its dagpleje and a parent finds it on the portal", async ({ page, browser }) => {
  const errors = collectErrors(page);
  await logInAsAdmin(page, DEMO.kommune);
  await expect(page).toHaveURL(/\/kommune$/);
  await expect(page.getByRole("heading", { name: "Dagpleje", level: 2 })).toBeVisible();

  // A new dagplejeområde: the area, never the people.
  await page.goto("/kommune/nyt-dagtilbud");
  await waitForHydration(page);
  await page.getByLabel("Navn", { exact: true }).fill("Dagplejen Søhøjlandet");
  await page.getByLabel("Type").selectOption("dagpleje");
  await page.getByLabel("Ejerform").selectOption("kommunal");
  await page.getByLabel("Vejnavn").fill("Rådhusvej");
  await page.getByLabel("Husnummer").fill("4");
  await page.getByLabel("Postnummer", { exact: true }).fill("8680");
  await page.getByLabel("Postnumre området dækker").fill("8680, 8670");
  await page.getByLabel("Antal dagplejere (cirka)").fill("21");
  await page.getByRole("button", { name: "Opret dagtilbud" }).click();
  await expect(page).toHaveURL(/\/kommune\/dagtilbud\/D\d{5}\?oprettet=1$/);
  const nummer = /dagtilbud\/(D\d{5})/.exec(page.url())![1];
  await expect(page.getByText("En kommunal dagpleje har intet log-in")).toBeVisible();
  await expect(page.getByRole("button", { name: "Lav ny kode og vis brevet" })).toHaveCount(0);
  await expectNoAxeViolations(page);

  // Gæstedagpleje, the dagpleje's own section, reported by the kommune.
  await page.getByRole("link", { name: "Gæstedagpleje" }).click();
  await expect(page).toHaveURL(new RegExp(`/kommune/dagtilbud/${nummer}/gaestedagpleje$`));
  await waitForHydration(page);
  await page.getByLabel("I kommunens gæstehus").check();
  await page.getByRole("button", { name: "Gem og offentliggør" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "Der er problemer med formularen" });
  await expect(summary).toContainText("gæstehusets navn og adresse");
  await page.getByLabel("Gæstehus (navn og adresse)").fill("Gæstehuset Mejsen, Skolevej 4, 8680 Ry");
  await page.getByLabel("Sådan foregår det").fill("Dagplejekontoret ringer til jer inden kl. 7, når dagplejeren er syg.");
  await page.getByRole("button", { name: "Gem og offentliggør" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Gemt." })).toBeVisible();
  await expectNoAxeViolations(page);
  expect(sql(`SELECT updated_by_role FROM institution_sections s JOIN institutions i ON i.id = s.institution_id WHERE i.nummer = '${nummer}'`)).toBe(
    "kommune",
  );

  // A parent finds it by type and by a postnummer the area covers, and reads it.
  const parent = await (await browser.newContext()).newPage();
  await parent.goto("/?q=8670&type=dagpleje");
  await parent.getByRole("link", { name: "Dagplejen Søhøjlandet" }).click();
  await expect(parent).toHaveURL(new RegExp(`/dagtilbud/${nummer}$`));
  await expect(parent.getByRole("heading", { level: 1 })).toHaveText("Dagplejen Søhøjlandet");
  await expect(parent.getByTestId("dagpleje-omraade")).toContainText("8680, 8670");
  await expect(parent.getByRole("heading", { name: "Gæstedagpleje" })).toBeVisible();
  await expect(parent.getByText("Gæstehuset Mejsen, Skolevej 4, 8680 Ry")).toBeVisible();
  await expect(parent.getByText("Kommunen har ikke indberettet dette endnu.").first()).toBeVisible();
  await expectNoAxeViolations(parent);
  expect(errors).toEqual([]);
});
