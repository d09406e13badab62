/*
 * The demo menu: categories, dishes, specs and option groups. Split out of seed.ts (which adds
 * brand ids and timestamps and renders the statements). Like seed.ts it has no runtime imports,
 * so plain Node with type stripping and workerd via Vite can both load it.
 */

/** Only available 06:00–10:30 every day. */
export const BREAKFAST_ITEM_ID = 'itm_soymilk_youtiao';
/** Available 21:00–02:00 (crosses midnight). */
export const LATE_NIGHT_ITEM_ID = 'itm_latenight_skewers';
/** Manually sold out at the first store (People's Square). */
export const SOLD_OUT_ITEM_ID = 'itm_xiaolongbao';
/** Drink with Large / Medium cup specs, sugar, ice and topping options. */
export const MULTI_SPEC_ITEM_ID = 'itm_milktea';
/** Taken off the shelf at the first store only. */
export const OFF_SHELF_ITEM_ID = 'itm_cucumber';
/** Costs more at the second store (Jing'an) via store_items.price. */
export const PRICE_OVERRIDE_ITEM_ID = 'itm_dandan';
/** Noodle with 大碗 / 小碗 bowl specs, spice level and add-ons. */
export const BOWL_SPEC_ITEM_ID = 'itm_beefnoodle';

/** Same shape as `WeeklySlot` in domain/schedule.ts (kept local so this file imports nothing). */
export interface Slot {
  days: number[];
  start: string;
  end: string;
}

export interface ItemSpecRow {
  id: string;
  item_id: string;
  name: string;
  price: number;
  sort: number;
}
export interface OptionGroupRow {
  id: string;
  item_id: string;
  name: string;
  min: number;
  max: number;
  sort: number;
}
export interface OptionRow {
  id: string;
  group_id: string;
  name: string;
  price_delta: number;
  sort: number;
}

/** [id, name] in display order. */
export const MENU_CATEGORIES: [string, string][] = [
  ['cat_hot', '热销 Hot'],
  ['cat_new', '新品 New'],
  ['cat_noodles', '面食 Noodles'],
  ['cat_rice', '饭类 Rice'],
  ['cat_combos', '套餐 Combos'],
  ['cat_snacks', '小吃 Snacks'],
  ['cat_drinks', '饮品 Drinks'],
  ['cat_breakfast', '早餐 Breakfast'],
];

const WEEKDAYS = [1, 2, 3, 4, 5];
const BREAKFAST: Slot[] = [{ days: [], start: '06:00', end: '10:30' }];
const LATE_NIGHT: Slot[] = [{ days: [], start: '21:00', end: '02:00' }];
const WEEKDAY_LUNCH: Slot[] = [{ days: WEEKDAYS, start: '11:00', end: '14:00' }];

/** A dish as written below; seed.ts turns it into an `items` row (brand, image, sort, timestamps). */
export interface Dish {
  id: string;
  category_id: string;
  name: string;
  description: string;
  /** Cents (fen). */
  price: number;
  calories: number;
  ingredients: string[];
  allergens: string[];
  tags?: string[];
  availability?: Slot[];
  max_per_order?: number;
  prep_seconds: number;
}

// biome-ignore format: one dish per line is easier to scan
export const MENU_DISHES: Dish[] = [
  // 热销 Hot
  { id: 'itm_beefnoodle', category_id: 'cat_hot', name: '红烧牛肉面', description: 'Braised beef noodle soup, slow-cooked shank in a rich soy broth', price: 2800, calories: 680, ingredients: ['牛腱 beef shank', '拉面 wheat noodles', '青菜 bok choy', '葱 scallion'], allergens: ['gluten', 'soy'], tags: ['signature', 'spicy-optional'], prep_seconds: 480 },
  { id: 'itm_dandan', category_id: 'cat_hot', name: '担担面', description: 'Dan dan noodles with minced pork, chilli oil and sesame paste', price: 2200, calories: 590, ingredients: ['猪肉末 minced pork', '面条 wheat noodles', '芝麻酱 sesame paste', '辣油 chilli oil'], allergens: ['gluten', 'sesame', 'peanut', 'soy'], tags: ['signature', 'spicy'], prep_seconds: 360 },
  { id: 'itm_xiaolongbao', category_id: 'cat_hot', name: '鲜肉小笼包', description: "Steamed pork soup dumplings, 8 pieces, the chef's favourite", price: 1800, calories: 420, ingredients: ['猪肉 pork', '面粉 wheat flour', '姜 ginger'], allergens: ['gluten', 'soy'], tags: ['signature'], prep_seconds: 600 },
  { id: 'itm_scallionnoodle', category_id: 'cat_hot', name: '葱油拌面', description: 'Shanghai scallion oil tossed noodles', price: 1600, calories: 520, ingredients: ['面条 wheat noodles', '葱油 scallion oil', '酱油 soy sauce'], allergens: ['gluten', 'soy'], prep_seconds: 240 },
  // 新品 New
  { id: 'itm_tomatobeef', category_id: 'cat_new', name: '番茄肥牛面', description: 'Tomato broth noodles with thin-sliced fatty beef', price: 3200, calories: 640, ingredients: ['肥牛 sliced beef', '番茄 tomato', '面条 wheat noodles', '金针菇 enoki'], allergens: ['gluten'], tags: ['new'], prep_seconds: 420 },
  { id: 'itm_suanlafen', category_id: 'cat_new', name: '酸辣粉', description: 'Hot and sour sweet-potato glass noodles', price: 1800, calories: 450, ingredients: ['红薯粉 sweet potato noodles', '花生 peanuts', '醋 vinegar', '辣油 chilli oil'], allergens: ['peanut', 'soy'], tags: ['new', 'spicy', 'vegetarian'], prep_seconds: 300 },
  { id: 'itm_cheeseniangao', category_id: 'cat_new', name: '芝士炒年糕', description: 'Stir-fried rice cakes with melted cheese', price: 2200, calories: 610, ingredients: ['年糕 rice cake', '芝士 cheese', '洋葱 onion'], allergens: ['milk', 'soy'], tags: ['new'], prep_seconds: 420 },
  { id: 'itm_mangopomelo', category_id: 'cat_new', name: '杨枝甘露', description: 'Mango pomelo sago with coconut milk', price: 1800, calories: 330, ingredients: ['芒果 mango', '西柚 pomelo', '西米 sago', '椰奶 coconut milk'], allergens: ['milk'], tags: ['new', 'cold'], prep_seconds: 180 },
  // 面食 Noodles
  { id: 'itm_zhajiang', category_id: 'cat_noodles', name: '老北京炸酱面', description: 'Beijing noodles with fried soybean-paste pork sauce', price: 2400, calories: 620, ingredients: ['面条 wheat noodles', '黄酱 soybean paste', '猪肉 pork', '黄瓜 cucumber'], allergens: ['gluten', 'soy'], prep_seconds: 360 },
  { id: 'itm_wontonnoodle', category_id: 'cat_noodles', name: '鲜虾云吞面', description: 'Shrimp wonton noodle soup', price: 2600, calories: 510, ingredients: ['虾 shrimp', '猪肉 pork', '蛋面 egg noodles'], allergens: ['gluten', 'shellfish', 'egg'], prep_seconds: 420 },
  { id: 'itm_lanzhou', category_id: 'cat_noodles', name: '兰州牛肉拉面', description: 'Lanzhou hand-pulled beef noodles in clear broth', price: 2200, calories: 560, ingredients: ['牛肉 beef', '拉面 hand-pulled noodles', '萝卜 radish', '香菜 coriander'], allergens: ['gluten'], prep_seconds: 420 },
  { id: 'itm_coldnoodle', category_id: 'cat_noodles', name: '四川凉面', description: 'Sichuan cold noodles with chilli and vinegar', price: 1500, calories: 430, ingredients: ['面条 wheat noodles', '黄瓜 cucumber', '花生 peanuts'], allergens: ['gluten', 'peanut', 'sesame'], tags: ['cold', 'vegetarian'], prep_seconds: 180 },
  // 饭类 Rice
  { id: 'itm_braisedpork', category_id: 'cat_rice', name: '台式卤肉饭', description: 'Braised pork belly over rice with a marinated egg', price: 2200, calories: 720, ingredients: ['五花肉 pork belly', '米饭 rice', '卤蛋 braised egg'], allergens: ['egg', 'soy'], prep_seconds: 240 },
  { id: 'itm_currychicken', category_id: 'cat_rice', name: '咖喱鸡饭', description: 'Chicken curry with potato over rice', price: 2600, calories: 780, ingredients: ['鸡腿 chicken thigh', '土豆 potato', '咖喱 curry', '米饭 rice'], allergens: ['milk'], prep_seconds: 300 },
  { id: 'itm_friedrice', category_id: 'cat_rice', name: '扬州炒饭', description: 'Yangzhou fried rice with shrimp, ham and egg', price: 2000, calories: 690, ingredients: ['米饭 rice', '虾仁 shrimp', '火腿 ham', '鸡蛋 egg'], allergens: ['egg', 'shellfish'], prep_seconds: 300 },
  // 套餐 Combos
  { id: 'itm_combo_beef', category_id: 'cat_combos', name: '牛肉面套餐', description: 'Braised beef noodle + side dish + soy milk', price: 3800, calories: 980, ingredients: ['红烧牛肉面 beef noodle', '小菜 side dish', '豆浆 soy milk'], allergens: ['gluten', 'soy'], tags: ['signature', 'value'], max_per_order: 5, prep_seconds: 540 },
  { id: 'itm_combo_xlb', category_id: 'cat_combos', name: '小笼包双人套餐', description: 'Two baskets of soup dumplings + two noodles + two drinks, for two', price: 9800, calories: 2100, ingredients: ['小笼包 soup dumplings', '葱油拌面 scallion noodles', '酸梅汤 plum drink'], allergens: ['gluten', 'soy'], tags: ['sharing'], max_per_order: 5, prep_seconds: 720 },
  { id: 'itm_combo_lunch', category_id: 'cat_combos', name: '工作日午市套餐', description: 'Weekday lunch set: any rice bowl + soup, Mon–Fri 11:00–14:00', price: 2900, calories: 850, ingredients: ['饭 rice bowl', '例汤 soup of the day'], allergens: ['soy'], tags: ['value'], availability: WEEKDAY_LUNCH, max_per_order: 5, prep_seconds: 360 },
  // 小吃 Snacks
  { id: 'itm_potstickers', category_id: 'cat_snacks', name: '煎锅贴', description: 'Pan-fried pork potstickers, 6 pieces', price: 1600, calories: 480, ingredients: ['猪肉 pork', '面粉 wheat flour', '白菜 cabbage'], allergens: ['gluten', 'soy'], prep_seconds: 540 },
  { id: 'itm_cucumber', category_id: 'cat_snacks', name: '拍黄瓜', description: 'Smashed cucumber salad with garlic', price: 1000, calories: 90, ingredients: ['黄瓜 cucumber', '蒜 garlic', '醋 vinegar'], allergens: ['sesame'], tags: ['cold', 'vegetarian'], prep_seconds: 90 },
  { id: 'itm_springroll', category_id: 'cat_snacks', name: '炸春卷', description: 'Crispy vegetable spring rolls, 4 pieces', price: 1200, calories: 360, ingredients: ['春卷皮 wrapper', '卷心菜 cabbage', '胡萝卜 carrot'], allergens: ['gluten'], tags: ['vegetarian'], prep_seconds: 300 },
  { id: 'itm_teaegg', category_id: 'cat_snacks', name: '茶叶蛋', description: 'Tea-marinated egg', price: 300, calories: 80, ingredients: ['鸡蛋 egg', '红茶 black tea', '酱油 soy sauce'], allergens: ['egg', 'soy'], max_per_order: 5, prep_seconds: 60 },
  { id: LATE_NIGHT_ITEM_ID, category_id: 'cat_snacks', name: '深夜烤串拼盘', description: 'Late-night grilled lamb and chicken skewers, 21:00–02:00 only', price: 3600, calories: 880, ingredients: ['羊肉 lamb', '鸡肉 chicken', '孜然 cumin', '辣椒粉 chilli powder'], allergens: [], tags: ['late-night', 'spicy'], availability: LATE_NIGHT, prep_seconds: 900 },
  // 饮品 Drinks
  { id: 'itm_milktea', category_id: 'cat_drinks', name: '珍珠奶茶', description: 'Brown-sugar pearl milk tea', price: 1500, calories: 420, ingredients: ['红茶 black tea', '牛奶 milk', '珍珠 tapioca pearls', '黑糖 brown sugar'], allergens: ['milk'], tags: ['signature'], prep_seconds: 120 },
  { id: 'itm_lemontea', category_id: 'cat_drinks', name: '手打柠檬茶', description: 'Hand-pounded lemon black tea', price: 1300, calories: 160, ingredients: ['柠檬 lemon', '红茶 black tea'], allergens: [], prep_seconds: 120 },
  { id: 'itm_jasminetea', category_id: 'cat_drinks', name: '茉莉奶绿', description: 'Jasmine green milk tea', price: 1400, calories: 300, ingredients: ['茉莉绿茶 jasmine green tea', '牛奶 milk'], allergens: ['milk'], tags: ['new'], prep_seconds: 120 },
  { id: 'itm_plumjuice', category_id: 'cat_drinks', name: '老上海酸梅汤', description: 'Chilled smoked-plum drink', price: 800, calories: 110, ingredients: ['乌梅 smoked plum', '山楂 hawthorn', '冰糖 rock sugar'], allergens: [], tags: ['cold'], prep_seconds: 60 },
  // 早餐 Breakfast
  { id: BREAKFAST_ITEM_ID, category_id: 'cat_breakfast', name: '豆浆油条', description: 'Fresh soy milk with a fried dough stick, 06:00–10:30', price: 800, calories: 390, ingredients: ['豆浆 soy milk', '油条 fried dough stick'], allergens: ['soy', 'gluten'], tags: ['breakfast'], availability: BREAKFAST, prep_seconds: 60 },
  { id: 'itm_congee', category_id: 'cat_breakfast', name: '皮蛋瘦肉粥', description: 'Century egg and pork congee, 06:00–10:30', price: 1200, calories: 280, ingredients: ['大米 rice', '皮蛋 century egg', '猪肉 pork'], allergens: ['egg'], tags: ['breakfast'], availability: BREAKFAST, prep_seconds: 120 },
  { id: 'itm_shengjian', category_id: 'cat_breakfast', name: '生煎包', description: 'Pan-fried pork buns, 4 pieces, 06:00–10:30', price: 1500, calories: 460, ingredients: ['猪肉 pork', '面粉 wheat flour', '芝麻 sesame', '葱 scallion'], allergens: ['gluten', 'sesame', 'soy'], tags: ['breakfast', 'signature'], availability: BREAKFAST, prep_seconds: 480 },
];

/** Cup sizes for drinks and bowl sizes for the beef noodle. Base items.price equals the smaller spec. */
export const menuItemSpecs: ItemSpecRow[] = [
  { id: 'spc_milktea_l', item_id: 'itm_milktea', name: '大杯 Large', price: 1800, sort: 10 },
  { id: 'spc_milktea_m', item_id: 'itm_milktea', name: '中杯 Medium', price: 1500, sort: 20 },
  { id: 'spc_lemontea_l', item_id: 'itm_lemontea', name: '大杯 Large', price: 1600, sort: 10 },
  { id: 'spc_lemontea_m', item_id: 'itm_lemontea', name: '中杯 Medium', price: 1300, sort: 20 },
  { id: 'spc_jasminetea_l', item_id: 'itm_jasminetea', name: '大杯 Large', price: 1700, sort: 10 },
  { id: 'spc_jasminetea_m', item_id: 'itm_jasminetea', name: '中杯 Medium', price: 1400, sort: 20 },
  { id: 'spc_mangopomelo_l', item_id: 'itm_mangopomelo', name: '大杯 Large', price: 2200, sort: 10 },
  { id: 'spc_mangopomelo_m', item_id: 'itm_mangopomelo', name: '中杯 Medium', price: 1800, sort: 20 },
  { id: 'spc_beefnoodle_large', item_id: 'itm_beefnoodle', name: '大碗 Large bowl', price: 3200, sort: 10 },
  { id: 'spc_beefnoodle_small', item_id: 'itm_beefnoodle', name: '小碗 Small bowl', price: 2800, sort: 20 },
];

/** Reusable option-group templates; ids become `grp_<item>_<kind>` and `opt_<item>_<kind>_<key>`. */
interface GroupTemplate {
  kind: string;
  name: string;
  min: number;
  max: number;
  options: [key: string, name: string, priceDelta: number][];
}
const SPICE: GroupTemplate = {
  kind: 'spice',
  name: '辣度 Spice level',
  min: 1,
  max: 1,
  options: [
    ['none', '不辣 Not spicy', 0],
    ['mild', '微辣 Mild', 0],
    ['medium', '中辣 Medium', 0],
    ['hot', '特辣 Extra hot', 0],
  ],
};
const SUGAR: GroupTemplate = {
  kind: 'sugar',
  name: '甜度 Sugar',
  min: 1,
  max: 1,
  options: [
    ['full', '全糖 Full', 0],
    ['less', '七分糖 70%', 0],
    ['half', '半糖 50%', 0],
    ['none', '无糖 No sugar', 0],
  ],
};
const ICE: GroupTemplate = {
  kind: 'ice',
  name: '冰量 Ice',
  min: 1,
  max: 1,
  options: [
    ['normal', '正常冰 Regular ice', 0],
    ['less', '少冰 Less ice', 0],
    ['none', '去冰 No ice', 0],
    ['hot', '热饮 Hot', 0],
  ],
};
const ADDONS: GroupTemplate = {
  kind: 'addons',
  name: '加料 Add-ons',
  min: 0,
  max: 3,
  options: [
    ['egg', '加蛋 Extra egg', 200],
    ['beef', '加牛肉 Extra beef', 800],
    ['cheese', '加芝士 Cheese', 300],
  ],
};
const TOPPINGS: GroupTemplate = {
  kind: 'toppings',
  name: '小料 Toppings',
  min: 0,
  max: 2,
  options: [
    ['pearls', '珍珠 Pearls', 200],
    ['pudding', '布丁 Pudding', 300],
    ['coconut', '椰果 Coconut jelly', 200],
  ],
};

/** [item id, templates in display order]. */
const ITEM_GROUPS: [string, GroupTemplate[]][] = [
  ['itm_beefnoodle', [SPICE, ADDONS]],
  ['itm_dandan', [SPICE]],
  ['itm_tomatobeef', [ADDONS]],
  ['itm_suanlafen', [SPICE]],
  ['itm_lanzhou', [SPICE, ADDONS]],
  ['itm_friedrice', [ADDONS]],
  [LATE_NIGHT_ITEM_ID, [SPICE]],
  ['itm_milktea', [SUGAR, ICE, TOPPINGS]],
  ['itm_lemontea', [SUGAR, ICE]],
  ['itm_jasminetea', [SUGAR, ICE, TOPPINGS]],
  ['itm_mangopomelo', [SUGAR]],
];

const itemKey = (itemId: string): string => itemId.replace(/^itm_/, '');

export const menuOptionGroups: OptionGroupRow[] = ITEM_GROUPS.flatMap(([itemId, groups]) =>
  groups.map((g, i) => ({
    id: `grp_${itemKey(itemId)}_${g.kind}`,
    item_id: itemId,
    name: g.name,
    min: g.min,
    max: g.max,
    sort: (i + 1) * 10,
  })),
);

export const menuOptions: OptionRow[] = ITEM_GROUPS.flatMap(([itemId, groups]) =>
  groups.flatMap((g) =>
    g.options.map(([key, name, priceDelta], i) => ({
      id: `opt_${itemKey(itemId)}_${g.kind}_${key}`,
      group_id: `grp_${itemKey(itemId)}_${g.kind}`,
      name,
      price_delta: priceDelta,
      sort: (i + 1) * 10,
    })),
  ),
);
