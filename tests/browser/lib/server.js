// A tiny static file server for the generated sites, on 127.0.0.1 only.
//
// It serves `dir` under the path prefix `base` (`/` or `/news/`), like a
// host that publishes the site at its base_url: `/x/` serves `x/index.html`,
// `/x` redirects to `/x/` when that is a folder, and anything missing (or
// outside `base`) gets the site's own `404.html` with status 404.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function normaliseBase(base) {
  let b = base || '/';
  if (!b.startsWith('/')) b = `/${b}`;
  if (!b.endsWith('/')) b = `${b}/`;
  return b;
}

/** Starts a server; resolves to `{ server, url, close() }` once it listens. */
export function serve({ dir, base = '/', port = 0, host = '127.0.0.1', log = false }) {
  const root = path.resolve(dir);
  const prefix = normaliseBase(base);
  const notFoundFile = path.join(root, '404.html');

  // Text is gzipped for clients that ask, as any real host would do.
  const send = (req, res, status, file, method) => {
    const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    let body = fs.readFileSync(file);
    const headers = { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
    if (/^text\/|svg|json|xml/.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      body = zlib.gzipSync(body);
      headers['content-encoding'] = 'gzip';
      headers.vary = 'accept-encoding';
    }
    headers['content-length'] = body.length;
    res.writeHead(status, headers);
    res.end(method === 'HEAD' ? undefined : body);
  };

  const notFound = (req, res, method) => {
    if (fs.existsSync(notFoundFile)) return send(req, res, 404, notFoundFile, method);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(method === 'HEAD' ? undefined : 'Not found\n');
  };

  const server = http.createServer((req, res) => {
    const method = req.method || 'GET';
    if (log) process.stderr.write(`${method} ${req.url}\n`);
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      return res.end();
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return notFound(req, res, method);
    }
    if (pathname === prefix.slice(0, -1)) {
      res.writeHead(301, { location: prefix });
      return res.end();
    }
    if (!pathname.startsWith(prefix) || pathname.includes('\0')) return notFound(req, res, method);
    const rel = pathname.slice(prefix.length);
    const file = path.resolve(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(req, res, method);
    // Dot files (the output's manifest and lock) are not part of the site.
    if (rel.split('/').some((seg) => seg.startsWith('.'))) return notFound(req, res, method);
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return notFound(req, res, method);
    }
    if (stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        const q = new URL(req.url, 'http://x').search;
        res.writeHead(301, { location: `${pathname}/${q}` });
        return res.end();
      }
      const index = path.join(file, 'index.html');
      if (fs.existsSync(index)) return send(req, res, 200, index, method);
      return notFound(req, res, method);
    }
    return send(req, res, 200, file, method);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({
        server,
        origin: `http://${host}:${actual}`,
        url: `http://${host}:${actual}${prefix}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
