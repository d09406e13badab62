import { describe, expect, it } from 'vitest';
import { StepTimes } from '../../domain/step-times';

describe('a request times its steps for Server-Timing', () => {
  it('adds repeated steps, merges the store object’s under a prefix, and writes the header', async () => {
    let now = 0;
    const steps = new StepTimes(() => now);
    await steps.time('auth', () => {
      now += 0.4;
    });
    await steps.time('d1 read', async () => {
      now += 1.25;
    });
    await steps.time('d1 read', () => {
      now += 0.75;
    });
    steps.merge({ member: 3.333, write: 0.5 }, 'do.');
    expect(steps.toJSON()).toEqual({ auth: 0.4, 'd1 read': 2, 'do.member': 3.33, 'do.write': 0.5 });
    expect(steps.header({ total: 9.999 })).toBe(
      'auth;dur=0.4, d1_read;dur=2, do.member;dur=3.33, do.write;dur=0.5, total;dur=10',
    );
  });

  it('a step that fails still counts its time, and the failure goes on', async () => {
    let now = 0;
    const steps = new StepTimes(() => now);
    await expect(
      steps.time('rpc', () => {
        now += 2;
        throw new Error('store unavailable');
      }),
    ).rejects.toThrow('store unavailable');
    expect(steps.toJSON()).toEqual({ rpc: 2 });
  });
});
