import { handleEventsBatch } from '../queues/events.consumer';
import { app } from './app';
import type { Env } from './env';

export { StoreDO } from '../durable-objects/store/store.do';

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    if (batch.queue === 'tiffin-events') return handleEventsBatch(batch, env);
    throw new Error(`no consumer for queue ${batch.queue}`);
  },
} satisfies ExportedHandler<Env>;
