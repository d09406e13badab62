// Where the worker's JavaScript spends a placement: the V8 sampling profiler read through
// workerd's inspector (CDP Profiler.start/stop) while 32 connections place orders at one store
// (or `--stores 100`), each sample's self time charged to the source file the bundle's module
// comments name for its line. `perf` names native frames well and JavaScript poorly; this is
// the other half. Prints the top files and functions; `bench/results/profile-js-<stores>.json` keeps it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startServer } from './server.mjs';
import { guestPool, guestTokens, placementLoad, storeFleet, writeResult } from './stores-support.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const stores = arg('stores', 1);
const duration = arg('seconds', 10);
const PORT = 8801;
const INSPECTOR = 9331;

const server = await startServer(PORT, {}, ['--inspector-port', String(INSPECTOR)]);
try {
  const fleet = await storeFleet(server.base, stores);
  const tokens = await guestTokens(server.base, 40_000);
  // Warm the isolate and every store object before sampling.
  await placementLoad(server.base, fleet.storeIds, guestPool(tokens.slice(30_000)), { connections: 32, duration: 3 });

  const cdp = await inspector();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const load = await placementLoad(server.base, fleet.storeIds, guestPool(tokens), { connections: 32, duration });
  const { profile } = await cdp.send('Profiler.stop');
  cdp.close();

  const result = attribute(profile, load.requests, bundleModules());
  console.log(`${load.requests} orders in ${duration} s at ${stores} store(s), ${load.errors} errors`);
  console.log(`sampled ${result.sampledMsPerOrder} ms of the thread an order`);
  console.table(result.files.slice(0, 30));
  console.table(result.functions.slice(0, 40));
  console.table(result.nativeByCaller.slice(0, 25));
  writeResult(`profile-js-${stores}.json`, { stores, orders: load.requests, ...result });
} finally {
  server.stop();
}

async function inspector() {
  const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR}/json`)).json();
  const target = targets.find((t) => t.webSocketDebuggerUrl) ?? targets[0];
  // wrangler's inspector proxy only lets local origins (and its hosted DevTools) attach.
  const ws = new WebSocket(target.webSocketDebuggerUrl, { origin: 'http://127.0.0.1', maxPayload: 1 << 30 });
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const waiting = new Map();
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.id && waiting.has(msg.id)) {
      waiting.get(msg.id)(msg);
      waiting.delete(msg.id);
    }
  };
  return {
    send(method, params = {}) {
      const msgId = ++id;
      ws.send(JSON.stringify({ id: msgId, method, params }));
      return new Promise((resolve, reject) =>
        waiting.set(msgId, (msg) => (msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result))),
      );
    },
    close: () => ws.close(),
  };
}

/** The newest dev bundle's module boundaries: [{ line, file }] sorted by line (0-based). */
function bundleModules() {
  const root = '.wrangler/tmp';
  const dirs = readdirSync(root)
    .filter((d) => d.startsWith('dev-'))
    .map((d) => join(root, d))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const dir of dirs) {
    const file = readdirSync(dir).find((f) => f.endsWith('.js'));
    if (!file) continue;
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    const marks = [];
    marks.source = lines;
    for (const [i, l] of lines.entries()) {
      const m = /^\/\/ ((?:node_modules\/|\.\.\/)?[\w@./-]+\.(?:ts|js|mjs|cjs|json))$/.exec(l);
      if (m) marks.push({ line: i, file: m[1].replace(/^.*node_modules\//, 'npm:') });
    }
    return marks;
  }
  return [];
}

function fileAt(marks, line) {
  let lo = 0;
  let hi = marks.length - 1;
  let found = '(bundle preamble)';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid].line <= line) {
      found = marks[mid].file;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function attribute(profile, orders, marks) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + us);
  }
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const byFile = new Map();
  const byFn = new Map();
  // A native call (a SQLite exec, a crypto verify, a fetch) charged to the code of ours that made it.
  const nativeByCaller = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const { callFrame } = nodes.get(id);
    if (callFrame.functionName === '(idle)') continue;
    total += us;
    const file = callFrame.url
      ? /^(cloudflare-internal|node|workerd):/.test(callFrame.url)
        ? callFrame.url
        : fileAt(marks, callFrame.lineNumber)
      : `(${callFrame.functionName || 'native'})`;
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    // An anonymous function is named by the start of its line, which is all a reader can find it by.
    const where =
      callFrame.url && !callFrame.functionName && marks.source
        ? `: ${(marks.source[callFrame.lineNumber] ?? '').trim().slice(0, 70)}`
        : '';
    const fn = `${callFrame.functionName || '(anonymous)'} ${file}${where}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    if (!callFrame.url && callFrame.functionName && !callFrame.functionName.startsWith('(')) {
      let caller = parent.get(id);
      while (caller && !caller.callFrame.url) caller = parent.get(caller.id);
      if (caller) {
        const c = caller.callFrame;
        const cfile = /^(cloudflare-internal|node|workerd):/.test(c.url) ? c.url : fileAt(marks, c.lineNumber);
        const key = `${callFrame.functionName} ← ${c.functionName || `(anonymous) line ${c.lineNumber}`} ${cfile}`;
        nativeByCaller.set(key, (nativeByCaller.get(key) ?? 0) + us);
      }
    }
  }
  const rows = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({
        name,
        share: Number((us / total).toFixed(3)),
        msPerOrder: Number((us / 1000 / orders).toFixed(3)),
      }));
  return {
    sampledMsPerOrder: Number((total / 1000 / orders).toFixed(2)),
    files: rows(byFile),
    functions: rows(byFn),
    nativeByCaller: rows(nativeByCaller),
  };
}
