import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { collectErrors, DEMO, expectNoAxeViolations, sql, waitForHydration } from "./helpers";

const XSS = "</textarea><script>alert(1)</script>";

async function logIn(page: Page) {
  await page.goto("/log-ind");
  await page.getByLabel("Institutionsnummer").fill(DEMO.institution.nummer);
  await page.getByLabel("Kodeord").fill(DEMO.institution.password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/indberetning$/);
}

async function open(page: Page, path: string) {
  await page.goto(path);
  await waitForHydration(page);
  await expectNoAxeViolations(page);
}

async function save(page: Page, button = "Gem og offentliggør") {
  await page.getByRole("button", { name: button }).click();
  await expect(page.getByRole("status")).toContainText("Gemt.");
}

test("an institution fills in all five sections, sees them saved, previewed and in the history", async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  page.on("dialog", (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    return dialog.dismiss();
  });
  await logIn(page);
  await expectNoAxeViolations(page);

  // Profil, with a mistake caught on the spot and fixed.
  await open(page, "/indberetning/profil");
  await page.getByLabel("Pædagogisk profil").fill(`Vi er ude hver dag. ${XSS}\nOgså når det regner.`);
  await page.getByLabel("Natur og udeliv").check();
  await page.getByLabel("3–5 år").check();
  await page.getByLabel("Antal pladser").fill("mange");
  await page.getByLabel("Udeareal i m² (valgfrit)").focus();
  await expect(page.locator("#pladser-fejl")).toContainText("tal");
  await page.getByLabel("Antal pladser").fill("45");
  await page.getByLabel("Udeareal i m² (valgfrit)").focus();
  await expect(page.locator("#pladser-fejl")).toHaveCount(0);
  await save(page);
  await page.reload();
  await expect(page.getByLabel("Pædagogisk profil")).toHaveValue(`Vi er ude hver dag. ${XSS}\nOgså når det regner.`);
  await expect(page.getByLabel("Antal pladser")).toHaveValue("45");
  await expect(page.getByLabel("Natur og udeliv")).toBeChecked();

  // Madordning.
  await open(page, "/indberetning/madordning");
  await page.getByRole("radio", { name: "Ja" }).check();
  await page.getByLabel("Eget køkken").check();
  await page.getByLabel("Frokost", { exact: true }).check();
  await page.getByLabel("Guld (90–100 % økologi)").check();
  await page.getByLabel("Vegetarisk").check();
  await page.getByLabel(/Forældrebetaling/).fill("850");
  await save(page);
  await page.reload();
  await expect(page.getByLabel("Guld (90–100 % økologi)")).toBeChecked();
  await expect(page.getByLabel(/Forældrebetaling/)).toHaveValue("850");

  // Åbningstider: a closing time before the opening time is caught.
  await open(page, "/indberetning/aabningstider");
  for (const day of ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag"]) {
    await page.getByLabel(`Åbent ${day.toLowerCase()}`).check();
    await page.getByLabel(`${day} åbner`).fill("06:30");
    await page.getByLabel(`${day} lukker`).fill("17:00");
  }
  await page.getByLabel("Fredag lukker").fill("05:00");
  await page.getByLabel("Bemærkning (valgfrit)").focus();
  await expect(page.locator("#fredag_til-fejl")).toContainText("Lukketiden skal være efter åbningstiden");
  await page.getByLabel("Fredag lukker").fill("16:00");
  await save(page);
  await page.reload();
  await expect(page.getByTestId("ugentlige-timer")).toHaveText("Åbent 51 timer og 30 minutter om ugen.");

  // Lukkedage.
  const year = Number(sql("SELECT EXTRACT(YEAR FROM now())::int"));
  await open(page, "/indberetning/lukkedage");
  await page.getByLabel("Fra og med").fill(`${year}-12-22`);
  await page.getByLabel("Til og med").fill(`${year + 1}-01-02`);
  await page.getByLabel("Årsag").fill("Juleferie");
  await page.getByRole("button", { name: "Tilføj og offentliggør" }).click();
  await expect(page.getByRole("status")).toContainText("Gemt.");
  await expect(page.getByRole("cell", { name: "Juleferie" })).toBeVisible();
  await expect(page.getByTestId("lukkedage-antal")).toContainText(`Lukkedage i ${year}:`);
  await expectNoAxeViolations(page);

  // Kontaktoplysninger.
  await open(page, "/indberetning/kontakt");
  await page.getByLabel("Vejnavn").fill("Adelgade");
  await page.getByLabel("Husnummer").fill("12");
  await page.getByLabel("Postnummer").fill("8660");
  await page.getByLabel("By", { exact: true }).fill("Skanderborg");
  await page.getByLabel("Telefon").fill("+45 87 94 12 34");
  await page.getByLabel("E-mail").fill("Solsikken@Skanderborg.example");
  await page.getByLabel("Leder").fill("Mette Jensen");
  await save(page);
  // The saved notice leads to the receipt of what is published now.
  await expect(page.getByRole("link", { name: "Se kvitteringen" })).toHaveAttribute("href", "/indberetning/kvittering");
  await page.reload();
  await expect(page.getByLabel("Telefon")).toHaveValue("87 94 12 34");

  // The start page says all five are filled in; preview and history show the data.
  await open(page, "/indberetning");
  await expect(page.getByText("Mangler")).toHaveCount(0);
  await expect(page.getByText("Udfyldt")).toHaveCount(5);
  await open(page, "/indberetning/forhaandsvisning");
  await expect(page.locator(".profile-text")).toContainText(XSS);
  await expect(page.getByText("87 94 12 34")).toBeVisible();
  await open(page, "/indberetning/historik");
  await expect(page.getByRole("heading", { name: /^Profil:/ }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "45" }).first()).toBeVisible();

  // The receipt: what is published now and which log-in changed it; markup stays text.
  await open(page, "/indberetning/kvittering");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Kvittering: ");
  await expect(page.getByText(XSS).first()).toBeVisible();
  await expect(page.getByText("87 94 12 34")).toBeVisible();
  await expect(page.getByText(new RegExp(`af Institutionen \\(${DEMO.institution.nummer}\\)`)).first()).toBeVisible();
  const pdf = await page.request.get("/indberetning/kvittering.pdf");
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect(errors).toEqual([]);
});

test("a form sent after the session ended leads to the log-in page", async ({ page }) => {
  const errors = collectErrors(page);
  await logIn(page);
  await open(page, "/indberetning/kontakt");
  // The session ends while the form is open (here: its cookie is gone).
  await page.context().clearCookies();
  await page.getByLabel("Leder").fill("Mette Jensen");
  await page.getByRole("button", { name: "Gem og offentliggør" }).click();
  await expect(page).toHaveURL(/\/log-ind\?naeste=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Log ind som institution");
  expect(errors).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a section is saved by a plain form post, errors come back with the typed text", async ({ page }) => {
    await logIn(page);
    await page.goto("/indberetning/kontakt");
    await page.getByLabel("Vejnavn").fill("Adelgade");
    await page.getByLabel("Husnummer").fill("14");
    await page.getByLabel("Postnummer").fill("8660");
    await page.getByLabel("By", { exact: true }).fill("Skanderborg");
    await page.getByLabel("Telefon").fill("1234");
    await page.getByLabel("E-mail").fill("kontakt@solsikken.example");
    await page.getByLabel("Leder").fill("Mette Jensen");
    await page.getByRole("button", { name: "Gem og offentliggør" }).click();
    await expect(page.locator(".error-summary")).toContainText("Telefonnummeret skal være 8 cifre");
    await expect(page.getByLabel("Husnummer")).toHaveValue("14");
    await page.getByLabel("Telefon").fill("87 94 12 35");
    await page.getByRole("button", { name: "Gem og offentliggør" }).click();
    await expect(page).toHaveURL(/gemt=1/);
    await expect(page.getByRole("status")).toContainText("Gemt.");
    await expect(page.getByLabel("Telefon")).toHaveValue("87 94 12 35");
  });
});
