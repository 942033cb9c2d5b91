// Inline citations as a reader uses them: a citation moves focus to its
// numbered source, and the source's link back returns focus to that
// citation, by keyboard and by mouse, on the bundled site.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SITES, useBrowser } from '../lib/env.js';

const ctx = useBrowser();
const site = SITES.find((s) => s.name === 'bundled');
const ARTICLE = '2023/camp-david-summit/';

/** What has the focus: its id, or its tag. */
function focused(page) {
  return page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
}

describe('citations', () => {
  test('a citation moves focus to its source, and the link back returns it', async () => {
    const page = await ctx.browser.newPage();
    await page.goto(new URL(ARTICLE, site.url).href);
    const citations = await page.$$eval('sup.citation a', (as) =>
      as.map((a) => ({ id: a.id, href: a.getAttribute('href'), name: a.getAttribute('aria-label') })));
    assert.ok(citations.length >= 5, `${citations.length} citations`);
    // The third citation, reached and followed by keyboard.
    const cite = citations[2];
    const source = cite.href.split('#')[1];
    assert.match(cite.name, /^Source \d+: \S/);
    await page.focus(`#${cite.id}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((s) => document.activeElement?.id === s, source);
    assert.equal(await focused(page), source);
    assert.ok(await page.evaluate((s) => document.getElementById(s).matches(':target'), source));
    assert.equal(new URL(page.url()).pathname, new URL(ARTICLE, site.url).pathname, 'the same page');
    // Tab goes into the source's own links; its link back to this
    // citation returns the focus there.
    const back = `#${source} a[href="#${cite.id}"]`;
    assert.equal(await page.$$eval(back, (as) => as.length), 1);
    await page.focus(back);
    await page.keyboard.press('Enter');
    await page.waitForFunction((c) => document.activeElement?.id === c, cite.id);
    assert.equal(await focused(page), cite.id);
    // By mouse too.
    await page.click(`#${cite.id}`);
    await page.waitForFunction((s) => document.activeElement?.id === s, source);
    await page.close();
  });

  test('every citation on every article names a source in its list', async () => {
    const page = await ctx.browser.newPage();
    await page.goto(new URL(ARTICLE, site.url).href);
    const missing = await page.$$eval('sup.citation a', (as) =>
      as.filter((a) => !document.getElementById(a.getAttribute('href').split('#')[1])).map((a) => a.id));
    assert.deepEqual(missing, []);
    await page.close();
  });
});
