import { createMiddleware } from 'hono/factory';
import { StepTimes } from '../../domain/step-times';
import { setAnswerHeader } from './answer-headers';
import type { AppEnv } from './app-env';

/**
 * Every answer carries a `Server-Timing` header: the steps a route timed (`c.get('steps')`)
 * and the whole request as `total`. Browser devtools show it, and the placement benchmark
 * reads it to say where an order's time goes. Durations only: no names, ids or data.
 */
export const serverTiming = createMiddleware<AppEnv>(async (c, next) => {
  const steps = new StepTimes(() => performance.now());
  const start = performance.now();
  c.set('steps', steps);
  await next();
  setAnswerHeader(c, 'Server-Timing', steps.header({ total: performance.now() - start }));
});
