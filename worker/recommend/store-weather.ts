import { classifyWeather, type WeatherKind } from '../../domain/campaigns/weather';
import { log } from '../../domain/log';
import { localDay } from '../../domain/zoned-time';
import type { WeatherAdapter } from '../campaigns/weather.adapter';
import { weatherAdapter } from '../campaigns/weather.registry';

/** A guest waits for no forecast: past this the list comes without the weather. */
const WAIT_MS = 1500;
/** A store's forecast is asked at most this often per isolate; a failure is remembered as long. */
const TTL_MS = 30 * 60_000;

/* Per adapter (a test's fake is a fresh cache), per store and local day. */
const memory = new WeakMap<WeatherAdapter, Map<string, { at: number; kind: WeatherKind | null }>>();

/** Today's weather kind at the store (rain, cold, heat or null), or null when the forecast is late or failed. */
export async function storeWeather(
  store: { id: string; lat: number; lng: number; timeZone: string },
  now: number,
): Promise<WeatherKind | null> {
  const adapter = weatherAdapter();
  let cache = memory.get(adapter);
  if (!cache) {
    cache = new Map();
    memory.set(adapter, cache);
  }
  const key = `${store.id}|${localDay(now, store.timeZone)}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.kind;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), WAIT_MS);
  });
  const kind = await Promise.race([
    adapter.today(store.lat, store.lng, store.timeZone).then((f) => classifyWeather(f)),
    late,
  ])
    .catch((error) => {
      log.warn('recommend.weather_failed', { storeId: store.id, error });
      return null;
    })
    .finally(() => clearTimeout(timer));
  cache.set(key, { at: now, kind });
  return kind;
}
