import { describe, expect, it } from 'vitest';
import { classifyWeather, type DailyForecast, defaultWeatherRules } from '../../domain/campaigns/weather';

const mild: DailyForecast = {
  date: '2026-04-10',
  precipitationMm: 0,
  precipitationProbability: 10,
  tempMaxC: 21,
  tempMinC: 14,
  weatherCode: 2,
};
const day = (patch: Partial<DailyForecast>): DailyForecast => ({ ...mild, ...patch });

describe('which weather a campaign reacts to', () => {
  it('an ordinary spring day calls for nothing', () => {
    expect(classifyWeather(mild)).toBeNull();
  });

  it('a millimetre of rain, a 60% chance, or a rain code each make it a rainy day', () => {
    expect(classifyWeather(day({ precipitationMm: 1 }))).toBe('rain');
    expect(classifyWeather(day({ precipitationMm: 0.9 }))).toBeNull();
    expect(classifyWeather(day({ precipitationProbability: 60 }))).toBe('rain');
    expect(classifyWeather(day({ precipitationProbability: 59 }))).toBeNull();
    for (const code of [51, 61, 67, 80, 82, 95, 99]) expect(classifyWeather(day({ weatherCode: code }))).toBe('rain');
  });

  it('fog and snow codes are not rain', () => {
    for (const code of [45, 48, 71, 75, 85, 86]) expect(classifyWeather(day({ weatherCode: code }))).toBeNull();
  });

  it('a day topping out at 8 °C is cold, at 32 °C hot', () => {
    expect(classifyWeather(day({ tempMaxC: 8, tempMinC: 1 }))).toBe('cold');
    expect(classifyWeather(day({ tempMaxC: 8.1 }))).toBeNull();
    expect(classifyWeather(day({ tempMaxC: 32 }))).toBe('heat');
    expect(classifyWeather(day({ tempMaxC: 31.9 }))).toBeNull();
  });

  it('rain wins over cold and over heat', () => {
    expect(classifyWeather(day({ tempMaxC: 4, weatherCode: 61 }))).toBe('rain');
    expect(classifyWeather(day({ tempMaxC: 35, weatherCode: 95, precipitationMm: 12 }))).toBe('rain');
  });

  it('a brand can set its own thresholds', () => {
    const southern = { ...defaultWeatherRules, coldMaxC: 14, heatMaxC: 35 };
    expect(classifyWeather(day({ tempMaxC: 13 }), southern)).toBe('cold');
    expect(classifyWeather(day({ tempMaxC: 33 }), southern)).toBeNull();
  });
});
