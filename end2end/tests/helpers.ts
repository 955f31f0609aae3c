import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/**
 * Collect console errors and uncaught exceptions of a page. A server
 * function's 422 answer (a validation error the page then shows) is expected,
 * though the browser logs it as a failed resource.
 */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (/status of 422 \(Unprocessable Entity\)/.test(message.text())) return;
    errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** Wait until the WASM bundle has hydrated the page. */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as any).__dagtilbudHydrated === true);
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

export const DEMO = {
  institution: { nummer: "G10234", password: "solsikke-demo-2026" },
  kommune: { email: "admin@skanderborg.example", password: "kommune-demo-2026" },
  support: { email: "support@stil.example", password: "support-demo-2026" },
};
