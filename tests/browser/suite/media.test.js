// An event's picture (the fixture site's 2023/river-survey has a 900 × 600
// PNG): a figure on its article and a thumbnail on the timeline, at a
// phone's width. Their space is reserved before the image arrives (the
// image requests are held back here), so nothing moves when it loads; and
// neither makes the page scroll sideways.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SITES, urlOf, useBrowser } from '../lib/env.js';

const ctx = useBrowser();
const site = SITES.find((s) => s.name === 'fixture');

/** A page at 320 × 640 whose image requests never answer. */
async function phonePage() {
  const page = await ctx.browser.newPage({ viewport: { width: 320, height: 640 } });
  await page.route('**/images/river-bed.png', () => {}); // held: never fulfilled
  return page;
}

async function box(page, selector) {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return { width: r.width, height: r.height, complete: el.complete, scroll: document.documentElement.scrollWidth };
  });
}

describe('media at 320 px', () => {
  test('the article figure keeps the image’s proportions before it loads', async () => {
    const page = await phonePage();
    await page.goto(urlOf(site, '2023/river-survey/'), { waitUntil: 'domcontentloaded' });
    const img = await box(page, 'figure.media img');
    assert.equal(img.complete, false, 'the image is still on its way');
    assert.ok(img.width > 0 && img.width <= 320, `figure width ${img.width}`);
    // 900 × 600 read from the file: the box is already two thirds as tall as wide.
    assert.ok(Math.abs(img.height - (img.width * 600) / 900) < 1, `figure box ${img.width} × ${img.height}`);
    assert.ok(img.scroll <= 320, `page scrolls sideways: ${img.scroll}px wide`);
    const caption = await page.textContent('figure.media figcaption');
    assert.match(caption, /placeholder picture/);
    assert.match(caption, /Fixture image/);
    await page.close();
  });

  test('the timeline thumbnail has its fixed box before it loads', async () => {
    const page = await phonePage();
    await page.goto(site.url, { waitUntil: 'domcontentloaded' });
    const thumb = await box(page, 'li[id="2023-river-survey"] img.entry-thumb');
    assert.equal(thumb.complete, false, 'the thumbnail is still on its way');
    assert.deepEqual([thumb.width, thumb.height], [96, 64], 'a 6rem × 4rem box');
    assert.ok(thumb.scroll <= 320, `page scrolls sideways: ${thumb.scroll}px wide`);
    const alt = await page.getAttribute('li[id="2023-river-survey"] img.entry-thumb', 'alt');
    assert.ok(alt && alt.length > 10, 'the thumbnail has its text alternative');
    await page.close();
  });
});
