/** An ISO 8601 date-time in UTC written with `Z`, the form answers must not use. */
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/** The dotted paths (with their values) of every `Z`-suffixed time in a JSON value. */
export function utcTimesIn(value: unknown, at = '$'): string[] {
  if (typeof value === 'string') return UTC_TIME.test(value) ? [`${at} = ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => utcTimesIn(v, `${at}.${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => utcTimesIn(v, `${at}.${k}`));
  }
  return [];
}
