// A raw HTTP GET from Node with exactly the headers given (fetch would add Accept-Encoding),
// as curl sends it. Plain JS with a declaration file: the type-checked tests have no Node typings.
import { request } from 'node:http';

export function rawGet(url, headers = {}) {
  return new Promise((ok, fail) => {
    const req = request(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end();
  });
}
