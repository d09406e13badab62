import type { Env } from '../env';
import { principalOf, requireRole } from '../http/auth';
import { ApiError } from '../http/errors';
import { createRouter } from '../http/router';
import { currentConsents, liveMember, recordConsent } from '../members/members.service';
import * as r from './profiles.routes';
import { myProfile, profileView, setExclusions } from './profiles.service';

export const profilesRouter = createRouter();
profilesRouter.use('/v1/members/me/profile', requireRole('member'));

/** Recorded as the consent text when the member erases their profile: the act is the withdrawal. */
const ERASED_TEXT = 'Profile erased by the member (DELETE /v1/members/me/profile)';

const personalised = async (env: Env, memberId: string) =>
  (await currentConsents(env, memberId)).find((c) => c.kind === 'personalisation')?.granted ?? false;

profilesRouter
  .openapi(r.getProfileRoute, async (c) => {
    const row = await liveMember(c.env, principalOf(c));
    c.header('Cache-Control', 'no-store');
    return c.json(await myProfile(c.env, row, await personalised(c.env, row.id)), 200);
  })
  .openapi(r.patchProfileRoute, async (c) => {
    const row = await liveMember(c.env, principalOf(c));
    const off = () =>
      new ApiError(409, 'member.personalisation_off', 'Personalisation is off: there is no profile to edit.');
    if (!(await personalised(c.env, row.id))) throw off();
    const stored = await setExclusions(c.env, row, c.req.valid('json').exclusions);
    if (!stored) throw off();
    return c.json(profileView(stored), 200);
  })
  .openapi(r.deleteProfileRoute, async (c) => {
    const row = await liveMember(c.env, principalOf(c));
    // Recording the withdrawal deletes the profile (members.service), and keeps the nightly run from rebuilding it.
    await recordConsent(c.env, row, 'personalisation', false, ERASED_TEXT);
    return c.body(null, 204);
  });
