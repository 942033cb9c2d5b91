// The timeline and article pages as a reader uses them: order, year
// navigation, permalinks, keyboard navigation, no errors, no JavaScript.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SITES, htmlPages, urlOf, pageTypes, contentEntries, siteOrder, watch, useBrowser,
} from '../lib/env.js';

const ctx = useBrowser();

/** Polls `fn` until it returns true (smooth scrolling takes a moment). */
async function eventually(fn, what, timeout = 3000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last === true) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what}: ${JSON.stringify(last)}`);
}

/** True when the element is the :target, in the viewport and not under the sticky year bar. */
function landedOn(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return `no element ${sel}`;
    if (!el.matches(':target')) return `${sel} is not the :target (hash ${location.hash})`;
    const r = el.getBoundingClientRect();
    const bar = document.querySelector('nav.years');
    const barBottom = bar && getComputedStyle(bar).position === 'sticky' ? bar.getBoundingClientRect().bottom : 0;
    if (r.top < barBottom - 1 || r.top >= innerHeight) return `${sel} top at ${r.top}, visible band ${barBottom}..${innerHeight}`;
    return true;
  }, selector);
}

/** Presses Tab until `selector` has the focus; fails after `limit` presses. */
async function tabTo(page, selector, limit = 150) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i + 1;
  }
  assert.fail(`Tab never reached ${selector} in ${limit} presses`);
}

for (const site of SITES) {
  describe(`behaviour: ${site.name} site`, () => {
    test('the timeline shows every entry, in chronological order', async () => {
      const page = await ctx.browser.newPage();
      await page.goto(site.url);
      const shown = await page.$$eval('ol.entries > li', (lis) =>
        lis.map((li) => ({ anchor: li.id, datetime: li.querySelector('time')?.getAttribute('datetime'), visible: li.checkVisibility() })),
      );
      await page.close();
      let expected = contentEntries(site);
      if (siteOrder(site) === 'descending') expected = expected.reverse();
      assert.ok(expected.length > 0, 'the content folder has articles');
      assert.deepEqual(
        shown.map((e) => `${e.anchor} ${e.datetime}`),
        expected.map((e) => `${e.anchor} ${e.datetime}`),
        `entries on ${site.url} (id, datetime) in ${siteOrder(site)} order`,
      );
      assert.deepEqual(shown.filter((e) => !e.visible).map((e) => e.anchor), [], 'hidden entries');
      // Independently of the content files: start dates never go backwards.
      const starts = shown.map((e) => e.datetime.padEnd(10, '-00').replaceAll('-00', '-01'));
      const sorted = [...starts].sort();
      if (siteOrder(site) === 'descending') sorted.reverse();
      assert.deepEqual(starts, sorted, 'start dates are monotonic');
    });

    test('the year navigation jumps to each year', async () => {
      const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(site.url);
      const links = await page.$$eval('nav.years a', (as) => as.map((a) => a.getAttribute('href')));
      assert.ok(links.length > 1, 'there are year links');
      for (const href of links) {
        assert.match(href, /^#y-?\d+$/);
        await page.click(`nav.years a[href="${href}"]`);
        assert.equal(new URL(page.url()).hash, href);
        await eventually(() => landedOn(page, href), `after clicking ${href}`);
        await page.goto(site.url);
      }
      await page.close();
    });

    test("an entry's permalink lands on the entry", async () => {
      const [entry] = contentEntries(site).filter((e) => e.id === site.article);
      const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${site.url}#${entry.anchor}`);
      await eventually(() => landedOn(page, `[id="${entry.anchor}"]`), `permalink #${entry.anchor}`);
      await page.close();
      // and at a phone's width too, opened afresh there: resizing and
      // reloading one page raced the browser's scroll restoration (which
      // could put back the offset saved at the wider layout).
      const phone = await ctx.browser.newPage({ viewport: { width: 320, height: 640 } });
      await phone.goto(`${site.url}#${entry.anchor}`);
      await eventually(() => landedOn(phone, `[id="${entry.anchor}"]`), `permalink #${entry.anchor} at 320 px`);
      await phone.close();
    });

    test('earlier, later and back links work from the keyboard alone', async () => {
      const entries = contentEntries(site);
      const i = entries.findIndex((e) => e.id === site.article);
      assert.ok(i > 0 && i < entries.length - 1, `${site.article} has neighbours on both sides`);
      const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 800 } });
      const articleUrl = urlOf(site, `${site.article}/`);

      await page.goto(articleUrl);
      await tabTo(page, 'a[rel=prev]');
      await Promise.all([page.waitForURL(urlOf(site, `${entries[i - 1].id}/`)), page.keyboard.press('Enter')]);

      await page.goto(articleUrl);
      await tabTo(page, 'a[rel=next]');
      await Promise.all([page.waitForURL(urlOf(site, `${entries[i + 1].id}/`)), page.keyboard.press('Enter')]);

      await page.goto(articleUrl);
      await tabTo(page, '.article-nav .back a');
      const back = `${site.url}#${entries[i].anchor}`;
      await Promise.all([page.waitForURL(back), page.keyboard.press('Enter')]);
      await eventually(() => landedOn(page, `[id="${entries[i].anchor}"]`), 'back link target');

      // The first and last entries say so instead of linking.
      await page.goto(urlOf(site, `${entries[0].id}/`));
      assert.equal(await page.locator('a[rel=prev]').count(), 0, 'the first entry has no earlier link');
      await page.goto(urlOf(site, `${entries.at(-1).id}/`));
      assert.equal(await page.locator('a[rel=next]').count(), 0, 'the last entry has no later link');
      await page.close();
    });

    test('the server answers a missing page with the 404 page and status 404', async () => {
      const res = await fetch(urlOf(site, 'no-such-page/'));
      assert.equal(res.status, 404);
      assert.match(await res.text(), /<h1>Page not found<\/h1>/);
    });

    test('no console errors and no failed requests on any page', async () => {
      const pages = [...htmlPages(site).filter((p) => p !== '404.html'), 'no-such-page/'];
      const context = await ctx.browser.newContext();
      const problems = [];
      for (const rel of pages) {
        const page = await context.newPage();
        const url = urlOf(site, rel);
        const seen = watch(page, { allow: (u, status) => rel === 'no-such-page/' && u === url && status === 404 });
        await page.goto(url, { waitUntil: 'load' });
        await page.close();
        problems.push(...seen.map((p) => `${url}: ${p}`));
      }
      await context.close();
      assert.deepEqual(problems, []);
    });

    test('every page type works with JavaScript disabled', async () => {
      const context = await ctx.browser.newContext({ javaScriptEnabled: false });
      for (const [type, { rel, status }] of Object.entries(pageTypes(site))) {
        const page = await context.newPage();
        const res = await page.goto(urlOf(site, rel));
        assert.equal(res.status(), status, `${type} status`);
        const state = await page.evaluate(() => ({
          h1: document.querySelector('main h1')?.textContent.trim(),
          mainVisible: document.querySelector('main')?.checkVisibility() ?? false,
          h1Visible: document.querySelector('main h1')?.checkVisibility() ?? false,
          links: [...document.querySelectorAll('main a[href]')].filter((a) => a.checkVisibility()).length,
          styled: getComputedStyle(document.querySelector('.site-header')).borderBottomStyle,
          hiddenEntries: [...document.querySelectorAll('li.entry')].filter((li) => !li.checkVisibility()).length,
        }));
        assert.ok(state.h1, `${type}: a heading`);
        assert.ok(state.mainVisible && state.h1Visible, `${type}: content visible`);
        assert.ok(state.links > 0, `${type}: links present`);
        assert.equal(state.styled, 'solid', `${type}: the stylesheet applies`);
        assert.equal(state.hiddenEntries, 0, `${type}: every entry visible`);
        if (type === 'article') {
          for (const sel of ['a[rel=prev]', 'a[rel=next]', '.article-nav .back a']) {
            assert.ok(await page.locator(sel).isVisible(), `article: ${sel} visible`);
          }
        }
        await page.close();
      }
      await context.close();
    });
  });
}
