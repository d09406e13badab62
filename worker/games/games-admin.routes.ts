import { createRoute, z } from '@hono/zod-openapi';
import {
  SecretWord,
  SecretWordInput,
  SecretWordPatch,
  Wheel,
  WheelInput,
  WheelPatch,
} from '../../schema/api/games.schemas';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Admin: games'];
const security = bearer;

export const createWheelRoute = createRoute({
  method: 'post',
  path: '/v1/admin/wheels',
  operationId: 'admin.createWheel',
  tags,
  security,
  summary: 'Make a lucky wheel: prizes (points, a coupon template, or thanks for playing) with weights and stock',
  description:
    'The prizes are fixed once made, so the published odds are the odds played; to change them, make a new wheel ' +
    'and switch the old one off. A coupon prize names a template of the brand; problems are a 422 naming each path.',
  request: { body: jsonBody(WheelInput) },
  responses: { 201: jsonOk(Wheel, 'Created'), ...writeErrors },
});

export const listWheelsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/wheels',
  operationId: 'admin.listWheels',
  tags,
  security,
  summary: "The brand's wheels, newest first, with odds and how many of each prize were given",
  responses: { 200: jsonOk(z.object({ wheels: z.array(Wheel) })), ...readErrors },
});

export const patchWheelRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/wheels/{wheelId}',
  operationId: 'admin.updateWheel',
  tags,
  security,
  summary: "Change a wheel's name, cost, daily limit, window, or switch it on or off (not its prizes)",
  request: {
    params: z.object({ wheelId: idParam('wheelId', 'whl_3f9c0a1b2c3d4e5f6a7b') }),
    body: jsonBody(WheelPatch),
  },
  responses: { 200: jsonOk(Wheel), ...writeErrors },
});

export const createSecretWordRoute = createRoute({
  method: 'post',
  path: '/v1/admin/secret-words',
  operationId: 'admin.createSecretWord',
  tags,
  security,
  summary: 'Set a secret word (暗号) for a hidden dish, with a window and optionally some stores',
  description:
    'Matching ignores case, spaces and full-width forms; a word the brand already has is 409 `secret_word.taken`. ' +
    'A redemption issues a free-item coupon for the dish (a template made with the word), valid a day at its stores. ' +
    'An active word whose dish is not on a published menu (of its stores) is 409 `secret_word.item_unpublished`.',
  request: { body: jsonBody(SecretWordInput) },
  responses: { 201: jsonOk(SecretWord, 'Created'), ...writeErrors },
});

export const listSecretWordsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/secret-words',
  operationId: 'admin.listSecretWords',
  tags,
  security,
  summary: "The brand's secret words with how many guests redeemed each",
  responses: { 200: jsonOk(z.object({ words: z.array(SecretWord) })), ...readErrors },
});

export const patchSecretWordRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/secret-words/{secretWordId}',
  operationId: 'admin.updateSecretWord',
  tags,
  security,
  summary: "Change a secret word's window or switch it off",
  description: 'Switching a word on whose dish is no longer on a published menu is 409 `secret_word.item_unpublished`.',
  request: {
    params: z.object({ secretWordId: idParam('secretWordId', 'swd_3f9c0a1b2c3d4e5f6a7b') }),
    body: jsonBody(SecretWordPatch),
  },
  responses: { 200: jsonOk(SecretWord), ...writeErrors },
});
