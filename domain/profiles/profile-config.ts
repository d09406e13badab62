/*
 * The knobs of a member profile, pure configuration: spending bands, what makes a meal
 * scene, which menu tags read as fried or light. One object so a test (or a brand, later)
 * can pass its own.
 */

export const spendingLevels = ['low', 'mid', 'high'] as const;
export type SpendingLevel = (typeof spendingLevels)[number];

export const mealScenes = ['breakfast', 'weekday_lunch', 'afternoon_tea', 'weekend_family', 'late_night'] as const;
export type MealScene = (typeof mealScenes)[number];

export const healthLeanings = ['fried', 'light', 'balanced'] as const;
export type HealthLeaning = (typeof healthLeanings)[number];

export interface ProfileConfig {
  /** Average ticket (cents) from which the level is `mid`, and from which it is `high`. */
  spending: { midFromCents: number; highFromCents: number };
  /** A weekend (or Friday) dinner counts as a family meal from this ticket (cents) or this many portions. */
  family: { ticketCents: number; portions: number };
  /** Local hours, `[from, to)`; late night runs past midnight. */
  hours: {
    breakfast: [number, number];
    lunch: [number, number];
    afternoonTea: [number, number];
    dinner: [number, number];
    lateNight: [number, number];
  };
  /** A scene is one of the member's scenes (what targeting matches) from this share of orders. */
  sceneShare: number;
  /** Menu tags (lower case, as stored on items) that mark a dish fried, or light. */
  friedTags: readonly string[];
  lightTags: readonly string[];
  /** The leaning needs this share of portions on its side, and more than the other side. */
  leaningShare: number;
  /** Free delivery "deters" a fee when at least this many delivery orders exist and this share of them had no fee. */
  delivery: { minOrders: number; freeShare: number };
  top: { dishes: number; categories: number; tags: number };
  /** Orders read per member, newest first: the profile describes the guest of late. */
  maxOrders: number;
}

export const defaultProfileConfig: ProfileConfig = {
  spending: { midFromCents: 3_000, highFromCents: 8_000 },
  family: { ticketCents: 15_000, portions: 4 },
  hours: { breakfast: [6, 10], lunch: [11, 14], afternoonTea: [14, 17], dinner: [17, 21], lateNight: [21, 4] },
  sceneShare: 0.25,
  friedTags: ['fried', 'deep fried', 'deep-fried', '油炸', '炸'],
  lightTags: ['light', 'salad', 'steamed', 'low fat', 'low-fat', 'healthy', 'vegan', '轻食', '清淡'],
  leaningShare: 0.3,
  delivery: { minOrders: 3, freeShare: 0.8 },
  top: { dishes: 5, categories: 3, tags: 8 },
  maxOrders: 200,
};
