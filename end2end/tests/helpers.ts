import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import path from "node:path";
import { expect, Page, test } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/**
 * Collect console errors, uncaught exceptions and islands the page's bundle
 * does not hold. A server function's 422 answer (a validation error the page
 * then shows) is expected, though the browser logs it as a failed resource.
 */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    // An island whose code is not in the bundle the page loaded
    // (app::page_bundle) is only a warning from Leptos' island script.
    if (message.type() === "warning" && /Could not find WASM function for the island/.test(message.text())) {
      errors.push(message.text());
      return;
    }
    if (message.type() !== "error") return;
    if (/status of 422 \(Unprocessable Entity\)/.test(message.text())) return;
    errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/**
 * Wait until the page's WASM bundle has started its live parts
 * (`window.__dagtilbudHydrated`). A page without live parts loads no bundle
 * (app::page_bundle): it is ready when loaded.
 */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(
    () => (window as any).__dagtilbudHydrated === true || document.querySelector('script[type="module"]') === null,
  );
}

/** Run axe-core for WCAG 2.1 A and AA and fail on any violation. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
  expect(summary).toEqual([]);
}

/** A query against the end2end database (set by scripts/test). */
export function sql(query: string): string {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set; run the suite through scripts/test");
  return execFileSync("psql", [url, "-Atc", query], { encoding: "utf8" }).trim();
}

/** Issue a fresh single-use letter code with the server's own command. */
export function issueCode(nummer: string): string {
  const server = path.resolve(__dirname, "../../target/release/server");
  return execFileSync(server, ["issue-code", nummer], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, RUST_LOG: "error" },
  }).trim();
}

/** The demo administrators' published TOTP secret (server/src/seed.rs, README). */
export const DEMO_TOTP_SECRET = "MRQWO5DJNRRHKZBNMRSW23ZNGJTGCIJB";

export const DEMO = {
  institution: { nummer: "G10234", password: "solsikke-demo-2026" },
  kommune: { email: "admin@skanderborg.example", password: "kommune-demo-2026", totp: DEMO_TOTP_SECRET },
  support: { email: "support@stil.example", password: "support-demo-2026", totp: DEMO_TOTP_SECRET },
};

/** RFC 4648 base32 (spaces and padding ignored) to bytes. */
function base32Decode(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of text.replace(/[\s=]/g, "").toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** The TOTP code (RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits) of time step `step`. */
export function totpAtStep(secretBase32: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

/**
 * A code the server will accept now for the account: a code works once (the
 * server keeps the last step used), so when this step's code was used already
 * the next step's is taken, and if that was used too, the test waits for time
 * to move on.
 */
export async function freshTotp(email: string, secretBase32: string): Promise<string> {
  const last = Number(sql(`SELECT coalesce(totp_last_step, -1) FROM admin_accounts WHERE email = '${email}'`));
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, last + 1);
  // The server accepts one step either side of its own.
  const waitMs = (step - 1) * 30_000 - Date.now();
  if (waitMs > 0) {
    test.info().setTimeout(test.info().timeout + waitMs + 5_000);
    await new Promise((resolve) => setTimeout(resolve, waitMs + 1_000));
  }
  return totpAtStep(secretBase32, step);
}

/** The code step after the password: the current code from the authenticator app. */
export async function enterTotp(page: Page, email: string, secretBase32: string) {
  await expect(page).toHaveURL(/\/admin\/totrin(\?|$)/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Totrinsbekræftelse");
  await page.getByLabel("Kode fra godkendelsesappen").fill(await freshTotp(email, secretBase32));
  await page.getByRole("button", { name: "Fortsæt" }).click();
}

/** Log in as an administrator with password and code (the caller checks where it lands). */
export async function logInAsAdmin(page: Page, who: { email: string; password: string; totp: string }) {
  await page.goto("/admin/log-ind");
  await waitForHydration(page);
  await page.getByLabel("E-mail").fill(who.email);
  await page.getByLabel("Adgangskode").fill(who.password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await enterTotp(page, who.email, who.totp);
}
