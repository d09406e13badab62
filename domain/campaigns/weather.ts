/*
 * Which weather a day's forecast calls for, so a campaign can say "rainy day, we deliver"
 * or "hot today, iced drinks". Pure: the forecast comes from an adapter.
 */

/** One day's forecast for a store's location, in metric units. */
export interface DailyForecast {
  /** The store-local calendar date, `YYYY-MM-DD`. */
  date: string;
  precipitationMm: number;
  /** Highest hourly chance of precipitation that day, 0–100. */
  precipitationProbability: number;
  tempMaxC: number;
  tempMinC: number;
  /** WMO weather interpretation code (WW) for the day's most severe weather. */
  weatherCode: number;
}

export type WeatherKind = 'rain' | 'cold' | 'heat';

export interface WeatherRules {
  /** Rain when the day's total reaches this many millimetres. */
  rainMm: number;
  /** Rain when the chance of precipitation reaches this percentage. */
  rainProbability: number;
  /** Cold when the day's maximum stays at or below this. */
  coldMaxC: number;
  /** Heat when the day's maximum reaches this. */
  heatMaxC: number;
}

export const defaultWeatherRules: WeatherRules = {
  rainMm: 1,
  rainProbability: 60,
  coldMaxC: 8,
  heatMaxC: 32,
};

/**
 * Drizzle and rain (51–67, freezing kinds included), rain showers (80–82) and
 * thunderstorms (95–99). Snow (71–77, 85–86) is left out: a snowy day is cold anyway.
 */
function isRainCode(code: number): boolean {
  return (code >= 51 && code <= 67) || (code >= 80 && code <= 82) || (code >= 95 && code <= 99);
}

/**
 * The weather a campaign should react to on this day, or null for an ordinary day.
 *
 * Rain wins over cold and heat: a wet day sends people to delivery whatever the
 * temperature, and one message per day is all a member should get. Cold and heat
 * cannot both hold while `coldMaxC` < `heatMaxC`.
 */
export function classifyWeather(f: DailyForecast, rules: WeatherRules = defaultWeatherRules): WeatherKind | null {
  if (f.precipitationMm >= rules.rainMm || f.precipitationProbability >= rules.rainProbability) return 'rain';
  if (isRainCode(f.weatherCode)) return 'rain';
  if (f.tempMaxC <= rules.coldMaxC) return 'cold';
  if (f.tempMaxC >= rules.heatMaxC) return 'heat';
  return null;
}
