import { createRouter } from '../http/router';

/** Group buys and bargain ladders (member routes). */
export const groupsRouter = createRouter();
