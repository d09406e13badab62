// Every page of the guest app: a path pattern and the module holding its view (its default
// export is a component taking `{ params, query }`). Add a page by adding a line here.
export const routes = [
  { path: '/', load: () => import('./views/stores.js') },
  { path: '/s/:storeId', load: () => import('./views/menu.js') },
  { path: '/s/:storeId/checkout', load: () => import('./views/checkout.js') },
  { path: '/orders/:orderId', load: () => import('./views/order.js') },
  // The short link a printed receipt's QR code carries.
  { path: '/o/:orderId', load: () => import('./views/order.js') },
  { path: '/t/:qrToken', load: () => import('./views/table.js') },
  { path: '/sign-in', load: () => import('./views/sign-in.js') },
  { path: '/me', load: () => import('./views/me.js') },
  { path: '/me/orders', load: () => import('./views/my-orders.js') },
  { path: '/me/coupons', load: () => import('./views/my-coupons.js') },
  { path: '/r/:code', load: () => import('./views/referral.js') },
  { path: '/w/:wheelId', load: () => import('./views/wheel.js') },
  { path: '/g/:campaignId/:groupId', load: () => import('./views/group-buy.js') },
  { path: '/b/:campaignId/:bargainId', load: () => import('./views/bargain.js') },
];
