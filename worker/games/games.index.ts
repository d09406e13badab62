import { principalOf, requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import { liveMember } from '../members/members.service';
import { loadScopedStore } from '../stores/scoped-store';
import * as r from './games.routes';
import { redeemSecretWord } from './secret-words.service';
import { spinWheel } from './wheel-spin.service';
import { readWheel } from './wheels.service';

export const gamesRouter = createRouter();
gamesRouter.use('/v1/wheels/:wheelId/spins', requireRole('member'));
gamesRouter.use('/v1/stores/:storeId/secret-words/*', requireRole('staff', 'admin'));

gamesRouter
  .openapi(r.wheelRoute, async (c) => c.json(await readWheel(c.env, c.req.valid('param').wheelId), 200))
  .openapi(r.spinRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    // Without a key every request is its own spin.
    const key = c.req.valid('header')['idempotency-key'] ?? crypto.randomUUID();
    return c.json(await spinWheel(c.env, m, c.req.valid('param').wheelId, key), 201);
  })
  .openapi(r.redeemSecretWordRoute, async (c) => {
    const store = await loadScopedStore(c, c.req.valid('param').storeId);
    return c.json(await redeemSecretWord(c.env, store, principalOf(c).subject, c.req.valid('json')), 201);
  });
