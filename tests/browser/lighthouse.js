#!/usr/bin/env node
// Lighthouse 12 (pinned in package.json) on a built site, served on
// 127.0.0.1, with Debian's Chromium. Prints the four category scores of each
// page and writes the reports to target/lighthouse/.
//
//   node lighthouse.js --dir ../../target/site-bundled [--base /] PAGE...
//   (PAGE is a path under the site: "" for the timeline, "2023/x/" ...)

import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { serve } from './lib/server.js';
import { CHROMIUM, CHROMIUM_ARGS, TARGET } from './lib/env.js';

const require = createRequire(import.meta.url);
const CLI = path.join(path.dirname(require.resolve('lighthouse/package.json')), 'cli', 'index.js');
const VERSION = require('lighthouse/package.json').version;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string' },
    base: { type: 'string', default: '/' },
    out: { type: 'string', default: path.join(TARGET, 'lighthouse') },
  },
});
if (!values.dir || positionals.length === 0) {
  console.error('usage: node lighthouse.js --dir SITE_DIR [--base /] PAGE...');
  process.exit(2);
}
fs.mkdirSync(values.out, { recursive: true });

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

const server = await serve({ dir: values.dir, base: values.base });
const flags = ['--headless=new', ...CHROMIUM_ARGS].join(' ');
const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
const rows = [];
let failed = false;
try {
  for (const preset of ['mobile', 'desktop']) {
    for (const rel of positionals) {
      const url = new URL(rel, server.url).href;
      const name = `${(rel.replace(/\/$/, '') || 'timeline').replaceAll('/', '-')}-${preset}`;
      const base = path.join(values.out, name);
      const args = [
        CLI, url,
        `--chrome-flags=${flags}`,
        `--only-categories=${categories.join(',')}`,
        '--output=json', '--output=html',
        `--output-path=${base}`,
        '--quiet',
        ...(preset === 'desktop' ? ['--preset=desktop'] : []),
      ];
      // Asynchronously: the server runs in this process and must keep answering.
      const r = await run(process.execPath, args, { ...process.env, CHROME_PATH: CHROMIUM });
      if (r.status !== 0) {
        console.error(`lighthouse failed on ${url} (${preset}):\n${r.stderr}`);
        failed = true;
        continue;
      }
      const report = JSON.parse(fs.readFileSync(`${base}.report.json`, 'utf8'));
      const scores = Object.fromEntries(categories.map((c) => [c, Math.round(report.categories[c].score * 100)]));
      const lost = Object.values(report.audits)
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'notApplicable')
        .map((a) => `${a.id} (${a.score})`);
      rows.push({ page: `/${rel}`, preset, ...scores, 'audits below 1': lost.join(', ') || '-' });
    }
  }
} finally {
  await server.close();
}
console.log(`Lighthouse ${VERSION}, Chromium at ${CHROMIUM}; reports in ${path.relative(process.cwd(), values.out) || '.'}/`);
console.table(rows);
process.exit(failed ? 1 : 0);
