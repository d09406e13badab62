/**
 * Writes the OpenAPI document exactly as `GET /openapi.json` serves it, asked of the app in
 * process (no server, no bindings), to the file named by the first argument or to stdout.
 * `npm run lint:openapi` lints what this writes.
 */
import { writeFileSync } from 'node:fs';
import { app } from '../worker/app.ts';

const res = await app.request('/openapi.json');
if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}: ${await res.text()}`);
const text = `${JSON.stringify(await res.json(), null, 2)}\n`;
const out = process.argv[2];
if (out) writeFileSync(out, text);
else process.stdout.write(text);
