// The site of `newsmark report` in a real browser: Debian's Chromium,
// headless, driven by playwright-core (scripts/test-report.sh installs
// both and writes the site and the JSON this test compares it with).
//
//   REPORT_DIR   the site, written by `newsmark report examples --out …`
//   STATS_JSON   `newsmark stats --format json examples`
//   GRAPH_JSON   `newsmark graph --format json examples`
//   SCREENSHOTS  where the screenshots for docs/report.md go
//
// Every page loads from disk (file://) without a console error or a failed
// request; the numbers shown equal the JSON; graph → entity → article
// works by clicking; the filters hide what they should; axe-core finds no
// serious or critical accessibility violation.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SITE = process.env.REPORT_DIR;
const SHOTS = process.env.SCREENSHOTS;
const stats = JSON.parse(readFileSync(process.env.STATS_JSON, "utf8"));
const graph = JSON.parse(readFileSync(process.env.GRAPH_JSON, "utf8"));

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    timeout: 60_000,
    // As root in a container with no network: no sandbox, no GPU, no
    // background connections.
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
  });
});
after(async () => browser?.close());

function pages(folder = SITE) {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return pages(full);
    return name.endsWith(".html") ? [full] : [];
  });
}

/** A page with every console error, page error and failed request kept. */
async function open(file) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`failed request: ${request.url()}`));
  page.on("request", (request) => {
    if (!request.url().startsWith("file://")) problems.push(`request off disk: ${request.url()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, problems };
}

test("every page loads from disk without an error", async () => {
  const all = pages();
  assert.ok(all.length > 30, `${all.length} pages`);
  for (const file of all) {
    const { page, problems } = await open(file);
    assert.deepEqual(problems, [], path.relative(SITE, file));
    await page.close();
  }
});

test("the corpus page shows the numbers of stats json", async () => {
  const { page } = await open(path.join(SITE, "index.html"));
  const cells = await page.$$eval("td[data-stat]", (tds) => tds.map((td) => [td.dataset.stat, td.dataset.value, td.textContent]));
  assert.ok(cells.length >= 14);
  for (const [key, value, shown] of cells) {
    assert.deepEqual(JSON.parse(value), stats.corpus[key], key);
    const expected = stats.corpus[key];
    if (Number.isInteger(expected)) assert.equal(shown, String(expected), key);
  }
  const shownSources = await page.$$eval('[data-list="top_sources"] li', (lis) => lis.map((li) => [li.dataset.id, Number(li.dataset.value)]));
  assert.deepEqual(shownSources, stats.corpus.top_sources.map((s) => [s.id, s.claims]));
  assert.equal(await page.locator("svg.chart").count() >= 2, true);
  await page.screenshot({ path: path.join(SHOTS, "report-corpus.png"), fullPage: true });
  await page.close();
});

test("the graph draws graph json, filters, and leads to an entity and an article", async () => {
  const { page, problems } = await open(path.join(SITE, "graph.html"));
  assert.equal(await page.locator(".claim-node").count(), graph.claims.length);
  await page.screenshot({ path: path.join(SHOTS, "report-graph.png") });

  // Filter by an entity: only the claims it sources or carried stay.
  const lavrov = graph.claims.filter((c) => c.sources.includes("lavrov") || (c.chains ?? []).some((ch) => ch.via.includes("lavrov")));
  await page.selectOption('select[name="entity"]', "lavrov");
  assert.equal(await page.locator(".claim-node:visible").count(), lavrov.length);
  assert.match(await page.locator("#graph-count").textContent(), new RegExp(`^${lavrov.length} of ${graph.claims.length} claims`));
  // Dates out of range hide everything; reset shows all again.
  await page.fill('input[name="from"]', "2099-01-01");
  await page.locator('input[name="from"]').dispatchEvent("change");
  assert.equal(await page.locator(".claim-node:visible").count(), 0);
  await page.click('button[type="reset"]');
  await page.waitForFunction((n) => document.querySelectorAll(".claim-node:not([style*='none'])").length === n, graph.claims.length);

  // Graph → entity page.
  const entity = graph.entities.find((e) => e.id === "lavrov");
  await Promise.all([page.waitForNavigation(), page.locator('.entity-node[data-id="lavrov"]').click()]);
  assert.match(page.url(), /\/entities\/\d+\.html$/);
  assert.match(await page.locator("h1").textContent(), new RegExp(entity.name));
  const said = await page.locator('h2:has-text("Claims it is the source of")').textContent();
  assert.match(said, new RegExp(`\\(${entity.claims}\\)`));

  // Entity → the article with the claim, at its line.
  await Promise.all([page.waitForNavigation(), page.locator("main ul li a[href*='articles/']").first().click()]);
  assert.match(page.url(), /\/articles\/\d+\.html#line-\d+$/);
  const anchor = decodeURIComponent(new URL(page.url()).hash.slice(1));
  assert.equal(await page.locator(`[id="${anchor}"]`).count(), 1);
  assert.ok((await page.locator(".claim").count()) > 0);
  assert.deepEqual(problems, []);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, "report-article.png") });
  await page.close();
});

test("axe-core finds no serious or critical violation", async () => {
  const sample = ["index.html", "graph.html", "articles/index.html", "articles/0.html", "entities/index.html", "entities/0.html"];
  for (const name of sample) {
    const { page } = await open(path.join(SITE, name));
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
    const bad = result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} nodes, e.g. ${v.nodes[0]?.html}`);
    assert.deepEqual(bad, [], name);
    await page.close();
  }
});
