#!/usr/bin/env node
// Serves a built site on 127.0.0.1 until killed:
//   node serve.js --dir target/site-fixture --base /news/ [--port 0] [--ready-file F]
// Prints the site's URL; with --ready-file, also writes it there once listening.

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { serve } from './lib/server.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    base: { type: 'string', default: '/' },
    port: { type: 'string', default: '0' },
    'ready-file': { type: 'string' },
    log: { type: 'boolean', default: false },
  },
});
if (!values.dir) {
  console.error('usage: node serve.js --dir DIR [--base /sub/] [--port N] [--ready-file FILE]');
  process.exit(2);
}
const s = await serve({ dir: values.dir, base: values.base, port: Number(values.port), log: values.log });
console.log(`serving ${values.dir} at ${s.url}`);
if (values['ready-file']) fs.writeFileSync(values['ready-file'], `${s.url}\n`);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => s.close().then(() => process.exit(0)));
