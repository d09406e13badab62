import { openMeteoAdapter, type WeatherAdapter } from './weather.adapter';

let override: WeatherAdapter | undefined;
const live = openMeteoAdapter();

/** Tests answer with recorded forecasts; `undefined` restores Open-Meteo. */
export function overrideWeatherAdapter(adapter: WeatherAdapter | undefined) {
  override = adapter;
}

export function weatherAdapter(): WeatherAdapter {
  return override ?? live;
}
