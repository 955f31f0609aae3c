import { test as base, Browser, BrowserContext, expect } from "@playwright/test";

/**
 * Every spec imports `test` from here: it fails any test during which a page
 * reported a Content-Security-Policy violation in its console, in the test's
 * own page and in every context the test opens itself.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context, browser }, use) => {
      const violations: string[] = [];
      const watch = (ctx: BrowserContext) => {
        const onPage = (page: import("@playwright/test").Page) =>
          page.on("console", (message) => {
            if (/Content[- ]Security[- ]Policy/i.test(message.text())) {
              violations.push(`${page.url()}: ${message.text()}`);
            }
          });
        ctx.pages().forEach(onPage);
        ctx.on("page", onPage);
      };
      watch(context);
      const original = browser.newContext.bind(browser);
      const patched = browser as Browser & { newContext: Browser["newContext"] };
      patched.newContext = async (...args: Parameters<Browser["newContext"]>) => {
        const ctx = await original(...args);
        watch(ctx);
        return ctx;
      };
      await use(violations);
      patched.newContext = original;
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
