import { createRoute } from '@hono/zod-openapi';
import { MyTasteProfile, ProfileExclusionsPatch, TasteProfile } from '../../schema/api/profiles.schemas';
import { bearer, errorResponses, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Members'];
const security = bearer;

export const getProfileRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/profile',
  operationId: 'members.getTasteProfile',
  tags,
  security,
  summary: "What the brand has learned from the member's orders: favourites, tastes, spending, meal scenes, visits",
  description:
    'Kept only while the `personalisation` consent is granted. Without it the answer is 200 with ' +
    '`{ profile: null, reason: "no_consent" }`: a plain state the app shows (with the consent switch), not an error. ' +
    'Recomputed when an order completes and nightly; computed on first read if not yet.',
  responses: { 200: jsonOk(MyTasteProfile), ...readErrors },
});

export const patchProfileRoute = createRoute({
  method: 'patch',
  path: '/v1/members/me/profile',
  operationId: 'members.updateTasteProfile',
  tags,
  security,
  summary: 'Tags and meal scenes the member does not want used: left out of the profile now and on every recompute',
  description:
    'Each list given replaces the kept one (send `[]` to take every exclusion back). Without the ' +
    '`personalisation` consent: 409 `member.personalisation_off`.',
  request: { body: jsonBody(ProfileExclusionsPatch) },
  responses: { 200: jsonOk(TasteProfile), ...writeErrors },
});

export const deleteProfileRoute = createRoute({
  method: 'delete',
  path: '/v1/members/me/profile',
  operationId: 'members.deleteTasteProfile',
  tags,
  security,
  summary: 'Erase the profile and withdraw the personalisation consent, so no recompute brings it back',
  description:
    'Idempotent. Granting the consent again (PUT /v1/members/me/consents/personalisation) starts a new profile.',
  responses: { 204: { description: 'Erased' }, ...errorResponses(401, 403, 404) },
});
