// A crawler over every generated HTML page of both sites: every internal
// link and resource resolves, every fragment names an id on its page, ids
// are unique, the canonical address is the page's own, and every page can
// be reached from the timeline.

import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  SITES, htmlPages, urlOf, useBrowser,
} from '../lib/env.js';

const ctx = useBrowser();

/** What a page links to and which ids it has, read from the DOM. */
function readPage(page) {
  return page.evaluate(() => {
    const refs = [];
    for (const el of document.querySelectorAll('[href], [src], [srcset]')) {
      const tag = el.tagName.toLowerCase();
      for (const attr of ['href', 'src']) {
        const v = el.getAttribute(attr);
        if (v !== null) refs.push({ tag, attr, raw: v, url: new URL(v, document.baseURI).href, rel: el.getAttribute('rel') });
      }
      const srcset = el.getAttribute('srcset');
      if (srcset) {
        for (const part of srcset.split(',')) {
          const v = part.trim().split(/\s+/)[0];
          if (v) refs.push({ tag, attr: 'srcset', raw: v, url: new URL(v, document.baseURI).href, rel: null });
        }
      }
    }
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    // Old-style named anchors are fragment targets too.
    const names = [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name'));
    return { refs, ids, names };
  });
}

for (const site of SITES) {
  describe(`crawl: ${site.name} site`, () => {
    const pages = new Map(); // url without hash -> { ids:Set, refs }
    const status = new Map(); // url without hash -> final status

    before(async () => {
      const context = await ctx.browser.newContext();
      const page = await context.newPage();
      for (const rel of [...htmlPages(site).filter((p) => p !== '404.html'), 'no-such-page/']) {
        const url = urlOf(site, rel);
        const res = await page.goto(url);
        status.set(url, res.status());
        const { refs, ids, names } = await readPage(page);
        pages.set(url, { rel, refs, ids, idSet: new Set([...ids, ...names]) });
      }
      await context.close();
    });

    test('every generated page was crawled', () => {
      const disk = htmlPages(site);
      assert.ok(disk.includes('') && disk.includes('404.html'), 'the site has a timeline and a 404 page');
      assert.equal(pages.size, disk.length, 'one crawl per HTML file (404.html through a missing address)');
    });

    test('every internal link and resource resolves', async () => {
      const broken = [];
      const external = [];
      for (const [from, { refs }] of pages) {
        for (const r of refs) {
          const u = new URL(r.url);
          if (!/^https?:$/.test(u.protocol)) continue; // mailto:, tel:
          if (u.origin !== site.origin) {
            // Links out are fine (the network is closed, so they are not
            // fetched); resources from elsewhere are not: the site is self-contained.
            if (r.tag !== 'a' && r.rel !== 'canonical' && r.rel !== 'alternate') external.push(`${from}: <${r.tag} ${r.attr}="${r.raw}">`);
            continue;
          }
          const target = u.href.split('#')[0];
          if (target === from) continue; // a fragment on the page itself (checked below)
          if (!status.has(target)) {
            const res = await fetch(target, { redirect: 'follow' });
            status.set(target, res.status);
          }
          const s = status.get(target);
          if (s >= 400) broken.push(`${from}: <${r.tag} ${r.attr}="${r.raw}"> -> HTTP ${s}`);
        }
      }
      assert.deepEqual(broken, [], 'broken internal links or resources');
      assert.deepEqual(external, [], 'resources loaded from another site');
    });

    test('every fragment link points to an existing id', async () => {
      const missing = [];
      for (const [from, { refs }] of pages) {
        for (const r of refs) {
          const u = new URL(r.url);
          if (u.origin !== site.origin || !u.hash || u.hash === '#') continue;
          const target = u.href.split('#')[0];
          const id = decodeURIComponent(u.hash.slice(1));
          const t = pages.get(target);
          if (!t) {
            missing.push(`${from}: ${r.raw} -> ${target} is not a crawled page`);
          } else if (!t.idSet.has(id)) {
            missing.push(`${from}: ${r.raw} -> no id "${id}" on ${target}`);
          }
        }
      }
      assert.deepEqual(missing, []);
    });

    test('ids are unique on every page', () => {
      const dups = [];
      for (const [url, { ids }] of pages) {
        const seen = new Set();
        for (const id of ids) {
          if (seen.has(id)) dups.push(`${url}: id "${id}" appears more than once`);
          seen.add(id);
        }
      }
      assert.deepEqual(dups, []);
    });

    test("each page's canonical address is its own", () => {
      const wrong = [];
      for (const [url, { rel, refs }] of pages) {
        if (rel === 'no-such-page/') continue;
        const canon = refs.filter((r) => r.tag === 'link' && r.rel === 'canonical');
        if (canon.length !== 1) {
          wrong.push(`${url}: ${canon.length} canonical links`);
          continue;
        }
        const path = new URL(canon[0].url).pathname;
        if (path !== new URL(url).pathname) wrong.push(`${url}: canonical ${canon[0].url}`);
      }
      assert.deepEqual(wrong, []);
    });

    test('every page can be reached from the timeline', () => {
      const reached = new Set([site.url]);
      const queue = [site.url];
      while (queue.length) {
        const p = pages.get(queue.shift());
        for (const r of p?.refs ?? []) {
          if (r.tag !== 'a') continue;
          const target = r.url.split('#')[0];
          if (pages.has(target) && !reached.has(target)) {
            reached.add(target);
            queue.push(target);
          }
        }
      }
      const orphans = [...pages.keys()].filter((u) => !reached.has(u) && !u.endsWith('/no-such-page/'));
      assert.deepEqual(orphans, [], 'pages no link leads to');
    });
  });
}
