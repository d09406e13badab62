/*
 * Where a webhook may be sent. In production: https only, to a public host; never to a
 * loopback, private, link-local, carrier-grade NAT or unique-local address, nor to a name
 * that only means something inside a network (`localhost`, `*.internal`, `*.local`), so an
 * admin cannot point our worker at someone's intranet. Local development (DEV_AUTH=1) may
 * also use `http://127.0.0.1`/`localhost`, so a receiver on the developer's machine works.
 *
 * A public name that resolves to a private address is caught where the request is made:
 * Workers cannot reach private ranges, and the delivery records the refusal.
 */

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const INTERNAL_NAMES = /(^|\.)(localhost|internal|local|lan|home|corp|intranet)$/i;

function ipv4(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const n = parts.map(Number);
  return n.every((x) => x <= 255) ? n : null;
}

/** Loopback, private, link-local, CGNAT, "this network", multicast and reserved IPv4 ranges. */
function privateV4([a, b]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a! >= 224
  );
}

function privateV6(host: string): boolean {
  const h = host.toLowerCase();
  if (h === '::' || h === '::1') return true;
  // An IPv4-mapped address, which URL writes in hex (::ffff:10.0.0.1 becomes ::ffff:a00:1).
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (mapped) {
    const [hi, lo] = [Number.parseInt(mapped[1]!, 16), Number.parseInt(mapped[2]!, 16)];
    return privateV4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  // fc00::/7 unique local, fe80::/10 link local, ff00::/8 multicast
  return /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || h.startsWith('ff');
}

const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || (ipv4(host)?.[0] === 127 && ipv4(host) !== null);

/** Whether `raw` may receive webhooks; `dev` allows plain http to this machine. */
export function webhookUrlVerdict(raw: string, dev: boolean): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not an absolute URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (dev && url.protocol === 'http:' && isLoopback(host)) return { ok: true, url };
  if (url.protocol !== 'https:') return { ok: false, reason: 'must use https' };
  const v4 = ipv4(host);
  if ((v4 && privateV4(v4)) || (host.includes(':') && privateV6(host)) || INTERNAL_NAMES.test(host)) {
    return { ok: false, reason: 'must be a public address, not a private, loopback or internal one' };
  }
  if (!v4 && !host.includes(':') && !host.includes('.')) return { ok: false, reason: 'must name a public host' };
  return { ok: true, url };
}
