// The Nu HTML Checker (vnu.jar from the vnu-jar package, run with Java):
// no errors in any generated HTML file of either site, nor in the CSS.

import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { SITES, LANGUAGE_SITES, TARGET } from '../lib/env.js';

// The paginated fixture (built by scripts/test) is checked too.
const PAGINATED = process.env.PAGINATED_DIR || path.join(TARGET, 'site-paginated');

const require = createRequire(import.meta.url);
const VNU = require.resolve('vnu-jar/build/dist/vnu.jar');
const JAVA = process.env.JAVA || 'java';

function vnu(args) {
  const r = spawnSync(JAVA, ['-Xss16m', '-jar', VNU, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

/** vnu's lines grouped by message: "message — N files: a, b, c". */
function summarise(out) {
  const groups = new Map();
  for (const line of out.split('\n')) {
    const m = /^"file:(.*?)":([\d.-]+): (.*)$/.exec(line);
    const [file, msg] = m ? [`${path.relative(process.cwd(), m[1])}:${m[2]}`, m[3]] : ['', line];
    if (!groups.has(msg)) groups.set(msg, []);
    groups.get(msg).push(file);
  }
  return [...groups].map(([msg, fs_]) => `${msg} — ${fs_.length} place(s): ${fs_.slice(0, 3).join(', ')}${fs_.length > 3 ? ', …' : ''}`);
}

function files(dir, ext) {
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(ext) && !f.split(path.sep).some((s) => s.startsWith('.')))
    .map((f) => path.join(dir, f))
    .sort();
}

describe('Nu HTML Checker', () => {
  before(() => {
    for (const site of SITES) assert.ok(fs.existsSync(path.join(site.dir, 'index.html')), `${site.dir} built`);
  });

  test('no errors in any generated HTML file', () => {
    const dirs = [...SITES.map((s) => s.dir), PAGINATED, ...LANGUAGE_SITES.map((s) => s.dir)];
    const count = dirs.reduce((n, d) => n + files(d, '.html').length, 0);
    assert.ok(count > 20, `HTML files to check (${count})`);
    const r = vnu(['--errors-only', '--skip-non-html', ...dirs]);
    assert.deepEqual(r.out ? summarise(r.out) : [], [], `vnu errors (${count} files checked)`);
    assert.equal(r.status, 0, 'vnu exit status');
  });

  test('no errors in the CSS', () => {
    // Our CSS only: timelinejs/ is TimelineJS's stylesheet, shipped as its
    // package publishes it (scripts/vendor-timelinejs), vendor prefixes and
    // old-browser hacks included; its overrides live in timeline-view.html,
    // which the HTML check above covers. pagefind/ is Pagefind's UI
    // stylesheet, written by the pagefind crate as it ships it.
    const vendored = (f) => f.split(path.sep).some((d) => d === 'timelinejs' || d === 'pagefind');
    const css = SITES.flatMap((s) => files(s.dir, '.css')).filter((f) => !vendored(f));
    assert.ok(css.length > 0, 'CSS files to check');
    const r = vnu(['--errors-only', '--css', ...css]);
    assert.deepEqual(r.out ? summarise(r.out) : [], [], 'vnu CSS errors');
    assert.equal(r.status, 0, 'vnu exit status');
  });
});
