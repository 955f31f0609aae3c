import { expect, test } from "./fixtures";
import { DEMO, waitForHydration } from "./helpers";

// Keyboard focus in the WASM forms (WCAG 2.4.3): where focus is after each step.
const active = (page: import("@playwright/test").Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el ? `${el.tagName.toLowerCase()}#${el.id}.${el.className}` : "none";
  });

test("focus follows the keyboard through a section form with JavaScript", async ({ page }) => {
  await page.goto("/log-ind");
  await page.getByLabel("Institutionsnummer").fill(DEMO.institution.nummer);
  await page.getByLabel("Kodeord").fill(DEMO.institution.password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/indberetning$/);
  await page.goto("/indberetning/kontakt");
  await waitForHydration(page);
  await page.getByLabel("Vejnavn").fill("Adelgade");
  await page.getByLabel("Husnummer").fill("12");
  await page.getByLabel("Postnummer").fill("8660");
  await page.getByLabel("By", { exact: true }).fill("Skanderborg");
  await page.getByLabel("Telefon").fill("87 94 12 34");
  await page.getByLabel("Leder").fill("Mette Jensen");

  // An instant check shows its message inline; Tab goes on to the next field.
  await page.getByLabel("E-mail").fill("ikke-en-mail");
  await page.keyboard.press("Tab");
  await expect(page.locator("#email-fejl")).toBeVisible();
  expect(await active(page)).toMatch(/^input#hjemmeside\./);

  // A submit the server answers with errors moves focus to the summary.
  await page.getByRole("button", { name: "Gem og offentliggør" }).focus();
  await page.keyboard.press("Space");
  await expect(page.locator(".error-summary")).toBeVisible();
  await expect.poll(() => active(page)).toMatch(/^div#\.error-summary/);

  // A save by keyboard keeps focus on the button, and "Gemt." is announced.
  await page.getByLabel("E-mail").fill("kontakt@solsikken.example");
  const button = page.getByRole("button", { name: "Gem og offentliggør" });
  await button.focus();
  await page.keyboard.press("Space");
  await page.waitForTimeout(50);
  expect(await active(page)).toMatch(/^button#\.button/);
  await expect(page.getByRole("status")).toContainText("Gemt.");
  expect(await active(page)).toMatch(/^button#\.button/);
  await expect(page.getByRole("status")).toHaveAttribute("aria-live", "polite");
});
