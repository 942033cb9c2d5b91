// The bundled site's timeline.json, read by TimelineJS itself on the
// timeline-view/ page: a title slide with the site's title, then as many
// event slides as timeline.json has events (and the content folder has
// published articles), in the same order, each with its headline and date;
// nothing requested from anywhere but the site (anything else is blocked,
// and none is attempted), no console errors, no failed requests; the way
// back to the plain timeline with and without JavaScript; axe finds
// nothing on any slide (the page darkens TimelineJS's pale greys); no
// sideways scrolling at 320 px once TimelineJS has drawn; on the Japanese
// site, its buttons speak Japanese (timelinejs-locale.json).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  SITES, LANGUAGE_SITES, startLanguageSites, startBundledSite, launch, watch, contentEntries, runAxe, describeViolations,
} from '../lib/env.js';

const site = SITES.find((s) => s.name === 'bundled');
const REL = 'timeline-view/';
let browser;
let stopSite;
let siteUrl;

// Only the bundled site is needed: served here unless scripts/test serves it.
before(async () => {
  ({ url: siteUrl, stop: stopSite } = await startBundledSite());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stopSite?.();
});

const pageUrl = () => new URL(REL, siteUrl).href;

/** timeline.json as the build wrote it. */
const data = () => JSON.parse(fs.readFileSync(path.join(site.dir, 'timeline.json'), 'utf8'));

/**
 * A page whose requests may only go to the site's own host (`url`'s, the
 * bundled site's unless given): anything else is recorded in `outside` and
 * aborted. Console errors, page errors and failed requests are recorded in
 * `problems`.
 */
async function guardedPage(options, url = siteUrl) {
  const context = await browser.newContext(options);
  const host = new URL(url).host;
  const outside = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (/^(https?|wss?):$/.test(u.protocol) && u.host !== host) {
      outside.push(u.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  const page = await context.newPage();
  const requested = [];
  page.on('request', (req) => requested.push(req.url()));
  const problems = watch(page);
  return { context, page, outside, problems, requested };
}

/** Waits for TimelineJS to have read the data and drawn its slides. */
async function drawn(page) {
  await page.waitForFunction(
    () => window.timeline?.ready === true && document.querySelector('#timeline-embed .tl-storyslider .tl-slide'),
    null,
    { timeout: 20_000 },
  );
}

/** The slides in the order TimelineJS placed them, left to right. */
function slides(page) {
  return page.$$eval('#timeline-embed .tl-storyslider .tl-slide', (els) =>
    els.map((el) => ({
      id: el.id,
      title: el.classList.contains('tl-slide-titleslide'),
      left: Number.parseFloat(el.style.left),
      headline: el.querySelector('.tl-headline')?.textContent.replace(/\s+/g, ' ').trim() ?? null,
      date: el.querySelector('.tl-headline-date')?.textContent.replace(/\s+/g, ' ').trim() ?? null,
    })),
  );
}

/** HTML text (as timeline.json holds headlines) as the text a reader sees. */
const plain = (page, htmls) =>
  page.evaluate(
    (list) => list.map((h) => new DOMParser().parseFromString(h, 'text/html').body.textContent.replace(/\s+/g, ' ').trim()),
    htmls,
  );

test('timeline.json is TimelineJS3 data for every published article, in order', () => {
  const d = data();
  assert.ok(d.title?.text?.headline, 'a title slide');
  assert.ok(Array.isArray(d.events) && d.events.length > 0, 'events');
  const ids = d.events.map((e) => e.unique_id);
  assert.deepEqual(ids, contentEntries(site).map((e) => e.anchor), 'one event per published article, in the timeline’s order');
  for (const e of d.events) {
    assert.match(e.unique_id, /^[A-Za-z0-9_-]+$/, `${e.unique_id}: an ASCII id`);
    assert.match(String(e.start_date?.year), /^-?\d+$/, `${e.unique_id}: a start year`);
    assert.ok(e.text?.headline, `${e.unique_id}: a headline`);
    assert.ok(e.display_date, `${e.unique_id}: a display date`);
  }
});

test('TimelineJS shows a title slide and one slide per event, in order', async () => {
  const { context, page, outside, problems } = await guardedPage({ viewport: { width: 1280, height: 800 } });
  const d = data();
  await page.goto(pageUrl());
  await drawn(page);

  const shown = await slides(page);
  const lefts = shown.map((s) => s.left);
  assert.ok(lefts.every((x, i) => Number.isFinite(x) && (i === 0 || x > lefts[i - 1])), `slides placed left to right in DOM order: ${lefts}`);
  const events = shown.filter((s) => !s.title);
  const titles = shown.filter((s) => s.title);
  assert.equal(titles.length, 1, 'one title slide');
  assert.equal(shown[0].title, true, 'the title slide comes first');
  const siteTitle = await page.$eval('.site-title', (el) => el.textContent.trim());
  assert.equal(titles[0].headline, siteTitle, 'the title slide shows the site title');

  assert.equal(events.length, d.events.length, 'as many event slides as events in timeline.json');
  assert.deepEqual(events.map((s) => s.id), d.events.map((e) => e.unique_id), 'the slides in the events’ order');
  assert.deepEqual(
    events.map((s) => s.headline),
    await plain(page, d.events.map((e) => e.text.headline)),
    'each slide shows its event’s headline',
  );
  assert.deepEqual(
    events.map((s) => s.date),
    await plain(page, d.events.map((e) => e.display_date)),
    'each slide shows its event’s display date',
  );
  // TimelineJS's own count agrees with the DOM (the title slide is not an event).
  assert.equal(await page.evaluate(() => window.timeline.config.events.length), d.events.length);

  // Moving on from the title slide lands on the first event.
  await page.click('#timeline-embed .tl-slidenav-next');
  await page.waitForFunction((id) => window.timeline.current_id === id, d.events[0].unique_id, { timeout: 5_000 });

  assert.deepEqual(outside, [], 'requests to other hosts (blocked)');
  assert.deepEqual(problems, [], 'console errors or failed requests');
  await context.close();
});

test('the page loads TimelineJS from the site itself and nothing from elsewhere', async () => {
  const { context, page, outside, problems, requested } = await guardedPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(pageUrl());
  await drawn(page);
  // Let any late request (fonts, locale, analytics) show itself.
  await page.waitForLoadState('networkidle');
  const base = new URL(siteUrl);
  const local = requested.filter((u) => u.startsWith(base.origin)).map((u) => new URL(u).pathname);
  for (const f of ['timelinejs/js/timeline.js', 'timelinejs/css/timeline.css', 'timeline.json']) {
    assert.ok(local.includes(`${base.pathname}${f}`), `${f} requested from the site (${local.join(', ')})`);
  }
  assert.deepEqual(outside, [], 'requests to other hosts (blocked)');
  assert.deepEqual(requested.filter((u) => /^https?:/.test(u) && !u.startsWith(base.origin)), []);
  assert.deepEqual(problems, [], 'console errors or failed requests');
  await context.close();
});

test('the way back to the plain timeline, with and without JavaScript', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(pageUrl());
    const state = await page.evaluate(() => ({
      h1: document.querySelector('main h1')?.textContent.trim(),
      h1Visible: document.querySelector('main h1')?.checkVisibility() ?? false,
      back: [...document.querySelectorAll('main a[href]')]
        .filter((a) => !a.closest('#timeline-embed') && a.checkVisibility())
        .map((a) => a.href),
      note: document.querySelectorAll('main noscript').length,
    }));
    const label = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
    assert.ok(state.h1 && state.h1Visible, `${label}: a visible heading`);
    assert.ok(state.back.includes(new URL(siteUrl).href), `${label}: a visible link to the timeline (${state.back.join(', ')})`);
    assert.equal(state.note, 1, `${label}: a noscript note`);
    if (!javaScriptEnabled) {
      assert.ok(await page.locator('main noscript p').isVisible(), 'without JavaScript: the note shows');
      assert.equal(await page.locator('#timeline-embed').isVisible(), false, 'without JavaScript: no empty viewer');
    }
    await context.close();
  }
});

test('no sideways scrolling at 320 px once TimelineJS has drawn, light and dark', async () => {
  const wide = [];
  for (const colorScheme of ['light', 'dark']) {
    const { context, page, problems } = await guardedPage({ viewport: { width: 320, height: 640 }, colorScheme });
    await page.goto(pageUrl());
    await drawn(page);
    const o = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: innerWidth }));
    if (o.scroll > o.width) wide.push(`${colorScheme}: scrollWidth ${o.scroll} > ${o.width}`);
    assert.deepEqual(problems, [], `${colorScheme}: console errors or failed requests`);
    await context.close();
  }
  assert.deepEqual(wide, []);
});

test('axe finds nothing with each slide in view', async () => {
  // axe.test.js sees the page as it loads (the title slide, or TimelineJS
  // still drawing); here every slide, and the timeline's markers as each
  // becomes the current one, are checked on a desktop; on a dark-scheme
  // phone, the title slide and the first and last events (TimelineJS
  // draws in its own light colours in either scheme).
  const found = [];
  for (const [colorScheme, width, every] of [['light', 1280, true], ['dark', 375, false]]) {
    const { context, page, problems } = await guardedPage({ viewport: { width, height: 800 }, colorScheme });
    await page.goto(pageUrl());
    await drawn(page);
    const count = await page.evaluate(() => window.timeline.config.events.length + 1);
    const slidesToCheck = every ? [...Array(count).keys()] : [0, 1, count - 1];
    for (const i of slidesToCheck) {
      await page.evaluate((n) => window.timeline.goTo(n), i);
      // TimelineJS slides for a second (its `duration` option).
      await page.waitForTimeout(1100);
      const label = `${colorScheme} ${width}px, slide ${i}`;
      found.push(...describeViolations(pageUrl(), label, (await runAxe(page)).violations));
    }
    assert.deepEqual(problems, [], `${colorScheme}: console errors or failed requests`);
    await context.close();
  }
  assert.deepEqual(found, []);
});

test('the loading message keeps its contrast in either scheme', async () => {
  // Held until the message has been checked: TimelineJS shows it over the
  // panel until the data is read (a check of the page as it loads met it
  // only now and then, and found light words on white in the dark scheme).
  const found = [];
  for (const colorScheme of ['light', 'dark']) {
    const { context, page } = await guardedPage({ viewport: { width: 1280, height: 800 }, colorScheme });
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/timeline.json', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(pageUrl());
    await page.waitForSelector('#timeline-embed .tl-message-full .tl-message-content', { state: 'visible' });
    const result = await runAxe(page, { type: 'rule', values: ['color-contrast'] });
    found.push(...describeViolations(pageUrl(), `${colorScheme}, loading`, result.violations));
    release();
    await drawn(page);
    await context.close();
  }
  assert.deepEqual(found, []);
});

test('on a Japanese site TimelineJS speaks Japanese: its buttons and its loading words', async () => {
  const stop = await startLanguageSites();
  try {
    const ja = LANGUAGE_SITES.find((s) => s.name === 'ja');
    const { context, page, outside, problems, requested } = await guardedPage({ viewport: { width: 1280, height: 800 } }, ja.url);
    await page.goto(new URL(REL, ja.url).href);
    await drawn(page);
    const labels = await page.$$eval('#timeline-embed .tl-menubar-button', (els) => els.map((el) => el.getAttribute('aria-label')));
    for (const word of ['拡大', '縮小', 'タイトルに戻る', '最後のスライドへ']) {
      assert.ok(labels.includes(word), `no “${word}” among the buttons: ${labels.join(', ')}`);
    }
    assert.ok(!labels.some((l) => /[A-Za-z]{3}/.test(l ?? '')), `English on a button: ${labels.join(', ')}`);
    // The words came from the site itself.
    const locale = new URL('timelinejs-locale.json', ja.url).href;
    assert.ok(requested.includes(locale), `${locale} not requested`);
    assert.deepEqual(outside, [], 'requests to other hosts (blocked)');
    assert.deepEqual(problems, [], 'console errors or failed requests');
    await context.close();
  } finally {
    await stop();
  }
});
