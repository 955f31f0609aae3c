import { expect, test } from "./fixtures";
import {
  collectErrors,
  DEMO,
  enterTotp,
  expectNoAxeViolations,
  freshTotp,
  logInAsAdmin,
  waitForHydration,
} from "./helpers";

const EMAIL = "totp.admin@aarhus.example";

test("a new administrator sets up the second factor from the QR page, logs in with a code and uses a recovery code once", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);

  // Support creates the account and makes its single-use password.
  const support = await (await browser.newContext()).newPage();
  await logInAsAdmin(support, DEMO.support);
  await expect(support).toHaveURL(/\/support$/);
  await support.goto("/support/konti");
  await waitForHydration(support);
  const form = support.getByRole("region", { name: "Opret konto" });
  await form.getByLabel("E-mail").fill(EMAIL);
  await form.getByLabel("Navn", { exact: true }).fill("Totrin Testesen");
  await form.getByLabel("Rolle").selectOption("kommune");
  await form.getByLabel("Kommune (kun kommuneadministratorer)").selectOption("751");
  await form.getByRole("button", { name: "Opret konto" }).click();
  await expect(support).toHaveURL(/\/support\/konti\/\d+\?oprettet=1$/);
  await expect(support.getByText("Ikke sat op endnu")).toBeVisible();
  await support.getByRole("button", { name: "Lav engangsadgangskode" }).click();
  const oneTime = (await support.locator(".one-time-secret strong").innerText()).trim();

  // First log-in: a new password, then the set-up page, before anything else.
  await page.goto("/admin/log-ind");
  await waitForHydration(page);
  await page.getByLabel("E-mail").fill(EMAIL);
  await page.getByLabel("Adgangskode").fill(oneTime);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/vaelg-adgangskode$/);
  await waitForHydration(page);
  const password = "totrin og to kopper kaffe";
  await page.getByLabel("Ny adgangskode", { exact: true }).fill(password);
  await page.getByLabel("Gentag ny adgangskode").fill(password);
  await page.getByRole("button", { name: "Gem adgangskode" }).click();
  await expect(page).toHaveURL(/\/admin\/totrin\/opsaet$/);
  await page.goto("/kommune");
  await expect(page).toHaveURL(/\/admin\/totrin\/opsaet$/);

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Opsæt totrinsbekræftelse");
  await expect(page.getByRole("img", { name: "QR-kode til godkendelsesappen" })).toBeVisible();
  await waitForHydration(page);
  await expectNoAxeViolations(page);
  const secret = (await page.locator("#totp-noegle").innerText()).trim();
  expect(secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);

  // A wrong code is named on the field; the right one turns it on.
  await page.getByLabel("Kode fra godkendelsesappen").fill("12");
  await page.getByRole("button", { name: "Bekræft" }).click();
  await expect(page).toHaveURL(/\/admin\/totrin\/opsaet$/);
  await expect(page.locator(".error-summary")).toContainText("Koden fra godkendelsesappen er 6 cifre");
  await page.getByLabel("Kode fra godkendelsesappen").fill(await freshTotp(EMAIL, secret));
  await page.getByRole("button", { name: "Bekræft" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Totrinsbekræftelse er slået til");
  const recoveryCodes = await page.locator(".recovery-codes code").allInnerTexts();
  expect(recoveryCodes).toHaveLength(10);
  for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){5}$/);
  await page.getByRole("link", { name: "Fortsæt" }).click();
  await expect(page).toHaveURL(/\/kommune$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Aarhus Kommune");

  // Out and in again: the password, then a code computed from the secret.
  await page.getByRole("button", { name: "Log ud" }).click();
  await expect(page).toHaveURL(/logget-ud/);
  await logInAsAdmin(page, { email: EMAIL, password, totp: secret });
  await expect(page).toHaveURL(/\/kommune$/);
  await page.getByRole("button", { name: "Log ud" }).click();
  await expect(page).toHaveURL(/logget-ud/);

  // A recovery code instead of the app works once.
  const logInWithRecoveryCode = async (code: string) => {
    await page.goto("/admin/log-ind");
    await waitForHydration(page);
    await page.getByLabel("E-mail").fill(EMAIL);
    await page.getByLabel("Adgangskode").fill(password);
    await page.getByRole("button", { name: "Log ind" }).click();
    await expect(page).toHaveURL(/\/admin\/totrin$/);
    await waitForHydration(page);
    await page.getByLabel("Gendannelseskode").fill(code);
    await page.getByRole("button", { name: "Log ind med gendannelseskode" }).click();
  };
  await logInWithRecoveryCode(recoveryCodes[0]);
  await expect(page).toHaveURL(/\/kommune$/);
  await page.getByRole("button", { name: "Log ud" }).click();
  await expect(page).toHaveURL(/logget-ud/);

  await logInWithRecoveryCode(recoveryCodes[0]);
  await expect(page.locator(".error-summary")).toContainText("Gendannelseskoden er forkert eller allerede brugt");
  await expect(page).toHaveURL(/\/admin\/totrin$/);
  await page.goto("/kommune");
  await expect(page).toHaveURL(/\/admin\/totrin$/);
  // The app's code still gets in.
  await enterTotp(page, EMAIL, secret);
  await expect(page).toHaveURL(/\/kommune$/);

  // Support sees the factor is on and the events in the log.
  await support.goto("/support/log?konto=totp.admin%40aarhus.example");
  await expect(support.getByRole("cell", { name: "Totrinsbekræftelse sat op" })).toBeVisible();
  await expect(support.locator("body")).not.toContainText(recoveryCodes[1]);
  expect(errors).toEqual([]);
});
