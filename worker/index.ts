import { app } from './app';
import type { Env } from './env';

export { StoreDO } from '../durable-objects/store/store.do';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
