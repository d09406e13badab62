import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../../worker/env';

/**
 * One per store: serializes everything that must not race (orders, stock, tickets,
 * kitchen sockets, printer jobs, outbox). The ordering issue fills it in.
 */
export class StoreDO extends DurableObject<Env> {}
