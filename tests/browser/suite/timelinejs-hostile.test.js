// A hostile author against the interactive view: tests/fixtures/hostile-timelinejs
// puts markup in every string chronicle hands TimelineJS (series, the
// context label, headlines, summaries, status words in display dates,
// media addresses, captions, credits, alt text, the title slide, and
// TimelineJS's messages from the catalogue). Every payload would create an
// element of class `pwned`, or open a dialog, if it reached the page as
// HTML. Built here with the binary CHRONICLE_BIN names (scripts/test sets it),
// loaded on a desktop and on a touch phone, every slide visited: no dialog,
// no element made from a payload, no event-handler attribute, no link
// TimelineJS made of text, and the hostile text shown as text.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { REPO, TARGET, chronicleBinary, launch } from '../lib/env.js';
import { serve } from '../lib/server.js';

const FIXTURE = path.join(REPO, 'tests', 'fixtures', 'hostile-timelinejs');
const OUT = path.join(TARGET, 'site-hostile-timelinejs');

let browser;
let server;

before(async () => {
  const binary = chronicleBinary();
  fs.rmSync(OUT, { recursive: true, force: true });
  execFileSync(binary, ['build', '--root', FIXTURE, '--output', OUT, '--as-of', '2024-04-01'], { stdio: 'pipe' });
  server = await serve({ dir: OUT, base: '/' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const data = () => JSON.parse(fs.readFileSync(path.join(OUT, 'timeline.json'), 'utf8'));

/** Series and labels as the site's front matter and catalogue give them. */
const SERIES = [
  "&lt;img src=x class=pwned onerror=alert('series-entity')&gt;",
  "<img src=x class=pwned onerror=alert('series-raw')> & co",
  "Context <img src=x class=pwned onerror=alert('context')>",
];

async function visit(options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  // Only the site itself: the PDF's address (files.example.net) is refused.
  const host = new URL(server.url).host;
  await context.route('**/*', (route) =>
    new URL(route.request().url()).host === host ? route.continue() : route.abort('blockedbyclient'),
  );
  await page.goto(new URL('timeline-view/', server.url).href);
  await page.waitForFunction(
    () => window.timeline?.ready === true && document.querySelector('#timeline-embed .tl-storyslider .tl-slide'),
    null,
    { timeout: 20_000 },
  );
  // Every slide in turn, so each one's text and media are made.
  const count = await page.evaluate(() => window.timeline.config.events.length + 1);
  for (let i = 0; i < count; i += 1) {
    await page.evaluate((n) => window.timeline.goTo(n), i);
    await page.waitForTimeout(1100);
  }
  // Hover every marker and slide link, for handlers that need a pointer.
  for (const el of await page.$$('#timeline-embed a, #timeline-embed .tl-timemarker')) {
    await el.hover({ force: true, timeout: 1_000 }).catch(() => {});
  }
  const found = await page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      pwned: document.querySelectorAll('.pwned').length,
      imgX: [...document.images].filter((i) => i.getAttribute('src') === 'x').length,
      // Event-handler attributes made from a payload (TimelineJS sets an
      // empty `ontouchstart` of its own on touch screens).
      handlers: all.flatMap((el) =>
        [...el.attributes]
          .filter((a) => /^on/i.test(a.name) && /alert|pwned/.test(a.value))
          .map((a) => `${el.tagName}[${a.name}=${a.value}]`),
      ),
      madeLinks: document.querySelectorAll('#timeline-embed a.tl-makelink').length,
      // TimelineJS adds a group without a label for events without one.
      groups: [...document.querySelectorAll('#timeline-embed .tl-timegroup-message')]
        .map((el) => el.textContent)
        .filter((t) => t !== ''),
      buttons: [...document.querySelectorAll('#timeline-embed .tl-menubar-button')].map((el) => el.getAttribute('aria-label')),
      dates: [...document.querySelectorAll('#timeline-embed .tl-headline-date')].map((el) => el.textContent),
      message: document.querySelector('#timeline-embed .tl-message-full, #timeline-embed .tl-message')?.textContent ?? '',
    };
  });
  await context.close();
  return { found, dialogs };
}

test('timeline.json turns TimelineJS’s linkify off on every slide', () => {
  const d = data();
  assert.equal(d.title.autolink, false);
  assert.ok(d.events.length >= 4);
  for (const e of d.events) assert.equal(e.autolink, false, e.unique_id);
});

for (const [name, options] of [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['touch phone, dark', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' }],
]) {
  test(`${name}: no hostile string becomes an element or runs`, async () => {
    const { found, dialogs } = await visit(options);
    assert.deepEqual(dialogs, [], 'dialogs opened');
    assert.equal(found.pwned, 0, 'elements made from a payload');
    assert.equal(found.imgX, 0, 'images made from a payload');
    assert.deepEqual(found.handlers, [], 'event-handler attributes');
    assert.equal(found.madeLinks, 0, 'links TimelineJS made of text');
    // The series and the context label are shown as their authors wrote them.
    assert.deepEqual([...found.groups].sort(), [...SERIES].sort(), 'group labels as text');
    // Attribute messages reach the buttons as text.
    assert.ok(found.buttons.includes("Back\" onmouseover=\"alert('return')"), found.buttons.join(' | '));
    assert.ok(found.buttons.includes("In<img src=x class=pwned onerror=alert('zoom-in')>"), found.buttons.join(' | '));
    // The planned meeting's status word, hostile in the catalogue, is text.
    assert.ok(
      found.dates.some((t) => t.includes("planned &lt;img src=x class=pwned onerror=alert('status')&gt;")),
      found.dates.join(' | '),
    );
  });
}
