// A timeline longer than its page size (tests/fixtures/paginated, three
// entries to a page), in a real browser: the pages together show every
// entry once, in order; the year bar lands on each year across pages; an
// article's way back lands on its entry on the page that lists it; the
// page links work from the keyboard; axe finds nothing on any page; no page
// scrolls sideways at 320 px.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TARGET, launch, axeContext, runAxe, describeViolations } from '../lib/env.js';
import { serve } from '../lib/server.js';

const DIR = process.env.PAGINATED_DIR || path.join(TARGET, 'site-paginated');
const BASE = '/paged/';
let browser;
let server;
let url;

before(async () => {
  if (!fs.existsSync(path.join(DIR, 'index.html'))) {
    throw new Error(`paginated site not built: no ${DIR}/index.html (run scripts/test)`);
  }
  server = await serve({ dir: DIR, base: BASE });
  url = server.url.endsWith('/') ? server.url : `${server.url}/`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Every HTML page of the site, as paths under the base. */
function pages() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'index.html') out.push(path.relative(DIR, path.dirname(p)).split(path.sep).join('/'));
    }
  };
  walk(DIR);
  return out.map((p) => (p ? `${p}/` : '')).sort();
}

const entryIds = (page) => page.$$eval('ol.entries > li', (lis) => lis.map((li) => li.id));

test('the pages show every entry once, in order, following the page links', async () => {
  const page = await browser.newPage();
  await page.goto(url);
  // Back from the newest page to the first, then forward again.
  while (await page.locator('nav.pagination a[rel=prev]').count()) {
    await page.click('nav.pagination a[rel=prev]');
  }
  const seen = [];
  for (;;) {
    const ids = await entryIds(page);
    assert.ok(ids.length >= 1 && ids.length <= 3, `${page.url()}: ${ids.length} entries`);
    seen.push(...ids);
    if (!(await page.locator('nav.pagination a[rel=next]').count())) break;
    await page.click('nav.pagination a[rel=next]');
  }
  assert.equal(new URL(page.url()).pathname, BASE, 'the last page is the one a reader lands on');
  assert.equal(new Set(seen).size, 15);
  assert.equal(seen.length, 15);
  // Ids start with the year folder: chronological order keeps them sorted by year.
  const years = seen.map((id) => Number(id.slice(0, 4)));
  assert.deepEqual(years, [...years].sort((a, b) => a - b));
  await page.close();
});

test('the year bar lands on each year, on the page that holds it', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  const links = await page.$$eval('nav.years a', (as) => as.map((a) => [a.textContent.trim(), a.href]));
  assert.equal(links.length, 6);
  for (const [year, href] of links) {
    await page.goto(href);
    const target = await page.evaluate(() => {
      const el = document.querySelector(':target');
      return el ? { id: el.id, visible: el.getBoundingClientRect().top < innerHeight } : null;
    });
    assert.deepEqual(target, { id: `y${year}`, visible: true }, href);
  }
  await page.close();
});

test("an article's way back lands on its entry, from the keyboard", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${url}2019/spring-talks/`);
  const back = page.locator('.article-nav .back a');
  await back.focus();
  await Promise.all([page.waitForURL(/#2019-spring-talks$/), page.keyboard.press('Enter')]);
  assert.match(new URL(page.url()).pathname, /\/paged\/timeline\/.+\//);
  assert.equal(await page.evaluate(() => document.querySelector(':target')?.id), '2019-spring-talks');
  await page.close();
});

test('axe finds nothing on any page, and nothing scrolls sideways at 320 px', async () => {
  const context = await axeContext(browser, { viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const found = [];
  const wide = [];
  for (const rel of pages()) {
    const pageUrl = `${url}${rel}`;
    await page.goto(pageUrl);
    found.push(...describeViolations(pageUrl, 'light', (await runAxe(page)).violations));
    if (await page.evaluate(() => document.documentElement.scrollWidth > innerWidth)) wide.push(pageUrl);
  }
  await context.close();
  assert.deepEqual(found, []);
  assert.deepEqual(wide, []);
});
