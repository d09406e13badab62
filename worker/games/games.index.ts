import { principalOf, requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import { liveMember } from '../members/members.service';
import { loadScopedStore } from '../stores/scoped-store';
import * as r from './games.routes';
import { redeemSecretWord } from './secret-words.service';
import { recordShareOpen, shareTask } from './share-task.service';
import { spinHistory } from './spin-history.service';
import { spinWheel } from './wheel-spin.service';
import { readWheel } from './wheels.service';

export const gamesRouter = createRouter();
for (const path of ['/v1/wheels/:wheelId/spins', '/v1/wheels/:wheelId/share-task', '/v1/wheels/:wheelId/share-opens']) {
  gamesRouter.use(path, requireRole('member'));
}
gamesRouter.use('/v1/members/me/wheels/*', requireRole('member'));
gamesRouter.use('/v1/stores/:storeId/secret-words/*', requireRole('staff', 'admin'));

gamesRouter
  .openapi(r.wheelRoute, async (c) => c.json(await readWheel(c.env, c.req.valid('param').wheelId), 200))
  .openapi(r.spinRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    // Without a key every request is its own spin.
    const key = c.req.valid('header')['idempotency-key'] ?? crypto.randomUUID();
    return c.json(await spinWheel(c.env, m, c.req.valid('param').wheelId, key), 201);
  })
  .openapi(r.mySpinsRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    const q = c.req.valid('query');
    return c.json(await spinHistory(c.env, m, c.req.valid('param').wheelId, q.limit, q.before), 200);
  })
  .openapi(r.redeemSecretWordRoute, async (c) => {
    const store = await loadScopedStore(c, c.req.valid('param').storeId);
    return c.json(await redeemSecretWord(c.env, store, principalOf(c).subject, c.req.valid('json')), 201);
  })
  .openapi(r.shareTaskRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await shareTask(c.env, m, c.req.valid('param').wheelId), 200);
  })
  .openapi(r.shareOpenRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await recordShareOpen(c.env, m, c.req.valid('param').wheelId, c.req.valid('json')), 200);
  });
