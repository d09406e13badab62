/** The Cron Triggers in wrangler.toml. 19:00 UTC is 03:00 in China, a restaurant's quietest hour. */
export const FREQUENT = '*/5 * * * *';
export const HOURLY = '0 * * * *';
export const NIGHTLY = '0 19 * * *';
