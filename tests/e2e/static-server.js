// A plain static file server for the course-page tests: the built site (dist/) under any
// sub-path, and host pages of the test's own, optionally with CORS (a course page on another
// origin loads the element from this one). No special headers otherwise: what any static host does.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.gz': 'application/gzip', '.aemf': 'application/octet-stream', '.png': 'image/png', '.woff2': 'font/woff2' };

/**
 * @param {{mounts: Record<string, string>, pages?: Record<string, string>, cors?: boolean}} o
 *   mounts: URL prefix ('/course/ap/') → directory; pages: exact path → HTML text
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function serveStatic({ mounts, pages = {}, cors = false }) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const headers = cors ? { 'Access-Control-Allow-Origin': '*' } : {};
    if (pages[path] !== undefined) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
      return res.end(pages[path]);
    }
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!path.startsWith(prefix)) continue;
      let file = normalize(join(dir, path.slice(prefix.length)));
      if (!file.startsWith(normalize(dir))) break;
      try {
        if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
        const body = await readFile(file);
        res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
        return res.end(body);
      } catch {
        break;
      }
    }
    res.writeHead(404, headers);
    res.end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}
