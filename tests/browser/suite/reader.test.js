// What a reader sees (issue 27), measured in Chromium: text on the search
// page and in the interactive view keeps its contrast in the dark scheme
// (computed colours: axe does not see text typed into an input, and the
// view's panel is TimelineJS's); a Japanese query finds a Japanese
// article and the search page speaks the site's language; a series'
// numbers stay clear of the timeline's dots (by their boxes); a planned
// entry's badge and a name equal to its native form are shown once; a
// phone is told to swipe, not to use arrows it does not have.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  LANGUAGE_SITES, startLanguageSites, startBundledSite, launch, watch,
} from '../lib/env.js';

let browser;
let stopBundled;
let stopLanguages;
let bundledUrl;
const ja = LANGUAGE_SITES.find((s) => s.name === 'ja');

before(async () => {
  ({ url: bundledUrl, stop: stopBundled } = await startBundledSite());
  stopLanguages = await startLanguageSites();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stopBundled?.();
  await stopLanguages?.();
});

/**
 * Every visible element under `root` that has text of its own, with its
 * contrast against what is painted behind it (the backgrounds of it and
 * its ancestors, composited from the page down) and whether it is large
 * text (WCAG: 3:1 suffices). An input counts its value as its text.
 */
function contrasts(page, root) {
  return page.evaluate((rootSelector) => {
    const parse = (c) => {
      const m = (c.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number);
      return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 };
    };
    const over = (top, under) => ({
      r: top.r * top.a + under.r * (1 - top.a),
      g: top.g * top.a + under.g * (1 - top.a),
      b: top.b * top.a + under.b * (1 - top.a),
      a: 1,
    });
    const lum = ({ r, g, b }) => {
      const ch = (v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
    };
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    // What is painted under the element: the layers the browser hit-tests
    // there, from it down (TimelineJS paints its panel on a sibling layer,
    // not an ancestor), else its ancestors.
    const background = (el) => {
      const r = el.getBoundingClientRect();
      const x = Math.min(Math.max(r.left + Math.min(4, r.width / 2), 0), vw - 1);
      const y = Math.min(Math.max(r.top + r.height / 2, 0), vh - 1);
      const stack = document.elementsFromPoint(x, y);
      const at = stack.indexOf(el);
      let layers;
      if (at >= 0) {
        layers = stack.slice(at).reverse();
      } else {
        layers = [];
        for (let e = el; e; e = e.parentElement) layers.unshift(e);
      }
      let bg = { r: 255, g: 255, b: 255, a: 1 };
      for (const e of layers) bg = over(parse(getComputedStyle(e).backgroundColor), bg);
      return bg;
    };
    const out = [];
    for (const el of document.querySelectorAll(`${rootSelector}, ${rootSelector} *`)) {
      const own = el.tagName === 'INPUT'
        ? el.value
        : [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
      if (!own) continue;
      const r = el.getBoundingClientRect();
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      if (r.width < 1 || r.height < 1 || r.right <= 0 || r.bottom <= 0 || r.left >= vw || r.top >= vh) continue;
      const s = getComputedStyle(el);
      const bg = background(el);
      const fg = over(parse(s.color), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      out.push({
        what: `${el.tagName.toLowerCase()}.${String(el.className).split(' ').filter(Boolean).join('.')} “${own.slice(0, 30)}”`,
        ratio: (hi + 0.05) / (lo + 0.05),
        large,
        background: lum(bg),
      });
    }
    return out;
  }, root);
}

const failing = (list) => list
  .filter((c) => c.ratio < (c.large ? 3 : 4.5))
  .map((c) => `${c.what}: ${c.ratio.toFixed(2)}:1`);

/** Types `query` into the search page at `url`; resolves once results (or none) are shown. */
async function search(page, url, query) {
  await page.goto(url);
  await page.waitForSelector('.pagefind-ui__search-input');
  await page.fill('.pagefind-ui__search-input', query);
  await page.waitForSelector('.pagefind-ui__message', { timeout: 20_000 });
  await page.waitForFunction(
    () => !document.querySelector('.pagefind-ui__result .pagefind-ui__loading')
      && !/…|\.\.\./.test(document.querySelector('.pagefind-ui__message')?.textContent ?? '…'),
    null,
    { timeout: 20_000 },
  );
  // Pagefind's UI debounces; let the last query's results settle.
  await page.waitForTimeout(500);
}

test('the search page keeps its contrast in the dark scheme, typed text and results alike', async () => {
  for (const width of [390, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 844 }, colorScheme: 'dark' });
    try {
      const page = await context.newPage();
      await search(page, new URL('search/', bundledUrl).href, 'summit');
      const list = await contrasts(page, '#search');
      const input = list.filter((c) => c.what.startsWith('input'));
      assert.equal(input.length, 1, 'the typed text is measured');
      assert.ok(list.some((c) => c.what.includes('pagefind-ui__result-link')), 'a result is measured');
      assert.deepEqual(failing(list), [], `at ${width} px`);
      assert.ok(input[0].background < 0.2, `the search box is dark (luminance ${input[0].background.toFixed(2)})`);
    } finally {
      await context.close();
    }
  }
});

test('a Japanese query finds a Japanese article, and the search page speaks Japanese', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const problems = watch(page);
    for (const query of ['岸田', '首脳']) {
      await search(page, new URL('search/', ja.url).href, query);
      const hrefs = await page.$$eval('.pagefind-ui__result-link', (as) => as.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.includes(new URL('2023/summit/', ja.url).pathname), `“${query}” finds the summit: ${JSON.stringify(hrefs)}`);
    }
    // What the search page shows, its filters opened: no English word.
    await page.$$eval('.pagefind-ui details', (ds) => ds.forEach((d) => { d.open = true; }));
    const shown = await page.$eval('main', (m) => m.innerText);
    const english = shown.match(/[A-Za-z]{3,}/g) ?? [];
    assert.deepEqual(english, [], `English on the Japanese search page:\n${shown}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

/** Boxes of an element's pseudo-elements, through the DevTools protocol. */
async function pseudoBoxes(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector });
  const find = (node, id) => {
    if (node.nodeId === id) return node;
    for (const c of [...(node.children ?? []), ...(node.pseudoElements ?? [])]) {
      const f = find(c, id);
      if (f) return f;
    }
    return null;
  };
  const boxOf = async (nodeId) => {
    try {
      const { model } = await cdp.send('DOM.getBoxModel', { nodeId });
      const xs = model.border.filter((_, i) => i % 2 === 0);
      const ys = model.border.filter((_, i) => i % 2 === 1);
      return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
    } catch {
      return null;
    }
  };
  const out = [];
  for (const id of nodeIds) {
    const node = find(root, id);
    const pseudo = {};
    for (const p of node.pseudoElements ?? []) pseudo[p.pseudoType] = await boxOf(p.nodeId);
    const meta = (node.children ?? []).find((c) => (c.attributes ?? []).join(' ').includes('entry-meta'));
    for (const p of meta?.pseudoElements ?? []) pseudo[`meta-${p.pseudoType}`] = await boxOf(p.nodeId);
    out.push(pseudo);
  }
  await cdp.detach();
  return out;
}

test('a series page’s numbers stay clear of the timeline’s dots, on a desktop and a phone', async () => {
  for (const width of [390, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 844 } });
    try {
      const page = await context.newPage();
      await page.goto(new URL('series/', bundledUrl).href);
      const first = await page.$eval('main ul a[href*="/series/"], main ol a[href*="/series/"]', (a) => a.href);
      await page.goto(first);
      const entries = await pseudoBoxes(page, 'ol.entries.numbered > li.entry');
      assert.ok(entries.length > 1, 'a numbered series');
      const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      entries.forEach((e, i) => {
        assert.ok(e.before, `entry ${i + 1} has its dot`);
        const numbers = [e.marker, e['meta-before']].filter(Boolean);
        assert.ok(numbers.length > 0, `entry ${i + 1} shows its number`);
        for (const n of numbers) {
          assert.ok(!overlaps(n, e.before), `at ${width} px, entry ${i + 1}'s number ${JSON.stringify(n)} is over its dot ${JSON.stringify(e.before)}`);
        }
      });
    } finally {
      await context.close();
    }
  }
});

test('on the Japanese site a planned entry’s badge and a name equal to its native form show once', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(ja.url);
    const lines = await page.$$eval('.entry .entry-meta', (ps) => ps.map((p) => [...p.querySelectorAll('.badge')].map((b) => b.textContent.trim())));
    assert.ok(lines.some((b) => b.includes('予定')), 'a planned entry');
    for (const badges of lines) assert.equal(new Set(badges).size, badges.length, `badges ${badges.join(' ')}`);
    await page.goto(new URL('participants/', ja.url).href);
    await page.click('main a:text-is("岸田文雄")');
    // The heading, and under it the name in its own script only if it differs.
    const names = await page.$$eval('.page-header h1, .page-header .native', (els) => els.map((e) => e.textContent.trim()));
    assert.deepEqual(names, ['岸田文雄']);
  } finally {
    await context.close();
  }
});

test('the interactive view: dark in the dark scheme, its words legible, a phone told to swipe', async () => {
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
    try {
      const page = await context.newPage();
      await page.goto(new URL('timeline-view/', bundledUrl).href);
      await page.waitForSelector('#timeline-embed .tl-timegroup-message', { timeout: 20_000 });
      await page.$eval('#timeline-embed', (e) => e.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(1000);
      const list = await contrasts(page, '#timeline-embed');
      assert.ok(list.some((c) => c.what.includes('tl-timegroup-message')), 'a group label is measured');
      assert.deepEqual(failing(list), [], scheme);
      if (scheme === 'dark') {
        const panel = list.filter((c) => c.what.includes('tl-headline'));
        assert.ok(panel.length > 0, 'a headline is measured');
        for (const c of panel) assert.ok(c.background < 0.2, `${c.what} on a dark panel (luminance ${c.background.toFixed(2)})`);
      }
      const intro = await page.$eval('.page-header', (h) => h.innerText);
      assert.match(intro, /arrow/i, 'a desktop is told about the arrows');
    } finally {
      await context.close();
    }
  }
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    const page = await phone.newPage();
    await page.goto(new URL('timeline-view/', bundledUrl).href);
    const intro = await page.$eval('.page-header', (h) => h.innerText);
    assert.doesNotMatch(intro, /arrow/i, intro);
    assert.match(intro, /[Ss]wipe/, intro);
  } finally {
    await phone.close();
  }
});
