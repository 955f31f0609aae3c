import { expect, test } from "./fixtures";
import { collectErrors, expectNoAxeViolations, waitForHydration } from "./helpers";

/** The distances the result list shows ("1,2 km"), in kilometres. */
async function distances(page: import("@playwright/test").Page): Promise<number[]> {
  const texts = await page.locator(".result dd.distance").allTextContents();
  return texts.map((text) => Number(text.replace(" km", "").replace(",", ".")));
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a parent sorts by distance from a postnummer with a plain form", async ({ page }) => {
    await page.goto("/");
    await page.getByLabel("Fra postnummer").fill("8660");
    await page.getByLabel("Højst").selectOption("5");
    await page.getByLabel("Sortér efter").selectOption({ label: "Nærmeste først" });
    await page.getByRole("button", { name: "Søg", exact: true }).click();
    await expect(page).toHaveURL(/fra=8660/);
    await expect(page.getByRole("status").first()).toContainText(/^\d+ dagtilbud matcher søgningen/);
    await expect(page.getByText("Afstand i lige linje fra 8660 Skanderborg.")).toBeVisible();
    const km = await distances(page);
    expect(km.length).toBeGreaterThan(2);
    expect(km).toEqual([...km].sort((a, b) => a - b));
    expect(Math.max(...km)).toBeLessThanOrEqual(5);
    // The form comes back with the choices, ready for the next search.
    await expect(page.getByLabel("Fra postnummer")).toHaveValue("8660");
    await expect(page.getByLabel("Højst")).toHaveValue("5");
    // No location button without JavaScript: it could not work.
    await expect(page.getByRole("button", { name: "Brug min placering" })).toHaveCount(0);

    // A mistyped postnummer is named on its field and the rest is kept.
    await page.getByLabel("Fra postnummer").fill("866");
    await page.getByRole("button", { name: "Søg", exact: true }).click();
    await expect(page.locator(".error-summary")).toContainText("Skriv postnummeret med fire cifre");
    await expect(page.getByLabel("Højst")).toHaveValue("5");
  });
});

test.describe("with the browser's location", () => {
  test.use({ geolocation: { latitude: 56.1567, longitude: 10.2108 }, permissions: ["geolocation"] });

  test("'Brug min placering' searches nearest first from where the parent is", async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto("/?q=aarhus");
    await waitForHydration(page);
    await page.getByRole("button", { name: "Brug min placering" }).click();
    await expect(page).toHaveURL(/breddegrad=56\.157&laengdegrad=10\.211/);
    await expect(page.getByText("Afstand i lige linje fra din placering.")).toBeVisible();
    const km = await distances(page);
    expect(km.length).toBeGreaterThan(2);
    expect(km).toEqual([...km].sort((a, b) => a - b));
    expect(km[0]).toBeLessThan(5);
    await expectNoAxeViolations(page);
    expect(errors).toEqual([]);
  });
});
