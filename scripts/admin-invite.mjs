// `npm run admin:invite -- --brand brd_acme --login owner@acme.com [--name "Owner"] [--brand-name "Acme"] [--remote]`
//
// The first admin of a brand on a fresh deployment: there is nobody yet to invite them through
// the API, so whoever holds the Cloudflare credentials (who can read and write D1 anyway) writes
// the admin account and a one-time invitation straight into D1 with `wrangler d1 execute`, and
// hands the printed link to the person, who sets their password. Also a way back in when every
// admin of a brand is locked out. Without --remote it writes the local database (`npm start`).
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    brand: { type: 'string' },
    login: { type: 'string' },
    name: { type: 'string', default: 'Owner' },
    'brand-name': { type: 'string' },
    'base-url': { type: 'string' },
    remote: { type: 'boolean', default: false },
    'persist-to': { type: 'string' },
  },
});
if (!args.brand || !args.login) {
  console.error(
    'usage: npm run admin:invite -- --brand <brandId> --login <login> [--name <name>] [--brand-name <name>] [--remote]',
  );
  process.exit(2);
}
const login = args.login.trim().toLowerCase();
if (login.length < 3 || login.length > 64) throw new Error('--login must be 3 to 64 characters');

const INVITATION_TTL_MS = 72 * 3600 * 1000; // as worker/accounts/invitations.service.ts
const now = Date.now();
const token = `inv_${randomBytes(32).toString('base64url')}`;
const tokenHash = createHash('sha256').update(token).digest('hex');
const adminId = `adm_${randomBytes(10).toString('hex')}`;
const inviteId = `inv_${randomBytes(10).toString('hex')}`;
const q = (v) => (typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);

const statements = [
  // A brand of its own on a fresh deployment; an existing brand is left as it is.
  args['brand-name']
    ? `INSERT OR IGNORE INTO brands (id, name, currency, settings, created_at) VALUES (${q(args.brand)}, ${q(args['brand-name'])}, 'CNY', '{}', ${now});`
    : '',
  // Fails on the unique (brand, login) index if an admin already signs in with this login.
  `INSERT INTO admins (id, brand_id, name, login, password_hash, active, tokens_valid_after, created_at, updated_at)
   SELECT ${q(adminId)}, ${q(args.brand)}, ${q(args.name)}, ${q(login)}, NULL, 1, 0, ${now}, ${now}
   WHERE EXISTS (SELECT 1 FROM brands WHERE id = ${q(args.brand)})
     AND NOT EXISTS (SELECT 1 FROM staff WHERE brand_id = ${q(args.brand)} AND login = ${q(login)});`,
  `INSERT INTO account_invitations (id, brand_id, account_id, role, token_hash, expires_at, accepted_at, created_by, created_at)
   SELECT ${q(inviteId)}, ${q(args.brand)}, ${q(adminId)}, 'admin', ${q(tokenHash)}, ${now + INVITATION_TTL_MS}, NULL, 'bootstrap', ${now}
   WHERE EXISTS (SELECT 1 FROM admins WHERE id = ${q(adminId)});`,
  `SELECT count(*) AS invited FROM account_invitations WHERE id = ${q(inviteId)};`,
].filter(Boolean);

mkdirSync('.wrangler', { recursive: true });
const file = '.wrangler/admin-invite.sql';
writeFileSync(file, `${statements.join('\n')}\n`);
const where = args.remote
  ? ['--remote']
  : ['--local', ...(args['persist-to'] ? ['--persist-to', args['persist-to']] : [])];
const r = spawnSync('wrangler', ['d1', 'execute', 'DB', ...where, '--file', file, '--json'], {
  encoding: 'utf8',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  shell: process.platform === 'win32',
});
writeFileSync(file, ''); // the statements carry only the token's hash, but leave nothing behind
if (r.status !== 0) {
  console.error(r.stderr || r.stdout);
  process.exit(r.status ?? 1);
}
if (!/"invited":\s*1/.test(r.stdout)) {
  console.error(
    `No invitation written: brand ${args.brand} does not exist (give --brand-name to create it) or the login is taken.`,
  );
  process.exit(1);
}
const baseUrl =
  args['base-url'] ?? readFileSync('wrangler.toml', 'utf8').match(/^PUBLIC_BASE_URL\s*=\s*"([^"]+)"/m)?.[1] ?? '';
console.log(`Admin ${adminId} (${login}) invited to ${args.brand}. Valid 72 hours, shown once:\n`);
console.log(`  ${baseUrl}/kitchen/#invite=${token}\n`);
console.log(
  'Or accept by API: POST /v1/auth/invitations/accept { "token": "<the token after #invite=>", "password": "…" }',
);
