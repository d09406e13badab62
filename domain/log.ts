/**
 * One structured logger for every room: each call writes one JSON line
 * `{ level, msg, requestId?, ...fields }` to the console, which Workers Logs index.
 *
 * It sits in `domain/` beside the pure rules because the worker, the StoreDO and the
 * queue consumers all log and none may import another's internals; it touches no
 * binding and no clock (the runtime stamps each line), so domain code stays testable.
 * Error values in fields are written as their string (`Error: …`), since
 * `JSON.stringify` would turn them into `{}`.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export type LogFields = { requestId?: string } & Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` (typically the request id) to every line. */
  with(fields: LogFields): Logger;
}

/** The JSON line for one entry. */
export function logLine(level: LogLevel, msg: string, fields: LogFields = {}): string {
  const out: Record<string, unknown> = { level, msg };
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? String(v) : v;
  return JSON.stringify(out);
}

/** A logger whose every line carries `base`. */
export function logger(base: LogFields = {}): Logger {
  const at = (fields?: LogFields) => (fields ? { ...base, ...fields } : base);
  return {
    info: (msg, fields) => console.log(logLine('info', msg, at(fields))),
    warn: (msg, fields) => console.warn(logLine('warn', msg, at(fields))),
    error: (msg, fields) => console.error(logLine('error', msg, at(fields))),
    with: (fields) => logger(at(fields)),
  };
}

/** The logger for code that knows no request (crons, queues, alarms). */
export const log = logger();
