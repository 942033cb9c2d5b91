// The filter (static/filter.js) on the timeline and term pages, in
// Chromium: participant and status together show exactly the entries the
// build's own data says match (filter-index.json, its rows in the order the
// content folder gives); the address reproduces the view on a fresh page;
// Back and Forward restore the views before and after; the form works from
// the keyboard alone; a polite live region says how many entries are shown;
// without JavaScript the same place links to the term pages; the form
// arrives closed, so nothing below it moves; axe finds nothing with filters
// applied. On the paginated fixture, a filter counts the matches on the
// other pages from the index and links to each, and those links show them.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  SITES, REPO, TARGET, urlOf, contentEntries, watch, useBrowser, runAxe, describeViolations,
} from '../lib/env.js';
import { serve } from '../lib/server.js';

const ctx = useBrowser();
const bundled = SITES.find((s) => s.name === 'bundled');

const paginated = {
  name: 'paginated',
  dir: process.env.PAGINATED_DIR || path.join(TARGET, 'site-paginated'),
  base: '/paged/',
  content: path.join(REPO, 'tests/fixtures/paginated/content'),
};
let pagedServer;

before(async () => {
  if (!fs.existsSync(path.join(paginated.dir, 'index.html'))) {
    throw new Error(`paginated site not built: no ${paginated.dir}/index.html (run scripts/test)`);
  }
  pagedServer = await serve({ dir: paginated.dir, base: paginated.base });
  paginated.url = pagedServer.url.endsWith('/') ? pagedServer.url : `${pagedServer.url}/`;
});

after(async () => {
  await pagedServer?.close();
});

const KISHIDA = 'fumio-kishida';

/** The index the build wrote. */
const readIndex = (site) => JSON.parse(fs.readFileSync(path.join(site.dir, 'filter-index.json'), 'utf8'));

/**
 * The anchors of the entries a query matches, in chronological order, from
 * the build's index (row i is the i-th article of the content folder in
 * timeline order); `within` limits them to one term's listing.
 */
function expected(site, query, within = null) {
  const index = readIndex(site);
  const entries = contentEntries(site);
  assert.equal(index.kind.length, entries.length, 'one index row per article');
  const params = new URLSearchParams(query);
  const has = (key, slug, i) => {
    const t = index.taxonomies.find((x) => x.key === key);
    return t.entries[i].includes(t.terms.findIndex(([s]) => s === slug));
  };
  return entries
    .filter((_, i) => {
      if (within && !has(within.taxonomy, within.term, i)) return false;
      for (const t of index.taxonomies) {
        const slug = params.get(t.param);
        if (slug && !has(t.key, slug, i)) return false;
      }
      const kinds = params.getAll('kind');
      const statuses = params.getAll('status');
      if (kinds.length && !kinds.includes(index.kinds[index.kind[i]].key)) return false;
      if (statuses.length && !statuses.includes(index.statuses[index.status[i]].key)) return false;
      return true;
    })
    .map((e) => e.anchor);
}

/** The entries a reader sees (rendered, not hidden), in page order. */
const visibleEntries = (page) =>
  page.$$eval('main li.entry', (lis) => lis.filter((li) => li.checkVisibility()).map((li) => li.id));

const statusText = (page) => page.textContent('#filter [role=status][aria-live=polite]');

/** A page opened at `rel`, once the script has built its form. */
async function open(site, rel, context = ctx.browser) {
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(urlOf(site, rel));
  await page.waitForSelector('#filter form', { state: 'attached' });
  return { page, problems };
}

describe('filter: bundled site', () => {
  test('participant and status together show exactly the matching entries', async () => {
    const { page, problems } = await open(bundled, '');
    const all = contentEntries(bundled).length;
    await page.click('#filter summary');
    await page.selectOption('#filter-participant', KISHIDA);
    await page.check('#filter input[name=status][value=held]');
    const want = expected(bundled, `participant=${KISHIDA}&status=held`);
    // The filter must narrow by each of the two, or it proves nothing.
    assert.ok(want.length > 0, 'some entries match');
    assert.ok(want.length < expected(bundled, `participant=${KISHIDA}`).length, 'the status narrows it');
    assert.ok(want.length < expected(bundled, 'status=held').length, 'the participant narrows it');
    assert.deepEqual(await visibleEntries(page), want);
    assert.equal(new URL(page.url()).search, `?participant=${KISHIDA}&status=held`);
    assert.equal(await statusText(page), `${want.length} of ${all} entries shown.`);
    // A year with nothing to show is hidden with its entries.
    const emptyYears = await page.$$eval('main section.year', (ss) =>
      ss.filter((s) => s.checkVisibility() && !s.querySelector('li.entry:not([hidden])')).length,
    );
    assert.equal(emptyYears, 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the address reproduces the view on a fresh page', async () => {
    const context = await ctx.browser.newContext();
    const query = `participant=${KISHIDA}&status=held`;
    const { page, problems } = await open(bundled, `?${query}`, context);
    assert.equal(await page.isVisible('#filter-participant'), true, 'a filtered page opens with its form open');
    const want = expected(bundled, query);
    assert.deepEqual(await visibleEntries(page), want);
    assert.equal(await page.inputValue('#filter-participant'), KISHIDA);
    assert.equal(await page.isChecked('#filter input[name=status][value=held]'), true);
    assert.equal(await page.isChecked('#filter input[name=status][value=planned]'), false);
    assert.equal(await statusText(page), `${want.length} of ${contentEntries(bundled).length} entries shown.`);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('Back restores the previous view, Forward the next', async () => {
    const { page, problems } = await open(bundled, '');
    const all = contentEntries(bundled).map((e) => e.anchor);
    await page.click('#filter summary');
    await page.selectOption('#filter-participant', KISHIDA);
    await page.check('#filter input[name=status][value=held]');
    assert.deepEqual(await visibleEntries(page), expected(bundled, `participant=${KISHIDA}&status=held`));

    await page.goBack();
    assert.equal(new URL(page.url()).search, `?participant=${KISHIDA}`);
    assert.deepEqual(await visibleEntries(page), expected(bundled, `participant=${KISHIDA}`));
    assert.equal(await page.isChecked('#filter input[name=status][value=held]'), false);

    await page.goBack();
    assert.equal(new URL(page.url()).search, '');
    assert.deepEqual(await visibleEntries(page), all);
    assert.equal(await page.inputValue('#filter-participant'), '');

    await page.goForward();
    assert.deepEqual(await visibleEntries(page), expected(bundled, `participant=${KISHIDA}`));
    assert.equal(await page.inputValue('#filter-participant'), KISHIDA);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the form works from the keyboard alone, and the count is announced', async () => {
    const { page, problems } = await open(bundled, '');
    const all = contentEntries(bundled).length;
    const live = await page.$eval('#filter [role=status]', (el) => ({
      live: el.getAttribute('aria-live'),
      atomic: el.getAttribute('aria-atomic'),
      text: el.textContent,
    }));
    assert.deepEqual(live, { live: 'polite', atomic: 'true', text: '' }, 'a quiet live region at first');
    // Closed at first: Tab from the top of the page to it, open it with
    // Enter, on to the participant list; type to choose.
    assert.equal(await page.isVisible('#filter-participant'), false, 'the form starts closed');
    for (let i = 0; ; i++) {
      assert.ok(i < 100, 'Tab reaches the filter');
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.matches('#filter summary'))) break;
    }
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'filter-participant');
    await page.keyboard.type('Fumio');
    assert.equal(await page.inputValue('#filter-participant'), KISHIDA);
    let want = expected(bundled, `participant=${KISHIDA}`);
    assert.deepEqual(await visibleEntries(page), want);
    assert.equal(await statusText(page), `${want.length} of ${all} entries shown.`);
    // On to the status "Held", ticked with the space bar.
    for (let i = 0; ; i++) {
      assert.ok(i < 20, 'Tab reaches the status Held');
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.matches('input[name=status][value=held]'))) break;
    }
    await page.keyboard.press('Space');
    want = expected(bundled, `participant=${KISHIDA}&status=held`);
    assert.deepEqual(await visibleEntries(page), want);
    assert.equal(await statusText(page), `${want.length} of ${all} entries shown.`);
    // "Show all", from the keyboard: every entry again, the focus kept.
    for (let i = 0; ; i++) {
      assert.ok(i < 20, 'Tab reaches Show all');
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.matches('#filter button'))) break;
    }
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Show all');
    assert.equal((await visibleEntries(page)).length, all);
    assert.equal(await statusText(page), `All ${all} entries shown.`);
    assert.equal(new URL(page.url()).search, '');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("on a participant's page the filter works within their entries", async () => {
    const { page, problems } = await open(bundled, `participants/${KISHIDA}/?status=held`);
    const within = { taxonomy: 'participants', term: KISHIDA };
    const want = expected(bundled, 'status=held', within);
    assert.ok(want.length > 0 && want.length < expected(bundled, '', within).length);
    assert.deepEqual(await visibleEntries(page), want);
    // The people he met are offered; he is not (every entry here is his).
    const offered = await page.$$eval('#filter-participant option', (os) => os.map((o) => o.value));
    assert.ok(!offered.includes(KISHIDA));
    assert.ok(offered.includes('joe-biden'));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('without JavaScript the same place links to every term page', async () => {
    const context = await ctx.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    for (const rel of ['', `participants/${KISHIDA}/`]) {
      await page.goto(urlOf(bundled, rel));
      assert.equal(await page.locator('#filter form').count(), 0, `${rel}: no form without the script`);
      const links = await page.$$eval('#filter .filter-links a', (as) =>
        as.filter((a) => a.checkVisibility()).map((a) => new URL(a.href).pathname),
      );
      assert.deepEqual(links, ['/participants/', '/places/', '/tags/', '/series/'], rel);
    }
    // Every path: each index links to every term page, whose entries are all shown.
    const index = readIndex(bundled);
    for (const t of index.taxonomies) {
      await page.goto(urlOf(bundled, t.url.slice(1)));
      const terms = await page.$$eval('main a[href]', (as) => as.map((a) => new URL(a.href).pathname));
      for (const [slug] of t.terms) {
        const url = `${t.url}${slug}/`;
        assert.ok(terms.includes(url), `${t.url} links to ${url}`);
      }
    }
    await page.goto(urlOf(bundled, `participants/${KISHIDA}/`));
    assert.deepEqual(
      await visibleEntries(page),
      expected(bundled, '', { taxonomy: 'participants', term: KISHIDA }),
    );
    await context.close();
  });

  test('the form arrives closed, without moving the entries below it', async () => {
    // Where the first year starts below the filter, without the script and
    // once it has run: at most a line apart (the links may wrap where the
    // closed form does not). Measured from the filter's top, since on a
    // phone the header's script shortens the introduction above it.
    for (const width of [320, 1280]) {
      const tops = [];
      for (const javaScriptEnabled of [false, true]) {
        const context = await ctx.browser.newContext({ javaScriptEnabled, viewport: { width, height: 800 } });
        const page = await context.newPage();
        await page.goto(bundled.url);
        if (javaScriptEnabled) await page.waitForSelector('#filter form', { state: 'attached' });
        tops.push(await page.$eval('main section.year', (s) => s.getBoundingClientRect().top - document.getElementById('filter').getBoundingClientRect().top));
        await context.close();
      }
      assert.ok(Math.abs(tops[1] - tops[0]) <= 28, `${width} px: the entries moved from ${tops[0]} to ${tops[1]}`);
    }
  });

  test('axe finds nothing with filters applied, light and dark', async () => {
    const found = [];
    for (const colorScheme of ['light', 'dark']) {
      const context = await ctx.browser.newContext({ colorScheme });
      for (const rel of [`?participant=${KISHIDA}&status=held&kind=meeting`, `participants/${KISHIDA}/?status=planned`]) {
        const { page } = await open(bundled, rel, context);
        found.push(...describeViolations(page.url(), colorScheme, (await runAxe(page)).violations));
        await page.close();
      }
      await context.close();
    }
    assert.deepEqual(found, []);
  });
});

describe('filter: a timeline in pages', () => {
  /** The matches listed for other pages: [{ href, label, count }]. */
  const otherPages = (page) =>
    page.$$eval('#filter .filter-more li', (lis) =>
      lis
        .filter((li) => li.checkVisibility())
        .map((li) => {
          const a = li.querySelector('a');
          return { href: a.href, label: a.textContent, count: Number(/: (\d+) entr/.exec(li.textContent)[1]) };
        }),
    );

  for (const [listing, rel, query, within] of [
    ['the timeline', '', 'participant=town-council', null],
    ["a participant's pages", 'participants/river-board/', 'tag=budget', { taxonomy: 'participants', term: 'river-board' }],
  ]) {
    test(`${listing}: a filter finds the matches on other pages, and their links show them`, async () => {
      const { page, problems } = await open(paginated, `${rel}?${query}`);
      const want = expected(paginated, query, within);
      const here = await visibleEntries(page);
      const others = await otherPages(page);
      assert.ok(others.length >= 2, `matches on at least two other pages: ${JSON.stringify(others)}`);
      assert.equal(here.length + others.reduce((n, o) => n + o.count, 0), want.length, 'every match counted once');
      const onThisPage = await page.$$eval('main li.entry', (lis) => lis.length);
      assert.equal(
        await statusText(page),
        `${here.length} of ${onThisPage} ${onThisPage === 1 ? 'entry' : 'entries'} on this page shown; ${want.length - here.length} more on other pages.`,
      );
      // Each link opens its page filtered the same way, showing what it counted.
      const seen = [...here];
      for (const other of others) {
        assert.equal(new URL(other.href).search, `?${query}`);
        const { page: there, problems: thereProblems } = await open(paginated, other.href.slice(paginated.url.length));
        const shown = await visibleEntries(there);
        assert.equal(shown.length, other.count, other.href);
        seen.push(...shown);
        assert.deepEqual(thereProblems, []);
        await there.close();
      }
      assert.deepEqual([...seen].sort(), [...want].sort());
      assert.equal(new Set(seen).size, seen.length);
      // Axe, with the other pages' list in view.
      assert.deepEqual(describeViolations(page.url(), 'light', (await runAxe(page)).violations), []);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});
