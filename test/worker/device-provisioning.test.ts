import { describe, expect, it } from 'vitest';
import { roomInWindow } from '../support/clock-windows';
import { openStore } from '../support/factories';
import { createDevice } from '../support/fixtures';
import { call } from '../support/http';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const randomIp = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

const provision = (code: string, ip = randomIp()) =>
  call('/v1/devices/provision', { method: 'POST', body: { code }, headers: { 'CF-Connecting-IP': ip } });

/** A wrong code aimed at a real code: its handle (first four characters), another secret. */
function wrongGuess(code: string, n: number): string {
  const tail = Array.from({ length: 12 }, (_, i) => ALPHABET[(n * 7 + i * 3) % ALPHABET.length]).join('');
  const guess = `${code.slice(0, 4)}${tail}`;
  return guess === code.replaceAll('-', '') ? `${code.slice(0, 4)}${'2'.repeat(12)}` : guess;
}

describe('device provisioning resists guessing', () => {
  it('codes are 16 characters from an unambiguous alphabet and live an hour', async () => {
    const { storeId, admin } = await openStore();
    const device = await createDevice(admin, storeId);
    expect(device.provisioningCode).toMatch(/^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$/);
    const life = Date.parse(device.provisioningExpiresAt) - Date.now();
    expect(life).toBeGreaterThan(59 * 60_000);
    expect(life).toBeLessThanOrEqual(60 * 60_000);
  });

  it('one address guessing codes is stopped after 10 a minute', async () => {
    const ip = randomIp();
    const answers = [];
    await roomInWindow();
    for (let i = 0; i < 11; i++) answers.push((await provision(`ZZZZ${String(i).padStart(12, '9')}`, ip)).status);
    expect(answers.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(answers[10]).toBe(429);
  });

  it('five wrong guesses at a device’s code lock it, even against the right code, until a new one is issued', async () => {
    const { storeId, admin } = await openStore();
    const device = await createDevice(admin, storeId);
    for (let i = 0; i < 5; i++) {
      const res = await provision(wrongGuess(device.provisioningCode, i));
      expect(res.status).toBe(404);
      expect(res.json.code).toBe('device.provisioning_code_invalid');
    }
    const locked = await provision(device.provisioningCode);
    expect(locked.status).toBe(403);
    expect(locked.json.code).toBe('device.provisioning_locked');

    const fresh = await call(`/v1/admin/stores/${storeId}/devices/${device.id}/provisioning-code`, {
      method: 'POST',
      token: admin,
    });
    expect(fresh.status, fresh.text).toBe(201);
    expect((await provision(device.provisioningCode)).status).toBe(404);
    const enrolled = await provision(fresh.json.provisioningCode);
    expect(enrolled.status, enrolled.text).toBe(200);
  });

  it('twenty wrong guesses spread over a store’s codes lock all of its codes', async () => {
    const { storeId, admin } = await openStore();
    const targets = await Promise.all(Array.from({ length: 5 }, () => createDevice(admin, storeId)));
    const untouched = await createDevice(admin, storeId);
    // Four at each code: under the per-code lock, but twenty for the store.
    for (const t of targets) {
      for (let i = 0; i < 4; i++) expect((await provision(wrongGuess(t.provisioningCode, i))).status).toBe(404);
    }
    const res = await provision(untouched.provisioningCode);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('device.provisioning_locked');
    // Another store is not affected.
    const other = await openStore();
    const elsewhere = await createDevice(other.admin, other.storeId);
    expect((await provision(elsewhere.provisioningCode)).status).toBe(200);
  });
});
