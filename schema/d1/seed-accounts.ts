/*
 * The demo brand's people, for local development and tests: a manager, a clerk and an owner
 * (admin) who can sign in with DEMO_PASSWORD. Import-free like seed.ts (loaded by workerd and
 * by plain Node). Real accounts are created by invitation; this seed never runs in production.
 */

export const DEMO_MANAGER_ID = 'stf_demo_manager';
export const DEMO_CLERK_ID = 'stf_demo_clerk';
export const DEMO_ADMIN_ID = 'adm_demo_owner';
/** Local development only: the password of `manager@demo`, `clerk@demo` and `owner@demo`. */
export const DEMO_PASSWORD = 'tiffin-demo-2026';
/** DEMO_PASSWORD as worker/accounts/passwords.ts stores it (PBKDF2-SHA256, 100,000 iterations). */
const DEMO_PASSWORD_HASH = 'pbkdf2-sha256$100000$FHuC/XXm8771wkVd7sFesA==$jz55kai1WP17cS16hupJ4OMYkQvEXpHsZR/DLT2+7zQ=';

export interface StaffRow {
  id: string;
  brand_id: string;
  name: string;
  phone: string;
  role: 'clerk' | 'manager';
  store_ids: string;
  active: number;
  login: string;
  password_hash: string;
  created_at: number;
  updated_at: number;
}

export interface AdminRow {
  id: string;
  brand_id: string;
  name: string;
  login: string;
  password_hash: string;
  active: number;
  created_at: number;
  updated_at: number;
}

/** The demo staff and admin rows (SQL column names as keys). */
export function demoAccounts(o: { brandId: string; managerStores: string[]; clerkStores: string[]; at: number }) {
  const common = {
    brand_id: o.brandId,
    active: 1,
    password_hash: DEMO_PASSWORD_HASH,
    created_at: o.at,
    updated_at: o.at,
  };
  const staff: StaffRow[] = [
    {
      ...common,
      id: DEMO_MANAGER_ID,
      name: '王经理',
      phone: '13800000001',
      role: 'manager',
      store_ids: JSON.stringify(o.managerStores),
      login: 'manager@demo',
    },
    {
      ...common,
      id: DEMO_CLERK_ID,
      name: '李店员',
      phone: '13800000002',
      role: 'clerk',
      store_ids: JSON.stringify(o.clerkStores),
      login: 'clerk@demo',
    },
  ];
  const admins: AdminRow[] = [{ ...common, id: DEMO_ADMIN_ID, name: 'Demo owner', login: 'owner@demo' }];
  return { staff, admins };
}
