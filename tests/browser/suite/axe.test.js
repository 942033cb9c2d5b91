// axe-core on every page of both sites and of the Japanese and Korean
// ones, in the light and the dark colour scheme: no violations of the
// WCAG 2.0, 2.1 and 2.2 A and AA rules.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SITES, LANGUAGE_SITES, startLanguageSites, htmlPages, urlOf, axeContext, runAxe, describeViolations, useBrowser,
} from '../lib/env.js';

const ctx = useBrowser();
let stopLanguageSites;
before(async () => {
  stopLanguageSites = await startLanguageSites();
});
after(async () => {
  await stopLanguageSites?.();
});

for (const site of [...SITES, ...LANGUAGE_SITES]) {
  describe(`axe: ${site.name} site`, () => {
    for (const scheme of ['light', 'dark']) {
      test(`no WCAG 2.0/2.1/2.2 A and AA violations on any page, ${scheme} mode`, async () => {
        const context = await axeContext(ctx.browser, { colorScheme: scheme, viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        const found = [];
        const pages = [...htmlPages(site).filter((p) => p !== '404.html'), 'no-such-page/'];
        for (const rel of pages) {
          const url = urlOf(site, rel);
          await page.goto(url);
          const result = await runAxe(page);
          found.push(...describeViolations(url, scheme, result.violations));
        }
        await context.close();
        assert.equal(found.length, 0, `axe violations (${pages.length} pages checked):\n${found.join('\n')}`);
      });
    }
  });
}
