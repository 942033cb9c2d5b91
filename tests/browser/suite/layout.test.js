// Layout: no horizontal scrolling at 320 and 1280 px; print shows every
// entry and the sources' addresses; screenshots of every page type (the
// search page and the interactive view once drawn) at 390 and 1280 px,
// light and dark, of the bundled, fixture and Japanese sites, for a person
// to look at (issue 27: look before resolving an issue that changes a page).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import {
  SITES, LANGUAGE_SITES, SCREENSHOTS, urlOf, pageTypes, ensureDir, axeContext, runAxe, describeViolations, useBrowser,
  startLanguageSites,
} from '../lib/env.js';

const ctx = useBrowser();

/** The pages whose content a script draws: shot once it has drawn. */
const scriptedTypes = {
  search: { rel: 'search/', status: 200, ready: '.pagefind-ui__search-input' },
  'timeline-view': { rel: 'timeline-view/', status: 200, ready: '#timeline-embed .tl-slide' },
};

/**
 * Full-page screenshots of `types` on `site` at 390 and 1280 px, light and
 * dark, written to SCREENSHOTS as `<prefix><type>-<width>-<scheme>.png`
 * for a person to look at; returns how many were written.
 */
async function screenshots(site, types, prefix) {
  const dir = ensureDir(SCREENSHOTS);
  let n = 0;
  for (const scheme of ['light', 'dark']) {
    for (const width of [390, 1280]) {
      const context = await ctx.browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 }, colorScheme: scheme });
      const page = await context.newPage();
      for (const [type, { rel, ready }] of Object.entries(types)) {
        await page.goto(urlOf(site, rel));
        if (ready) await page.waitForSelector(ready, { timeout: 20_000 });
        const file = path.join(dir, `${prefix}${type}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        assert.ok(fs.statSync(file).size > 1000, `${file} written`);
        n++;
      }
      await context.close();
    }
  }
  return n;
}

/** Elements that stick out past the viewport's right edge, for the message. */
function overflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scroll = document.documentElement.scrollWidth;
    const culprits = [];
    if (scroll > width) {
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 0.5 && culprits.length < 5) {
          culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} right=${Math.round(r.right)}`);
        }
      }
    }
    return { width, scroll, culprits };
  });
}

for (const site of SITES) {
  describe(`layout: ${site.name} site`, () => {
    const types = pageTypes(site);

    for (const width of [320, 1280]) {
      test(`no horizontal scrolling at ${width} px on any page type`, async () => {
        const problems = [];
        for (const scheme of ['light', 'dark']) {
          const context = await ctx.browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
          const page = await context.newPage();
          for (const [type, { rel }] of Object.entries(types)) {
            await page.goto(urlOf(site, rel));
            const o = await overflow(page);
            if (o.scroll > o.width) problems.push(`${type} (${scheme}): scrollWidth ${o.scroll} > ${o.width}: ${o.culprits.join(', ')}`);
          }
          await context.close();
        }
        assert.deepEqual(problems, []);
      });
    }

    test('dark mode applies and keeps contrast (axe color-contrast), at 375 and 1280 px', async () => {
      const problems = [];
      for (const width of [375, 1280]) {
        const context = await axeContext(ctx.browser, { viewport: { width, height: 800 }, colorScheme: 'dark' });
        const page = await context.newPage();
        for (const [type, { rel }] of Object.entries(types)) {
          const url = urlOf(site, rel);
          await page.goto(url);
          // The dark scheme really is in force: a dark background, light text.
          const lum = await page.evaluate(() => {
            const l = (c) => {
              const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number);
              return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
            };
            const s = getComputedStyle(document.body);
            return { bg: l(s.backgroundColor), fg: l(s.color) };
          });
          if (!(lum.bg < 0.2 && lum.fg > 0.7)) problems.push(`${type} at ${width}px: not dark (${JSON.stringify(lum)})`);
          const result = await runAxe(page, { type: 'rule', values: ['color-contrast'] });
          problems.push(...describeViolations(url, `dark ${width}px`, result.violations));
        }
        await context.close();
      }
      assert.deepEqual(problems, []);
    });

    test('print shows every entry and the sources’ addresses', async () => {
      const context = await ctx.browser.newContext({ viewport: { width: 800, height: 1000 } });
      const page = await context.newPage();
      await page.emulateMedia({ media: 'print' });

      for (const type of ['timeline', 'participant', 'series']) {
        await page.goto(urlOf(site, types[type].rel));
        const entries = await page.$$eval('li.entry', (lis) =>
          lis.map((li) => {
            const r = li.getBoundingClientRect();
            return { id: li.id, visible: li.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && r.width > 0 && r.height > 0 };
          }),
        );
        assert.ok(entries.length > 0, `${type}: entries in print`);
        assert.deepEqual(entries.filter((e) => !e.visible).map((e) => e.id), [], `${type}: entries hidden in print`);
      }

      // Every article page with sources: each source with a URL prints it.
      const articles = fs
        .readdirSync(site.dir, { recursive: true })
        .map((f) => String(f).split(path.sep).join('/'))
        .filter((f) => /^[^/]+\/.+\/index\.html$/.test(f) && !/^(participants|places|tags|series)\//.test(f));
      let checked = 0;
      const missing = [];
      for (const f of articles) {
        await page.goto(urlOf(site, f.replace(/index\.html$/, '')));
        const sources = await page.$$eval('.sources li', (lis) =>
          lis.map((li) => {
            const a = li.querySelector('cite a[href]');
            const span = li.querySelector('.source-url');
            return {
              href: a?.getAttribute('href') ?? null,
              text: span?.textContent.trim() ?? null,
              visible: span ? span.checkVisibility({ visibilityProperty: true }) && span.getBoundingClientRect().width > 0 : false,
            };
          }),
        );
        for (const s of sources.filter((x) => x.href)) {
          checked++;
          if (!s.visible || s.text !== s.href) missing.push(`${f}: ${s.href} (printed: ${s.visible ? s.text : 'nothing'})`);
        }
        // The navigation is for screens only.
        assert.equal(await page.locator('.article-nav').isVisible(), false, `${f}: article navigation hidden in print`);
      }
      await context.close();
      assert.ok(checked > 0, 'some article has a source with an address');
      assert.deepEqual(missing, [], 'source addresses not shown in print');
    });

    test('screenshots of every page type at 390 and 1280 px, light and dark', async () => {
      // The search page draws only on a site with an index.
      const indexed = fs.existsSync(path.join(site.dir, 'pagefind'));
      const all = { ...types, ...scriptedTypes };
      if (!indexed) delete all.search;
      const n = await screenshots(site, all, site.name === 'bundled' ? '' : `${site.name}-`);
      assert.equal(n, Object.keys(all).length * 4);
    });
  });
}

describe('layout: the Japanese site', () => {
  let stop;
  before(async () => { stop = await startLanguageSites(); });
  after(async () => { await stop?.(); });

  test('screenshots of every page type at 390 and 1280 px, light and dark', async () => {
    const ja = LANGUAGE_SITES.find((s) => s.name === 'ja');
    const types = {
      timeline: { rel: '' },
      article: { rel: '2023/summit/' },
      year: { rel: '2023/' },
      participant: { rel: `participants/${encodeURIComponent('岸田文雄')}/` },
      place: { rel: `places/${encodeURIComponent('キャンプ・デービッド')}/` },
      tag: { rel: `tags/${encodeURIComponent('安全保障')}/` },
      series: { rel: `series/${encodeURIComponent('日米韓首脳会議')}/` },
      participants: { rel: 'participants/' },
      '404': { rel: 'no-such-page/' },
      ...scriptedTypes,
    };
    const n = await screenshots(ja, types, 'ja-');
    assert.equal(n, Object.keys(types).length * 4);
  });
});
