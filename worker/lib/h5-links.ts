import type { Env } from '../env';

/**
 * The origin of the guest's H5 app: `H5_BASE_URL` when the app is served elsewhere, else this
 * worker's own origin (`PUBLIC_BASE_URL`), which serves the app at `/`.
 */
export function h5Origin(env: Pick<Env, 'H5_BASE_URL' | 'PUBLIC_BASE_URL'>): string {
  return (env.H5_BASE_URL || env.PUBLIC_BASE_URL).replace(/\/+$/, '');
}

/** A link into the H5 app: `h5Url(env, '/r/ABC123')`. */
export const h5Url = (env: Pick<Env, 'H5_BASE_URL' | 'PUBLIC_BASE_URL'>, path: string) => `${h5Origin(env)}${path}`;
