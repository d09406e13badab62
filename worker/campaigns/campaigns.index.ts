import { createRouter } from '../http/router';

/** Member-facing campaign routes: daily drops, partner codes, location. */
export const campaignsRouter = createRouter();
