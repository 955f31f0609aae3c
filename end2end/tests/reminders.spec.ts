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

test("a sending's page follows it while it sends, without a reload", async ({ page }) => {
  const errors = collectErrors(page);
  await logInAsAdmin(page, DEMO.kommune);
  await expect(page).toHaveURL(/\/kommune$/);
  // A sending another server is in the middle of: its one message was claimed
  // a moment ago, so no sender here takes it over while the test watches.
  const job = sql(
    `WITH job AS (INSERT INTO reminder_jobs (kommunekode, actor_label, chosen_by, subject, body)
       VALUES (746, 'admin@skanderborg.example', 'aldrig', 'Emne (e2e poll)', 'Log ind på {adresse}') RETURNING id)
     SELECT id FROM job`,
  );
  sql(
    `INSERT INTO reminder_messages (job_id, institution_id, to_address, subject, body, status, attempts, claimed_at)
     SELECT ${job}, id, 'poll@example.dk', 'Emne (e2e poll)', 'Tekst', 'sending', 1, now()
     FROM institutions WHERE nummer = 'G10234'`,
  );
  await page.goto(`/kommune/paamindelser/${job}`);
  await waitForHydration(page);
  const region = page.locator("#paamindelse");
  await expect(region).toHaveAttribute("data-poll", "2000");
  await expect(page.getByText("Sender … 0 af 1 er færdige. 0 sendt, 0 ikke sendt, 1 venter.")).toBeVisible();
  // Marks this document: a reload would lose it.
  await page.evaluate(() => ((window as any).__samePage = true));

  sql(`UPDATE reminder_messages SET status = 'sent', transport = 'outbox', sent_at = now() WHERE job_id = ${job}`);
  // The bundle loads the region again every 2 s and redraws it in place.
  await expect(page.getByText("Færdig: 1 af 1 mails er sendt, 0 blev ikke sendt.")).toBeVisible({ timeout: 10_000 });
  await expect(region).not.toHaveAttribute("data-poll");
  expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
  await expectNoAxeViolations(page);
  expect(errors).toEqual([]);
});
