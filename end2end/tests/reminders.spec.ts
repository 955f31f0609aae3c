import { expect, test } from "./fixtures";
import { collectErrors, DEMO, expectNoAxeViolations, logInAsAdmin, sql, waitForHydration } from "./helpers";

test("the kommune sends a reminder, follows it, and reads it in the outbox", async ({ page }) => {
  const errors = collectErrors(page);
  await logInAsAdmin(page, DEMO.kommune);
  await expect(page).toHaveURL(/\/kommune$/);
  await page.getByRole("link", { name: "Påmindelser" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Påmindelser");
  // The demo server has no mail server: the page says where the mails go.
  await expect(page.getByText("Der er ikke sat en mailserver op")).toBeVisible();

  await page.getByLabel("Dagtilbud, der mangler at udfylde et afsnit").check();
  await page.getByRole("button", { name: "Vis modtagere" }).click();
  await expect(page).toHaveURL(/hvem=mangler/);
  await expect(page.getByText(/\d+ dagtilbud matcher\. \d+ af dem har en e-mailadresse/)).toBeVisible();
  await waitForHydration(page);
  await expectNoAxeViolations(page);

  // A field that does not exist is refused by name; what was typed stays.
  const subject = page.getByLabel("Emne");
  await subject.fill("Se {navnet} efter");
  await page.getByRole("button", { name: /^Send påmindelse til \d+ dagtilbud$/ }).click();
  await expect(page.locator(".error-summary")).toContainText("Feltet {navnet} findes ikke");
  await expect(page.locator(".error-summary")).toBeFocused();
  await expect(subject).toHaveValue("Se {navnet} efter");

  await subject.fill("Se {navn} efter (e2e)");
  await page.getByRole("button", { name: /^Send påmindelse til \d+ dagtilbud$/ }).click();
  await expect(page).toHaveURL(/\/kommune\/paamindelser\/\d+$/);
  const job = page.url().split("/").pop();
  // The progress page follows the sending by itself until it is done.
  await expect(page.getByText(/^Færdig: (\d+) af \1 mails er sendt, 0 blev ikke sendt\.$/)).toBeVisible();
  await expectNoAxeViolations(page);
  const count = Number(sql(`SELECT count(*) FROM reminder_messages WHERE job_id = ${job} AND status = 'sent'`));
  expect(count).toBeGreaterThan(0);

  // Every mail is in the outbox, written out for its institution.
  await page.getByRole("link", { name: "udbakken" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Udbakke");
  await expect(page.getByRole("heading", { name: /^Se .+ efter \(e2e\)$/ }).first()).toBeVisible();
  await expect(page.getByText("Log ind med jeres institutionsnummer og kodeord på").first()).toBeVisible();
  await expect(page.getByText("er ikke udfyldt.").first()).toBeVisible();
  await expectNoAxeViolations(page);
  expect(errors).toEqual([]);
});
