// Benchmark (not a test): what each page costs a phone on its first visit.
// Chromium under Lighthouse's mobile profile (1.6 Mbit/s down, 750 kbit/s up,
// 150 ms round trip, CPU slowed 4x), cold cache, median of RUNS loads:
//   - bytes of wasm and js the page loads (as sent, and as brotli on disk);
//   - first contentful paint;
//   - interactive: when the page's bundle has started its live parts (the
//     marker window.__dagtilbudHydrated that the browser tests wait for); for
//     a page without live parts, which loads no script, when its HTML is parsed
//     (DOMContentLoaded) and painted, as its plain forms and links work
//     from then on.
// The baseline in the same run: the page's own HTML as a static file, which
// shows what the network profile alone costs before any script.
// Usage: node bench/page-load.mjs BASE_URL  (bench/size-and-startup runs it);
// SITE_ROOT= names the site folder the server serves (default target/site).
import { chromium } from "../end2end/node_modules/playwright-core/index.mjs";
import { readFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";

const base = process.argv[2];
const runs = Number(process.env.RUNS ?? 5);
const root = new URL("..", import.meta.url).pathname;
const site = process.env.SITE_ROOT ?? join(root, "target/site");
const institution = { nummer: "G10234", password: "solsikke-demo-2026" };
const publicPages = ["/", "/dagtilbud/G10234", "/kommuner/746", "/sammenlign?nr=G10234&nr=B01095"];
const otherPages = ["/log-ind"];
const sectionPages = ["profil", "madordning", "aabningstider", "lukkedage", "kontakt"].map((s) => `/indberetning/${s}`);
// Signed-in pages without live parts: no script at all.
const plainPages = ["/indberetning", "/indberetning/historik"];

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
});

// Log in once without throttling; each measured load reuses only the session cookie.
async function sessionCookies() {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto("/log-ind");
  await page.getByLabel("Institutionsnummer").fill(institution.nummer);
  await page.getByLabel("Kodeord").fill(institution.password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await page.waitForURL(/\/indberetning$/);
  const cookies = await context.cookies();
  await context.close();
  return cookies;
}

const brotliOnDisk = (path) => {
  const file = join(site, path);
  if (!existsSync(file)) return 0;
  return brotliCompressSync(readFileSync(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
};

// A page in `context` as a phone of the mobile profile loads it: slow
// network, slow CPU, nothing from the cache.
async function phone(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  return page;
}

async function load(url, cookies) {
  const context = await browser.newContext({ baseURL: base });
  if (cookies) await context.addCookies(cookies);
  await context.addInitScript(() => {
    let value = false;
    Object.defineProperty(window, "__dagtilbudHydrated", {
      configurable: true,
      get: () => value,
      set: (v) => {
        value = v;
        if (v) window.__hydratedAt = performance.now();
      },
    });
  });
  const page = await phone(context);
  await page.goto(url, { waitUntil: "load" });
  const bundled = await page.evaluate(() => document.querySelector('script[type="module"]') !== null);
  const hydrates = bundled
    ? await page
        .waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 30000 })
        .then(() => true)
        .catch(() => false)
    : true;
  await page
    .waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, null, { timeout: 5000 })
    .catch(() => {});
  const result = await page.evaluate((bundled) => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const scripts = performance
      .getEntriesByType("resource")
      .filter((r) => /\.(wasm|js)(\?|$)/.test(r.name))
      .map((r) => ({ path: new URL(r.name).pathname, sent: r.transferSize }));
    // Without a bundle: once parsed and painted, whichever is later.
    const parsed = performance.getEntriesByType("navigation")[0]?.domContentLoadedEventEnd ?? null;
    const shown = paint && parsed !== null ? Math.max(parsed, paint.startTime) : null;
    return {
      paint: paint ? paint.startTime : null,
      interactive: bundled ? (window.__hydratedAt ?? null) : shown,
      scripts,
    };
  }, bundled);
  await context.close();
  return { ...result, hydrates };
}

const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
};
const ms = (v) => (v === null ? "–" : `${Math.round(v)}`);
const kb = (v) => `${(v / 1024).toFixed(1)}`;

// Baseline: the same HTML as a static file from a plain node server, no scripts.
async function baseline(url) {
  const html = await (await fetch(new URL(url, base))).text();
  const stripped = html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<link rel="(modulepreload|preload)"[^>]*>/g, "");
  const dir = mkdtempSync(join(tmpdir(), "page-load-"));
  writeFileSync(join(dir, "index.html"), stripped);
  const css = readFileSync(join(site, "pkg/dagtilbud.css"));
  const server = createServer((req, res) => {
    if (req.url.startsWith("/pkg/dagtilbud.css")) {
      res.writeHead(200, { "content-type": "text/css" });
      return res.end(css);
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(stripped);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = server.address().port;
  const paints = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await phone(context);
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: "load" });
    // The paint entry may come a moment after "load".
    await page
      .waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, null, { timeout: 5000 })
      .catch(() => {});
    paints.push(await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null));
    await context.close();
  }
  server.close();
  return median(paints);
}

const cookies = await sessionCookies();
const rows = [];
for (const [url, withCookies] of [
  ...publicPages.map((p) => [p, false]),
  ...otherPages.map((p) => [p, false]),
  ...sectionPages.map((p) => [p, true]),
  ...plainPages.map((p) => [p, true]),
]) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await load(url, withCookies ? cookies : null));
  const scripts = results[0].scripts;
  const unique = [...new Map(scripts.map((s) => [s.path, s])).values()];
  rows.push({
    url,
    sent: unique.reduce((sum, s) => sum + s.sent, 0),
    brotli: unique.reduce((sum, s) => sum + brotliOnDisk(s.path), 0),
    paint: median(results.map((r) => r.paint)),
    interactive: median(results.map((r) => r.interactive)),
    hydrated: results.filter((r) => r.hydrates).length,
  });
}
const base_paint = await baseline("/dagtilbud/G10234");

console.log(`## Page load under the mobile profile (median of ${runs}, cold cache)`);
console.log(`baseline: /dagtilbud/G10234's HTML + css as a static file, no scripts: first paint ${ms(base_paint)} ms`);
console.log("| page | wasm+js sent (KB) | wasm+js brotli (KB) | first paint (ms) | interactive (ms) | interactive / baseline paint | hydrated |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  const ratio = r.interactive !== null && base_paint ? (r.interactive / base_paint).toFixed(1) : "–";
  console.log(`| ${r.url} | ${kb(r.sent)} | ${kb(r.brotli)} | ${ms(r.paint)} | ${ms(r.interactive)} | ${ratio} | ${r.hydrated}/${runs} |`);
}
await browser.close();
