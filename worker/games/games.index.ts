import { principalOf, requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import { liveMember } from '../members/members.service';
import * as r from './games.routes';
import { spinWheel } from './wheel-spin.service';
import { readWheel } from './wheels.service';

export const gamesRouter = createRouter();
gamesRouter.use('/v1/wheels/:wheelId/spins', requireRole('member'));

gamesRouter
  .openapi(r.wheelRoute, async (c) => c.json(await readWheel(c.env, c.req.valid('param').wheelId), 200))
  .openapi(r.spinRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    // Without a key every request is its own spin.
    const key = c.req.valid('header')['idempotency-key'] ?? crypto.randomUUID();
    return c.json(await spinWheel(c.env, m, c.req.valid('param').wheelId, key), 201);
  });
