// What the suite runs against: the two built sites, their servers, Chromium.
//
// scripts/test builds both sites, serves them and passes their addresses in
// BUNDLED_URL / FIXTURE_URL. A test file run on its own (node --test FILE)
// starts its own servers over the same built folders instead.

import { before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serve } from './server.js';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const BROWSER_DIR = path.resolve(HERE, '..');
export const REPO = path.resolve(BROWSER_DIR, '../..');
export const TARGET = path.join(REPO, 'target');
export const SCREENSHOTS = process.env.SCREENSHOT_DIR || path.join(TARGET, 'screenshots');

/**
 * The chronicle binary the tests that run it use: CHRONICLE_BIN, which
 * scripts/test sets to the debug binary that `cargo test` (or, with
 * --browser-only, `cargo build`) made. Throws, naming what is missing, when
 * it is unset or names no file: a test never falls back to some other,
 * perhaps stale, binary.
 */
export function chronicleBinary() {
  const bin = process.env.CHRONICLE_BIN;
  if (!bin) {
    throw new Error('CHRONICLE_BIN is not set: run scripts/test, or set it to a built chronicle (e.g. target/debug/chronicle)');
  }
  if (!fs.existsSync(bin)) throw new Error(`CHRONICLE_BIN names no file: ${bin} (run cargo build)`);
  return bin;
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Without the background-networking flags Chromium floods this closed
// network with refused connections. Playwright gives every launch a fresh,
// empty --user-data-dir of its own.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SITES = [
  {
    name: 'bundled',
    dir: process.env.BUNDLED_DIR || path.join(TARGET, 'site-bundled'),
    base: '/',
    content: path.join(REPO, 'content'),
    url: process.env.BUNDLED_URL,
    // Pages the behaviour tests use: an article with both neighbours.
    article: '2023/camp-david-summit',
  },
  {
    name: 'fixture',
    dir: process.env.FIXTURE_DIR || path.join(TARGET, 'site-fixture'),
    base: '/news/',
    content: path.join(BROWSER_DIR, 'site', 'content'),
    url: process.env.FIXTURE_URL,
    article: '2024/consultation',
  },
];

// Sites in Japanese and Korean (tests/fixtures/language-ja, -ko) and one in
// English, Japanese and Korean (tests/fixtures/languages), built by
// scripts/test: axe and vnu check them too; the other tests, written
// against the English sites' words, do not.
export const LANGUAGE_SITES = [
  {
    name: 'ja',
    dir: process.env.JA_DIR || path.join(TARGET, 'site-ja'),
    base: '/nikkan/',
  },
  {
    name: 'ko',
    dir: process.env.KO_DIR || path.join(TARGET, 'site-ko'),
    base: '/hanmiil/',
  },
  {
    name: 'en-ja-ko',
    dir: process.env.LANGUAGES_DIR || path.join(TARGET, 'site-languages'),
    base: '/summits/',
  },
];

/** Serves the language sites; returns a function that stops them. */
export async function startLanguageSites() {
  const servers = [];
  for (const site of LANGUAGE_SITES) {
    if (!fs.existsSync(path.join(site.dir, 'index.html'))) {
      throw new Error(`${site.name} site not built: no ${site.dir}/index.html (run scripts/test)`);
    }
    const s = await serve({ dir: site.dir, base: site.base });
    site.url = s.url.endsWith('/') ? s.url : `${s.url}/`;
    servers.push(s);
  }
  return async () => {
    for (const s of servers) await s.close();
  };
}

/** Serves any site that has no URL yet; returns a function that stops them. */
export async function startSites() {
  const servers = [];
  for (const site of SITES) {
    if (!fs.existsSync(path.join(site.dir, 'index.html'))) {
      throw new Error(`${site.name} site not built: no ${site.dir}/index.html (run scripts/test)`);
    }
    if (!site.url) {
      const s = await serve({ dir: site.dir, base: site.base });
      site.url = s.url;
      servers.push(s);
    }
    if (!site.url.endsWith('/')) site.url += '/';
    site.origin = new URL(site.url).origin;
  }
  return async () => {
    for (const s of servers) await s.close();
  };
}

/**
 * Serves the bundled site alone, unless scripts/test serves it already;
 * returns its URL (ending in `/`) and a function that stops what this
 * started.
 */
export async function startBundledSite() {
  const site = SITES.find((s) => s.name === 'bundled');
  if (!fs.existsSync(path.join(site.dir, 'index.html'))) {
    throw new Error(`bundled site not built: no ${site.dir}/index.html (run scripts/test)`);
  }
  const slash = (u) => (u.endsWith('/') ? u : `${u}/`);
  if (site.url) return { url: slash(site.url), stop: async () => {} };
  const server = await serve({ dir: site.dir, base: site.base });
  return { url: slash(server.url), stop: () => server.close() };
}

/**
 * Serves both sites and launches Chromium before a test file's tests, and
 * closes both after them. The returned object's `browser` is set once started.
 */
export function useBrowser() {
  const ctx = { browser: undefined };
  let stop;
  before(async () => {
    stop = await startSites();
    ctx.browser = await launch();
  });
  after(async () => {
    await ctx.browser?.close();
    await stop?.();
  });
  return ctx;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** Every generated HTML page of a site, as paths under the site (`2023/x/`). */
export function htmlPages(site) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) out.push(path.relative(site.dir, p).split(path.sep).join('/'));
    }
  };
  walk(site.dir);
  return out
    .sort()
    .map((f) => (f === 'index.html' ? '' : f.endsWith('/index.html') ? f.slice(0, -'index.html'.length) : f));
}

/** The URL of a page path under a site (`''` is the timeline). */
export const urlOf = (site, rel) => new URL(rel, site.url).href;

function firstDir(site, taxonomy) {
  const dir = path.join(site.dir, taxonomy);
  const terms = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (!terms.length) throw new Error(`${site.name}: no ${taxonomy} terms`);
  return `${taxonomy}/${terms[0]}/`;
}

/**
 * One page of each type: name -> { rel, status }. The 404 page is reached
 * the way a reader reaches it, through an address that does not exist.
 */
export function pageTypes(site) {
  return {
    timeline: { rel: '', status: 200 },
    article: { rel: `${site.article}/`, status: 200 },
    year: { rel: `${site.article.split('/')[0]}/`, status: 200 },
    participant: { rel: firstDir(site, 'participants'), status: 200 },
    place: { rel: firstDir(site, 'places'), status: 200 },
    tag: { rel: firstDir(site, 'tags'), status: 200 },
    series: { rel: firstDir(site, 'series'), status: 200 },
    participants: { rel: 'participants/', status: 200 },
    places: { rel: 'places/', status: 200 },
    tags: { rel: 'tags/', status: 200 },
    'series-index': { rel: 'series/', status: 200 },
    '404': { rel: 'no-such-page/', status: 404 },
  };
}

// ---- The content files, read independently of chronicle ----

function parsePoint(text) {
  const m = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?[?~%]?$/.exec(text.trim());
  if (!m) throw new Error(`cannot read date ${JSON.stringify(text)}`);
  const [, y, mo, d] = m;
  const year = Number(y);
  const first = new Date(Date.UTC(year, mo ? Number(mo) - 1 : 0, d ? Number(d) : 1));
  const last = d
    ? first
    : mo
      ? new Date(Date.UTC(year, Number(mo), 0))
      : new Date(Date.UTC(year, 11, 31));
  const datetime = [y, mo, d].filter(Boolean).join('-');
  return { first, last, datetime };
}

/** `2024-07-09/2024-07-11`, `2024-07~`, `2023?` -> first and last day, datetime. */
export function parseDate(text) {
  const [a, b] = String(text).split('/');
  const start = parsePoint(a);
  const end = b ? parsePoint(b) : start;
  return { first: start.first, last: end.last, datetime: start.datetime };
}

function frontMatter(text) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!m) return {};
  const fields = {};
  for (const line of m[1].split(/\r?\n/)) {
    const f = /^([a-z_]+):\s*(.*)$/.exec(line);
    if (f) fields[f[1]] = f[2].replace(/^(["'])(.*)\1$/, '$2').trim();
  }
  return fields;
}

/**
 * The published articles of a site's content folder, in the timeline's
 * chronological order (first day, last day, id): [{ id, anchor, datetime }].
 */
export function contentEntries(site) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md') && e.name !== '_index.md') {
        const fm = frontMatter(fs.readFileSync(p, 'utf8'));
        if (fm.draft === 'true') continue;
        const rel = path.relative(site.content, p).split(path.sep).join('/').replace(/\.md$/, '');
        const segments = rel.split('/');
        if (fm.slug) segments[segments.length - 1] = fm.slug;
        const id = segments.join('/');
        const d = parseDate(fm.date);
        out.push({ id, anchor: id.replaceAll('/', '-'), datetime: d.datetime, first: d.first, last: d.last });
      }
    }
  };
  walk(site.content);
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  out.sort((a, b) => cmp(+a.first, +b.first) || cmp(+a.last, +b.last) || cmp(a.id, b.id));
  return out;
}

/** The site's `order:` setting. */
export function siteOrder(site) {
  const fm = frontMatter(fs.readFileSync(path.join(site.content, '_index.md'), 'utf8'));
  return fm.order === 'descending' ? 'descending' : 'ascending';
}

/**
 * Records console errors, page errors, failed requests and HTTP errors on a
 * page. `allow(url, status)` may excuse an expected response (the 404 page).
 */
export function watch(page, { allow = () => false } = {}) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium logs every 4xx/5xx resource as a console error; those are
    // reported (or excused) through the response handler below.
    if (/^Failed to load resource: the server responded with a status of/.test(msg.text())) return;
    problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400 && !allow(res.url(), res.status())) {
      problems.push(`HTTP ${res.status()}: ${res.url()}`);
    }
  });
  return problems;
}

export function ensureDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// ---- axe-core ----

const requireHere = createRequire(import.meta.url);
export const AXE_PATH = requireHere.resolve('axe-core/axe.min.js');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * A browser context (`options` as `browser.newContext`'s) whose pages all
 * load axe-core before their own scripts: for a test that runs axe on many
 * pages. Registered once, the script is not sent to Chromium again for each
 * page, as `runAxe`'s `addScriptTag` sends it (about 560 KB over the
 * DevTools protocol: on this machine it cost as much as axe's own run).
 */
export async function axeContext(browser, options) {
  const context = await browser.newContext(options);
  await context.addInitScript({ path: AXE_PATH });
  return context;
}

/**
 * Runs axe-core on the loaded page (adding it first unless the page's
 * context is an `axeContext`); `runOnly` defaults to the WCAG A/AA tags.
 */
export async function runAxe(page, runOnly = { type: 'tag', values: AXE_TAGS }) {
  if (!(await page.evaluate(() => typeof window.axe?.run === 'function'))) {
    await page.addScriptTag({ path: AXE_PATH });
  }
  return page.evaluate((only) => window.axe.run(document, { runOnly: only, resultTypes: ['violations'] }), runOnly);
}

/** axe violations as readable lines: rule, impact, help, first elements. */
export function describeViolations(url, label, violations) {
  return violations.map((v) => {
    const nodes = v.nodes
      .slice(0, 5)
      .map((n) => `      ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`)
      .join('\n');
    return `${url} [${label}] ${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s)\n${nodes}`;
  });
}
