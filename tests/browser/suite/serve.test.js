// `chronicle serve` in a real browser: an open page reloads by itself after
// an edit, shows a build's errors over the page while a file is broken, and
// drops them when it is fixed. The server runs on a copy of the fixture
// site, on a free port; nothing here measures time (waits are bounded only
// so that a broken server fails instead of hanging).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { BROWSER_DIR, chronicleBinary, launch } from '../lib/env.js';

const PATIENCE = 30_000;
const ARTICLE = 'content/2024/consultation.md';

let browser;
let server;
let site;
let url;

before(async () => {
  const binary = chronicleBinary();
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'chronicle-serve-'));
  fs.cpSync(path.join(BROWSER_DIR, 'site'), site, { recursive: true });
  server = spawn(binary, ['serve', '--root', site, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), PATIENCE);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /Serving (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGINT');
  fs.rmSync(site, { recursive: true, force: true });
});

function edit(rel, change) {
  const file = path.join(site, rel);
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
}

test('an open page reloads by itself after an edit', async () => {
  const page = await browser.newPage();
  await page.goto(`${url}2024/consultation/`);
  const before = await page.textContent('h1');
  assert.match(before, /public consultation/);
  const reloaded = page.waitForEvent('load', { timeout: PATIENCE });
  edit(ARTICLE, (text) => text.replace('opens a public consultation', 'reopens a public consultation'));
  await reloaded;
  assert.match(await page.textContent('h1'), /reopens a public consultation/);
  await page.close();
});

test('a broken file shows its errors over the page until it is fixed', async () => {
  const page = await browser.newPage();
  await page.goto(`${url}2024/consultation/`);
  const good = fs.readFileSync(path.join(site, ARTICLE), 'utf8');
  edit(ARTICLE, (text) => text.replace('date: "2024-03-04"', 'date: "2024-03-40"'));
  const overlay = page.locator('#chronicle-errors');
  await overlay.waitFor({ state: 'visible', timeout: PATIENCE });
  assert.equal(await overlay.getAttribute('role'), 'alert');
  const text = await overlay.locator('pre').textContent();
  assert.match(text, /content\/2024\/consultation\.md:3:\d+: error\[date-invalid\]/);
  // The page under it is still the last good build.
  assert.match(await page.textContent('h1'), /public consultation/);
  // A page opened now shows the errors too.
  const late = await browser.newPage();
  await late.goto(url);
  await late.locator('#chronicle-errors').waitFor({ state: 'visible', timeout: PATIENCE });
  await late.close();
  // Fixed: the page reloads and the errors are gone.
  const reloaded = page.waitForEvent('load', { timeout: PATIENCE });
  fs.writeFileSync(path.join(site, ARTICLE), good);
  await reloaded;
  assert.equal(await page.locator('#chronicle-errors').count(), 0);
  await page.close();
});
