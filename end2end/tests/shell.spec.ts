import { expect, test } from "./fixtures";
import { collectErrors, expectNoAxeViolations, waitForHydration } from "./helpers";

test("the landing page loads in Danish with demo data", async ({ page }) => {
  const errors = collectErrors(page);
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.locator("html")).toHaveAttribute("lang", "da");
  await expect(page).toHaveTitle(/Dagtilbudsportalen/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Find og sammenlign dagtilbud");
  await expect(page.getByTestId("stats")).toContainText(/\d+ dagtilbud i 98 kommuner/);
  await expect(page.getByRole("link", { name: "Tilgængelighedserklæring" })).toHaveAttribute("href", "/tilgaengelighed");
  await waitForHydration(page);
  expect(errors).toEqual([]);
});

test("the page hydrates: filtering the kommuner works only with the WASM running", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/");
  await waitForHydration(page);
  const list = page.getByTestId("kommune-list").locator("li:visible");
  await expect(list).toHaveCount(98);
  await page.getByLabel("Find en kommune").fill("skander");
  await expect(list).toHaveCount(1);
  await expect(list.first()).toContainText("Skanderborg");
  expect(errors).toEqual([]);
});

test("the accessibility statement and an unknown page", async ({ page }) => {
  await page.goto("/tilgaengelighed");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tilgængelighedserklæring");
  await expectNoAxeViolations(page);
  const response = await page.goto("/findes-ikke");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Siden findes ikke");
});

test("the landing page has no axe-core violations", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  await expectNoAxeViolations(page);
});
