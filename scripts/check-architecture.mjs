// The architecture's rules, checked in CI (ARCHITECTURE.md explains them):
// - no source file outside generated code is over 400 lines;
// - nothing outside durable-objects/ imports its internals (only contract.ts, and the object classes for Env);
// - durable-objects/ and queues/ do not import worker/env;
// - D1 is reached through drizzle: no `.prepare(sql)` of our own outside the named exceptions
//   (drizzle's own `.prepare()` of a built query is drizzle);
// - a failure thrown with a literal status and code uses the status domain/problem-codes.ts gives
//   that code (the document lists each code under that status).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const MAX_LINES = 400;
const GENERATED = [/^client-sdk\/src\/generated\//, /^worker-configuration\.d\.ts$/, /\.generated\./];
// Raw D1 statements allowed here, and why: compiled.ts binds drizzle-built statements once
// per slice for bulk issuance (building SQL per member cost twice the issuance time).
const PREPARE_ALLOWED = new Set(['schema/d1/compiled.ts']);
const DO_PUBLIC = new Set([
  'durable-objects/store/contract.ts',
  'durable-objects/store/store.do.ts',
  'durable-objects/member-shard/member-shard.do.ts',
]);

const files = execSync('git ls-files --cached --others --exclude-standard', { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && fs.existsSync(f));
const problems = [];
const catalog = new Map(
  [...fs.readFileSync('domain/problem-codes.ts', 'utf8').matchAll(/^\s*'([a-z_.]+)': (\d{3}),$/gm)].map((m) => [
    m[1],
    Number(m[2]),
  ]),
);
const LITERAL_FAILURES = [
  /(?:ApiError|Failure)\(\s*(?<status>\d{3})(?: as never)?,\s*'(?<code>[a-z_]+\.[a-z_.]+)'/g,
  /status:\s*(?<status>\d{3})(?: as const)?,\s*code:\s*'(?<code>[a-z_]+\.[a-z_.]+)'/g,
];
for (const f of files) {
  if (GENERATED.some((g) => g.test(f))) continue;
  const text = fs.readFileSync(f, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_LINES) problems.push(`${f}: ${lines} lines (split it: at most ${MAX_LINES})`);
  if (f.startsWith('test/')) continue;
  for (const pattern of LITERAL_FAILURES) {
    for (const { groups } of text.matchAll(pattern)) {
      const listed = catalog.get(groups.code);
      if (listed !== Number(groups.status)) {
        problems.push(
          `${f}: ${groups.code} thrown with ${groups.status}, but domain/problem-codes.ts gives ${listed ?? 'no status'}`,
        );
      }
    }
  }
  for (const m of text.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = path.normalize(path.join(path.dirname(f), m[1])).replace(/\\/g, '/');
    const resolved = [target, `${target}.ts`, target.replace(/\.js$/, '.ts')].find((p) => fs.existsSync(p)) ?? target;
    if (!f.startsWith('durable-objects/') && resolved.startsWith('durable-objects/') && !DO_PUBLIC.has(resolved)) {
      problems.push(`${f}: imports ${resolved}, an internal of the StoreDO (use durable-objects/store/contract.ts)`);
    }
    if (/^(durable-objects|queues)\//.test(f) && resolved === 'worker/env.ts') {
      problems.push(`${f}: imports worker/env (use the generated Env)`);
    }
  }
  if (
    /\.prepare\(\s*[^)\s]/.test(text) &&
    !PREPARE_ALLOWED.has(f) &&
    /^(worker|queues|durable-objects|schema)\//.test(f)
  ) {
    problems.push(`${f}: raw D1 statement (.prepare); reach D1 through drizzle`);
  }
}
if (problems.length) {
  console.log(problems.join('\n'));
  console.log(`architecture check: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`architecture check: ${files.length} files, no problems`);
