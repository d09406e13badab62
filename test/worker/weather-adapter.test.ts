import { describe, expect, it } from 'vitest';
import { classifyWeather } from '../../domain/campaigns/weather';
import { openMeteoAdapter, parseOpenMeteoDaily } from '../../worker/campaigns/weather.adapter';
import beijingCold from '../fixtures/open-meteo/beijing-cold.json';
import guangzhouHeat from '../fixtures/open-meteo/guangzhou-heat.json';
import shanghaiRain from '../fixtures/open-meteo/shanghai-rain.json';

/** A fetch that records the URLs it saw and answers with a canned body. */
function stubFetch(body: unknown, status = 200) {
  const urls: URL[] = [];
  const inits: (RequestInit | undefined)[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    urls.push(new URL(String(input)));
    inits.push(init);
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  return { fetchImpl, urls, inits };
}

describe('Open-Meteo forecast adapter', () => {
  it('asks for one local day of the five daily variables in the store’s zone', async () => {
    const stub = stubFetch(shanghaiRain);
    await openMeteoAdapter(stub.fetchImpl).today(31.2304, 121.4737, 'Asia/Shanghai');
    const url = stub.urls[0]!;
    expect(`${url.origin}${url.pathname}`).toBe('https://api.open-meteo.com/v1/forecast');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      latitude: '31.2304',
      longitude: '121.4737',
      daily: 'weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,precipitation_probability_max',
      timezone: 'Asia/Shanghai',
      forecast_days: '1',
    });
    expect(stub.inits[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('reads a rainy Shanghai day and classifies it as rain', async () => {
    const stub = stubFetch(shanghaiRain);
    const f = await openMeteoAdapter(stub.fetchImpl).today(31.2304, 121.4737, 'Asia/Shanghai');
    expect(f).toEqual({
      date: '2026-06-18',
      precipitationMm: 18.7,
      precipitationProbability: 93,
      tempMaxC: 26.4,
      tempMinC: 22.1,
      weatherCode: 63,
    });
    expect(classifyWeather(f)).toBe('rain');
  });

  it('a clear January day in Beijing is cold and a July day in Guangzhou is hot', async () => {
    const cold = await openMeteoAdapter(stubFetch(beijingCold).fetchImpl).today(39.9042, 116.4074, 'Asia/Shanghai');
    const hot = await openMeteoAdapter(stubFetch(guangzhouHeat).fetchImpl).today(23.1291, 113.2644, 'Asia/Shanghai');
    expect(classifyWeather(cold)).toBe('cold');
    expect(classifyWeather(hot)).toBe('heat');
  });

  it('uses another base URL when given one', async () => {
    const stub = stubFetch(beijingCold);
    await openMeteoAdapter(stub.fetchImpl, 'https://customer-api.open-meteo.com').today(39.9, 116.4, 'Asia/Shanghai');
    expect(stub.urls[0]!.host).toBe('customer-api.open-meteo.com');
  });

  it('surfaces the reason of an HTTP 400 `error: true` answer', async () => {
    const stub = stubFetch({ error: true, reason: 'Invalid timezone' }, 400);
    await expect(openMeteoAdapter(stub.fetchImpl).today(31.2, 121.5, 'Mars/Olympus')).rejects.toThrow(
      'Open-Meteo refused the request: Invalid timezone',
    );
  });

  it('reports a 5xx, a non-JSON body and an unreachable API clearly', async () => {
    await expect(openMeteoAdapter(stubFetch('{}', 503).fetchImpl).today(1, 2, 'UTC')).rejects.toThrow('HTTP 503');
    await expect(openMeteoAdapter(stubFetch('<html>', 502).fetchImpl).today(1, 2, 'UTC')).rejects.toThrow('not JSON');
    const down = (async () => {
      throw new TypeError('Network connection lost.');
    }) as typeof fetch;
    await expect(openMeteoAdapter(down).today(1, 2, 'UTC')).rejects.toThrow('Open-Meteo unreachable');
  });

  it('gives up after five seconds without an answer', async () => {
    const slow = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      expect(init?.signal).toBeInstanceOf(AbortSignal);
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    }) as typeof fetch;
    await expect(openMeteoAdapter(slow).today(1, 2, 'UTC')).rejects.toThrow('no answer within 5000 ms');
  });
});

describe('parseOpenMeteoDaily', () => {
  const withDaily = (patch: Record<string, unknown>) => ({
    ...shanghaiRain,
    daily: { ...shanghaiRain.daily, ...patch },
  });

  it('refuses anything that is not a forecast object', () => {
    expect(() => parseOpenMeteoDaily(null)).toThrow('not a JSON object');
    expect(() => parseOpenMeteoDaily([])).toThrow('not a JSON object');
    expect(() => parseOpenMeteoDaily({ latitude: 31 })).toThrow('no daily block');
  });

  it('names a missing, empty or non-numeric column', () => {
    expect(() => parseOpenMeteoDaily(withDaily({ temperature_2m_max: undefined }))).toThrow(
      'daily.temperature_2m_max is missing',
    );
    expect(() => parseOpenMeteoDaily(withDaily({ weather_code: [] }))).toThrow('daily.weather_code is missing');
    expect(() => parseOpenMeteoDaily(withDaily({ precipitation_sum: ['lots'] }))).toThrow('not a number');
    expect(() => parseOpenMeteoDaily(withDaily({ temperature_2m_min: [null] }))).toThrow('is null');
    expect(() => parseOpenMeteoDaily(withDaily({ time: ['18/06/2026'] }))).toThrow('YYYY-MM-DD');
  });

  it('counts a null chance of precipitation as none, leaving the total and code to decide', () => {
    expect(parseOpenMeteoDaily(withDaily({ precipitation_probability_max: [null] })).precipitationProbability).toBe(0);
  });

  it('refuses Fahrenheit or inches rather than misreading them', () => {
    const fahrenheit = { ...shanghaiRain, daily_units: { ...shanghaiRain.daily_units, temperature_2m_max: '°F' } };
    expect(() => parseOpenMeteoDaily(fahrenheit)).toThrow('expected °C');
    const inches = { ...shanghaiRain, daily_units: { ...shanghaiRain.daily_units, precipitation_sum: 'inch' } };
    expect(() => parseOpenMeteoDaily(inches)).toThrow('expected mm');
  });
});
