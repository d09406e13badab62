import { principalOf } from '../http/auth';
import { createRouter } from '../http/router';
import * as r from './games-admin.routes';
import { createSecretWord, listSecretWords, patchSecretWord } from './secret-words.service';
import { createWheel, listWheels, patchWheel } from './wheels.service';

/** Mounted under the admin router (admins only, scoped to their brand). */
export const gamesAdminRouter = createRouter();

gamesAdminRouter
  .openapi(r.createWheelRoute, async (c) =>
    c.json(await createWheel(c.env, principalOf(c).brandId, c.req.valid('json')), 201),
  )
  .openapi(r.listWheelsRoute, async (c) => c.json({ wheels: await listWheels(c.env, principalOf(c).brandId) }, 200))
  .openapi(r.patchWheelRoute, async (c) =>
    c.json(await patchWheel(c.env, principalOf(c).brandId, c.req.valid('param').wheelId, c.req.valid('json')), 200),
  )
  .openapi(r.createSecretWordRoute, async (c) =>
    c.json(await createSecretWord(c.env, principalOf(c).brandId, c.req.valid('json')), 201),
  )
  .openapi(r.listSecretWordsRoute, async (c) =>
    c.json({ words: await listSecretWords(c.env, principalOf(c).brandId) }, 200),
  )
  .openapi(r.patchSecretWordRoute, async (c) =>
    c.json(
      await patchSecretWord(c.env, principalOf(c).brandId, c.req.valid('param').secretWordId, c.req.valid('json')),
      200,
    ),
  );
