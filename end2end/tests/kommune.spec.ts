import { expect, test } from "@playwright/test";
import { collectErrors, DEMO, expectNoAxeViolations, sql, waitForHydration } from "./helpers";

test("the kommune administrator issues letters for three institutions and one logs in with its code", async ({
  page,
  browser,
}) => {
  const errors = collectErrors(page);
  // Three of the demo kommune's institutions that no other test logs in with.
  const numbers = sql(
    "SELECT string_agg(nummer, ',' ORDER BY nummer) FROM (SELECT nummer FROM institutions " +
      "WHERE kommunekode = 746 AND status = 'aktiv' AND nummer <> 'G10234' ORDER BY nummer OFFSET 1 LIMIT 3) t",
  ).split(",");
  expect(numbers).toHaveLength(3);

  await page.goto("/admin/log-ind");
  await waitForHydration(page);
  await page.getByLabel("E-mail").fill(DEMO.kommune.email);
  await page.getByLabel("Adgangskode").fill(DEMO.kommune.password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/kommune$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Skanderborg Kommune");
  await expect(page.getByRole("img", { name: /Udfyldte afsnit blandt/ })).toBeVisible();
  await expectNoAxeViolations(page);

  // Filters are a plain GET form: the view is in the address.
  await page.getByLabel("Sortér efter").selectOption("nummer");
  await page.getByRole("button", { name: "Vis", exact: true }).click();
  await expect(page).toHaveURL(/sorter=nummer/);
  for (const nummer of numbers) {
    await page.getByRole("checkbox", { name: new RegExp(`\\(${nummer}\\)$`) }).check();
  }
  const [letters] = await Promise.all([
    page.waitForEvent("popup"),
    page.getByRole("button", { name: "Vis breve til udskrift" }).first().click(),
  ]);
  await letters.waitForLoadState();
  await expect(letters.locator("article.letter")).toHaveCount(3);
  const text = await letters.locator("article.letter").first().innerText();
  const nummer = /institutionsnummeret: ([A-Z0-9]{6})/.exec(text)![1];
  const code = /engangskoden: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(text)![1];
  expect(numbers).toContain(nummer);
  expect(Number(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'kode_udstedt'"))).toBeGreaterThanOrEqual(3);

  // The institution logs in with the code from its letter, in its own browser.
  const institution = await (await browser.newContext()).newPage();
  await institution.goto("/log-ind");
  await institution.getByLabel("Institutionsnummer").fill(nummer);
  await institution.getByLabel("Kodeord").fill(code);
  await institution.getByRole("button", { name: "Log ind" }).click();
  await expect(institution).toHaveURL(/\/vaelg-adgangskode$/);

  // The overview now counts it as logged in.
  await page.goto(`/kommune?soeg=${nummer}`);
  await expect(page.getByRole("row", { name: new RegExp(nummer) }).getByRole("cell").nth(5)).toHaveText("Ja");
  expect(errors).toEqual([]);
});
