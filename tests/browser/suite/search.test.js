// The bundled site's search page (Pagefind's UI over the index `chronicle
// build` made from the article pages): a word found in exactly one
// article's body, picked here from the content files, finds that article
// and no other; the result shows the article's date and status; nothing is
// requested from anywhere but the site (anything else is blocked, and
// none is attempted), no console errors, no failed requests; axe finds
// nothing on the page with its results shown. The index is in shards by
// year, merged by the page (Pagefind's mergeIndex): a word shared by an
// article of the oldest year and one of the newest finds both, every
// shard's entry file is loaded, and the results are ranked together.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  SITES, startBundledSite, launch, watch, contentEntries, runAxe, describeViolations,
} from '../lib/env.js';

const site = SITES.find((s) => s.name === 'bundled');
const REL = 'search/';
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

/** Each published article's id, date and whole file (front matter too). */
function articles() {
  return contentEntries(site).map((e) => {
    const file = path.join(site.content, `${e.id}.md`);
    const text = fs.readFileSync(file, 'utf8');
    const body = text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
    return { ...e, text: text.toLowerCase(), body };
  });
}

/**
 * A word of one article's body that no other article's file has anything
 * starting like (Pagefind stems words and matches prefixes): the first, in
 * alphabetical order, of eight letters or more whose first six letters
 * start no word in any other article.
 */
function uniqueWord() {
  const all = articles();
  const candidates = [];
  for (const a of all) {
    const words = new Set(a.body.toLowerCase().match(/\b[a-z]{8,}\b/g) ?? []);
    for (const w of words) {
      const start = new RegExp(`\\b${w.slice(0, 6)}`);
      if (all.every((o) => o === a || !start.test(o.text))) candidates.push({ word: w, article: a });
    }
  }
  candidates.sort((x, y) => (x.word < y.word ? -1 : x.word > y.word ? 1 : 0));
  assert.ok(candidates.length > 0, 'a word found in one article only');
  return candidates[0];
}

/** A page whose requests may only go to the site's own host. */
async function guardedPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const host = new URL(siteUrl).host;
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
  const problems = watch(page);
  return { context, page, outside, problems };
}

/** Searches for `word` on the search page; the results as readers see them. */
async function search(page, word) {
  await page.goto(new URL(REL, siteUrl).href);
  await page.waitForSelector('.pagefind-ui__search-input');
  await page.fill('.pagefind-ui__search-input', word);
  await page.waitForSelector('.pagefind-ui__message', { timeout: 20_000 });
  await page.waitForFunction(
    () => /result/i.test(document.querySelector('.pagefind-ui__message')?.textContent ?? '')
      && !document.querySelector('.pagefind-ui__result .pagefind-ui__loading'),
    null,
    { timeout: 20_000 },
  );
  return page.$$eval('.pagefind-ui__result', (els) => els.map((el) => ({
    href: el.querySelector('.pagefind-ui__result-link')?.getAttribute('href'),
    title: el.querySelector('.pagefind-ui__result-title')?.textContent.trim(),
    date: el.querySelector('[data-pagefind-ui-meta="date"]')?.textContent.trim() ?? null,
    status: el.querySelector('[data-pagefind-ui-meta="status"]')?.textContent.trim() ?? null,
  })));
}

/** The year (the shard) of an article's address: `/2023/x/` is 2023. */
const yearOf = (href) => href.split('/').filter(Boolean)[0];

test('a word in one article’s body finds that article first, with its date and status', async () => {
  const { word, article } = uniqueWord();
  const { context, page, outside, problems } = await guardedPage();
  try {
    const results = await search(page, word);
    const expected = new URL(`${article.id}/`, siteUrl).pathname;
    const hrefs = results.map((r) => r.href);
    assert.equal(hrefs[0], expected, `“${word}” finds ${article.id} first`);
    // A shard without the word answers with its longest indexed word the
    // query starts with (Pagefind's fallback, per index): lower, and never
    // from the article's own shard, which has the word.
    for (const other of hrefs.slice(1)) {
      assert.notEqual(yearOf(other), yearOf(expected), `“${word}” finds ${other} too`);
    }
    const [r] = results;
    assert.match(r.date ?? '', new RegExp(`^Date: .*${article.datetime.slice(0, 4)}`), 'the result shows the date');
    assert.match(r.status ?? '', /^Status: \S/, 'the result shows the status');
    assert.deepEqual(outside, [], 'nothing requested off the site');
    assert.deepEqual(problems, [], 'no console errors or failed requests');
  } finally {
    await context.close();
  }
});

/**
 * A word of eight letters or more that an article of the oldest year and
 * one of the newest both have in their bodies, and that the fewest other
 * articles' files have anything starting like; with those two articles.
 */
function wordAcrossShards() {
  const all = articles();
  const year = (a) => a.id.split('/')[0];
  const years = [...new Set(all.map(year))].sort();
  const [oldest, newest] = [years[0], years[years.length - 1]];
  assert.notEqual(oldest, newest, 'articles in two years at least');
  const words = (a) => new Set(a.body.toLowerCase().match(/\b[a-z]{8,}\b/g) ?? []);
  const candidates = [];
  for (const old of all.filter((a) => year(a) === oldest)) {
    for (const w of words(old)) {
      const recent = all.find((a) => year(a) === newest && words(a).has(w));
      if (!recent) continue;
      const start = new RegExp(`\\b${w.slice(0, 6)}`);
      const hits = all.filter((a) => start.test(a.text)).length;
      candidates.push({ word: w, hits, old, recent });
    }
  }
  candidates.sort((x, y) => x.hits - y.hits || (x.word < y.word ? -1 : x.word > y.word ? 1 : 0));
  assert.ok(candidates.length > 0, `a word in an article of ${oldest} and one of ${newest}`);
  return candidates[0];
}

test('one query searches every shard: an old and a new article are both found', async () => {
  const { word, hits, old, recent } = wordAcrossShards();
  // Pagefind UI shows five results before "Load more".
  assert.ok(hits <= 5, `“${word}” is in ${hits} articles`);
  const { context, page, outside, problems } = await guardedPage();
  const entries = [];
  page.on('request', (r) => {
    const m = new URL(r.url()).pathname.match(/^\/pagefind\/([^/]+)\/pagefind-entry\.json$/);
    if (m) entries.push(m[1]);
  });
  try {
    const results = await search(page, word);
    const shards = await page.$eval('#search', (el) => el.dataset.shards.split(' '));
    const hrefs = results.map((r) => r.href);
    for (const a of [old, recent]) {
      const expected = new URL(`${a.id}/`, siteUrl).pathname;
      assert.ok(hrefs.includes(expected), `“${word}” finds ${a.id} (found ${hrefs.join(', ')})`);
    }
    assert.ok(shards.length >= 2, `shards: ${shards}`);
    const loaded = [...new Set(entries)].sort();
    const listed = shards.map((s) => s.split('/').at(-2)).sort();
    assert.deepEqual(loaded, listed, 'every shard’s entry file is loaded');
    assert.deepEqual(outside, [], 'nothing requested off the site');
    assert.deepEqual(problems, [], 'no console errors or failed requests');
  } finally {
    await context.close();
  }
});

test('axe finds nothing on the search page with results', async () => {
  const { word } = uniqueWord();
  const { context, page } = await guardedPage();
  try {
    await search(page, word);
    const result = await runAxe(page);
    assert.deepEqual(describeViolations(page.url(), 'search with results', result.violations), []);
  } finally {
    await context.close();
  }
});

test('without JavaScript the search page says what to do instead', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(new URL(REL, siteUrl).href);
    const note = await page.$eval('noscript', (el) => el.textContent);
    assert.match(note, /JavaScript/);
    assert.match(note, /timeline/);
  } finally {
    await context.close();
  }
});
