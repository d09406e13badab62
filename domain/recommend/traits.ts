/*
 * What a dish is, for recommending it: a drink (hot or iced), milk tea, a dessert, a snack,
 * fried or light, a breakfast or late-night dish. A merchant's own tags decide first
 * ('hot-drink', 'iced', 'milk-tea', 'dessert', 'fried', 'light', 'snack'); without them the
 * category's and the dish's names decide, so the demo menu (and a menu nobody tagged) works.
 */

export type Trait =
  | 'drink'
  | 'hot_drink'
  | 'iced_drink'
  | 'milk_tea'
  | 'dessert'
  | 'snack'
  | 'fried'
  | 'light'
  | 'breakfast'
  | 'late_night';

export interface TraitInput {
  name: string;
  /** The category's name ("饮品 Drinks"). */
  category: string;
  tags: readonly string[];
  calories: number | null;
}

/** A main at or under this many kilocalories, not fried, counts as light. */
const LIGHT_KCAL = 450;

export function itemTraits(item: TraitInput): Set<Trait> {
  const tags = new Set(item.tags.map((t) => t.toLowerCase()));
  const out = new Set<Trait>();
  const drink = tags.has('drink') || tags.has('hot-drink') || /饮|drink|咖啡|coffee/i.test(item.category);
  const iced = tags.has('iced') || tags.has('cold') || /冰|iced/i.test(item.name);
  if (drink) {
    out.add('drink');
    out.add(tags.has('hot-drink') || !iced ? 'hot_drink' : 'iced_drink');
  }
  if (tags.has('milk-tea') || /奶茶|奶绿|milk tea/i.test(item.name)) out.add('milk_tea');
  const dessert =
    tags.has('dessert') || /甜品|dessert/i.test(item.category) || /甘露|布丁|双皮奶|蛋糕|冰淇淋/.test(item.name);
  if (dessert) out.add('dessert');
  const snack = tags.has('snack') || /小吃|snack/i.test(item.category);
  if (snack) out.add('snack');
  // 炸酱 is a sauce, not frying.
  const fried = tags.has('fried') || /炸(?!酱)|煎|酥/.test(item.name);
  if (fried) out.add('fried');
  // A tea egg is low in calories but no meal.
  const lightByKcal = item.calories !== null && item.calories <= LIGHT_KCAL && !drink && !dessert && !snack;
  if (!fried && (tags.has('light') || tags.has('salad') || tags.has('vegetarian') || lightByKcal)) out.add('light');
  if (tags.has('breakfast')) out.add('breakfast');
  if (tags.has('late-night')) out.add('late_night');
  return out;
}

/** The guest's own taste tags (members.tags, learned from orders) that name a trait. */
export function tagTraits(memberTags: readonly string[]): Set<Trait> {
  const out = new Set<Trait>();
  for (const t of memberTags.map((x) => x.toLowerCase())) {
    if (/milk.?tea|奶茶/.test(t)) out.add('milk_tea');
    if (/fried|炸/.test(t)) out.add('fried');
  }
  return out;
}
