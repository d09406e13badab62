import { accountsAdminRouter } from '../accounts/accounts-admin.index';
import { campaignsAdminRouter } from '../campaigns/campaigns-admin.index';
import { channelsAdminRouter } from '../channels/channels.index';
import { carrierAccountsAdminRouter } from '../delivery/carrier-accounts.index';
import { gamesAdminRouter } from '../games/games-admin.index';
import { requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import { loyaltyAdminRouter } from '../loyalty/loyalty-admin.index';
import { catalogRouter } from '../menu/catalog.index';
import { partnerKeysAdminRouter } from '../partners/partner-keys.index';
import { promotionsAdminRouter } from '../promotions/promotions.index';
import { storesAdminRouter } from '../stores/stores-admin.index';
import { webhooksAdminRouter } from '../webhooks/webhooks.index';

/** Everything under /v1/admin: brand admins only, scoped to the token's brand. */
export const adminRouter = createRouter();
adminRouter.use('/v1/admin/*', requireRole('admin'));
adminRouter.route('/', catalogRouter);
adminRouter.route('/', storesAdminRouter);
adminRouter.route('/', loyaltyAdminRouter);
adminRouter.route('/', campaignsAdminRouter);
adminRouter.route('/', accountsAdminRouter);
adminRouter.route('/', promotionsAdminRouter);
adminRouter.route('/', partnerKeysAdminRouter);
adminRouter.route('/', webhooksAdminRouter);
adminRouter.route('/', channelsAdminRouter);
adminRouter.route('/', carrierAccountsAdminRouter);
adminRouter.route('/', gamesAdminRouter);
