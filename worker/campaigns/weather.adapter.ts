import type { DailyForecast } from '../../domain/campaigns/weather';

/** Today's forecast at a location, dated in the given IANA zone. */
export interface WeatherAdapter {
  today(lat: number, lng: number, timeZone: string): Promise<DailyForecast>;
}

const DAILY_VARIABLES = [
  'weather_code',
  'temperature_2m_max',
  'temperature_2m_min',
  'precipitation_sum',
  'precipitation_probability_max',
] as const;

const TIMEOUT_MS = 5000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstNumber(daily: Record<string, unknown>, key: string): number | null {
  const column = daily[key];
  if (!Array.isArray(column) || column.length === 0) throw new Error(`Open-Meteo: daily.${key} is missing`);
  const v: unknown = column[0];
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`Open-Meteo: daily.${key}[0] is not a number`);
  return v;
}

function required(daily: Record<string, unknown>, key: string): number {
  const v = firstNumber(daily, key);
  if (v === null) throw new Error(`Open-Meteo: daily.${key}[0] is null`);
  return v;
}

/**
 * Reads the first day of an Open-Meteo `/v1/forecast` answer requested with the daily
 * variables above. Throws an Error naming the problem on an `error: true` answer, a
 * missing or non-numeric column, or units other than °C and mm.
 */
export function parseOpenMeteoDaily(json: unknown): DailyForecast {
  if (!isRecord(json)) throw new Error('Open-Meteo: the answer is not a JSON object');
  if (json.error === true) {
    const reason = typeof json.reason === 'string' ? json.reason : 'no reason given';
    throw new Error(`Open-Meteo refused the request: ${reason}`);
  }
  const daily = json.daily;
  if (!isRecord(daily)) throw new Error('Open-Meteo: the answer has no daily block');
  const units = json.daily_units;
  if (isRecord(units)) {
    // We never ask for other units; a mismatch means the request or the API changed.
    for (const key of ['temperature_2m_max', 'temperature_2m_min'] as const) {
      if (units[key] !== undefined && units[key] !== '°C') {
        throw new Error(`Open-Meteo: ${key} is in ${String(units[key])}, expected °C`);
      }
    }
    if (units.precipitation_sum !== undefined && units.precipitation_sum !== 'mm') {
      throw new Error(`Open-Meteo: precipitation_sum is in ${String(units.precipitation_sum)}, expected mm`);
    }
  }
  const time = daily.time;
  const date: unknown = Array.isArray(time) ? time[0] : undefined;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new Error('Open-Meteo: daily.time[0] is not a YYYY-MM-DD date');
  }
  return {
    date,
    precipitationMm: required(daily, 'precipitation_sum'),
    // Some models publish no probability for some regions or lead times (null): the
    // rain total and weather code still decide, so a missing chance counts as none.
    precipitationProbability: firstNumber(daily, 'precipitation_probability_max') ?? 0,
    tempMaxC: required(daily, 'temperature_2m_max'),
    tempMinC: required(daily, 'temperature_2m_min'),
    weatherCode: required(daily, 'weather_code'),
  };
}

/**
 * Open-Meteo's free forecast API (no key). `timezone` makes the daily aggregates run
 * from local midnight to midnight, so "today" is the store's day, not UTC's.
 */
export function openMeteoAdapter(
  fetchImpl: typeof fetch = fetch,
  baseUrl = 'https://api.open-meteo.com',
): WeatherAdapter {
  return {
    async today(lat, lng, timeZone) {
      const query = new URLSearchParams({
        latitude: String(lat),
        longitude: String(lng),
        daily: DAILY_VARIABLES.join(','),
        timezone: timeZone,
        forecast_days: '1',
      });
      const url = `${baseUrl}/v1/forecast?${query}`;
      let res: Response;
      try {
        res = await fetchImpl(url, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (e) {
        const why = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS} ms` : String(e);
        throw new Error(`Open-Meteo unreachable: ${why}`, { cause: e });
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(`Open-Meteo answered HTTP ${res.status} with a body that is not JSON`);
      }
      // A bad parameter comes back as HTTP 400 with `{ error: true, reason }`: let the parser say why.
      if (!res.ok && !(isRecord(json) && json.error === true)) {
        throw new Error(`Open-Meteo answered HTTP ${res.status}`);
      }
      return parseOpenMeteoDaily(json);
    },
  };
}
