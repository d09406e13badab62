// Node-side: the files under web/ (with web/lib built by `npm run web:build`), for browser
// tests that serve a page's modules themselves instead of starting the whole server.
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const web = resolve(import.meta.dirname, '../../../web');
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };

/** The file at a URL path under web/, or null. */
export function webFile(path) {
  const file = normalize(join(web, path));
  if (!file.startsWith(web) || !existsSync(file)) return null;
  return { body: readFileSync(file, 'utf8'), contentType: TYPES[extname(file)] ?? 'application/octet-stream' };
}
