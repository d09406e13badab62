import { normalizeLogin } from '../../domain/password-policy';
import { principalOf, requireRole } from '../http/auth';
import { forbidden } from '../http/errors';
import { byIp, enforceLimit, limitBy } from '../http/rate-limit';
import { createRouter } from '../http/router';
import * as r from './accounts.routes';
import { acceptInvitation } from './invitations.service';
import { endSession, rotateSession, signOutEverywhere } from './sessions.service';
import { changePassword, signIn } from './sign-in.service';

/** Staff and admin sign-in: passwords, refresh, sign-out. */
export const accountsRouter = createRouter();
accountsRouter.use('/v1/auth/login', limitBy('auth', 'login', byIp));
accountsRouter.use('/v1/auth/invitations/accept', limitBy('auth', 'invite', byIp));
accountsRouter.use('/v1/auth/refresh', limitBy('login', 'refresh', byIp));
accountsRouter.use('/v1/auth/logout-all', requireRole('staff', 'admin'));
accountsRouter.use('/v1/auth/password', requireRole('staff', 'admin'));

accountsRouter
  .openapi(r.loginRoute, async (c) => {
    const { brandId: requested, login, password } = c.req.valid('json');
    const brandId = requested ?? c.env.DEFAULT_BRAND_ID;
    // Per account as well as per IP: guessing one person's password from many addresses is stopped too.
    await enforceLimit(c.env, 'auth', `login:acct:${brandId}:${normalizeLogin(login)}`);
    return c.json(await signIn(c.env, { brandId, login, password }), 200);
  })
  .openapi(r.refreshRoute, async (c) => c.json(await rotateSession(c.env, c.req.valid('json').refreshToken), 200))
  .openapi(r.logoutRoute, async (c) => {
    await endSession(c.env, c.req.valid('json').refreshToken);
    return c.body(null, 204);
  })
  .openapi(r.logoutAllRoute, async (c) => {
    const p = principalOf(c);
    if (p.dev || (p.role !== 'staff' && p.role !== 'admin'))
      throw forbidden('Development tokens have no account to sign out.');
    await signOutEverywhere(c.env, p.role, p.subject);
    return c.body(null, 204);
  })
  .openapi(r.acceptInvitationRoute, async (c) => {
    const { token, password } = c.req.valid('json');
    return c.json(await acceptInvitation(c.env, token, password), 200);
  })
  .openapi(r.changePasswordRoute, async (c) => {
    const p = principalOf(c);
    await enforceLimit(c.env, 'auth', `password:${p.brandId}:${p.subject}`);
    return c.json(await changePassword(c.env, p, c.req.valid('json')), 200);
  });
