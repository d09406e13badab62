import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvToItems, type ItemImportLike, itemsToCsv, parseCsv } from '../../domain/catalog-csv';
import { ItemImport } from '../../schema/api/catalog.schemas';

const HEADER = CSV_COLUMNS.join(',');

const noodles: ItemImportLike = {
  id: 'itm_beef_noodles',
  category: '面食',
  name: '红烧牛肉面',
  description: 'Slow-braised beef, "house" chili oil, hand-pulled noodles,\nserved hot',
  price: 2800,
  imageUrl: 'https://cdn.example.com/noodles.jpg',
  calories: 650,
  ingredients: ['牛肉', '面条', '葱'],
  allergens: ['小麦'],
  tags: ['招牌', 'spicy'],
  availability: [
    { days: [1, 2, 3, 4, 5], start: '06:00', end: '10:30' },
    { days: [6, 7], start: '08:00', end: '11:00' },
    { days: [], start: '22:00', end: '02:00' },
  ],
  sort: -5,
  maxPerOrder: 9,
  prepSeconds: 420,
  specs: [
    { id: 'spc_small', name: '小份', price: 2800 },
    { name: '大份', price: 3600 },
  ],
  optionGroups: [
    {
      id: 'grp_spice',
      name: '辣度',
      min: 1,
      max: 1,
      options: [
        { id: 'opt_mild', name: '微辣', priceDelta: 0 },
        { name: '特辣', priceDelta: 0 },
      ],
    },
    {
      name: '加料',
      min: 0,
      max: 3,
      options: [
        { name: '加蛋', priceDelta: 200 },
        { name: '去葱', priceDelta: -100 },
      ],
    },
  ],
};

describe('catalog CSV import/export', () => {
  it('a manager exports the menu and re-imports it unchanged', () => {
    const tea: ItemImportLike = { category: '饮品', name: 'Milk tea, large', price: 1200 };
    const csv = itemsToCsv([noodles, tea]);
    const { rows, errors } = csvToItems(csv);
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.value)).toEqual([noodles, tea]);
    for (const row of rows) expect(ItemImport.safeParse(row.value).error).toBeUndefined();
    // The noodles' description spans two physical lines, so the tea starts on line 4.
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('writes compact, spreadsheet-friendly cells', () => {
    const csv = itemsToCsv([noodles]);
    expect(csv.startsWith(`${HEADER}\r\n`)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    // "6,7" holds a comma, so the whole cell is quoted.
    expect(csv).toContain(',"1-5 06:00-10:30;6,7 08:00-11:00;22:00-02:00",');
    expect(csv).toContain(',spc_small:小份:2800|大份:3600,');
    expect(csv).toContain('grp_spice:辣度(1-1)=opt_mild:微辣:0|特辣:0;加料(0-3)=加蛋:200|去葱:-100');
    expect(csv).toContain('"Slow-braised beef, ""house"" chili oil, hand-pulled noodles,\nserved hot"');
    expect(
      itemsToCsv([{ ...noodles, availability: [{ days: [1, 2, 3, 5], start: '07:00', end: '09:00' }] }]),
    ).toContain(',"1-3,5 07:00-09:00",');
  });

  it('an item with null and empty fields comes back as the same item once the schema applies its defaults', () => {
    const full = ItemImport.parse({
      category: '小吃',
      name: '春卷',
      price: 800,
      imageUrl: null,
      calories: null,
      maxPerOrder: null,
      description: '',
    });
    const csv = itemsToCsv([full]);
    expect(csv.split('\r\n')[1]).toBe(',小吃,春卷,,800,,,,,,,0,,300,,');
    const { rows, errors } = csvToItems(csv);
    expect(errors).toEqual([]);
    expect(rows[0]!.value).toEqual({ category: '小吃', name: '春卷', price: 800, sort: 0, prepSeconds: 300 });
    expect(ItemImport.parse(rows[0]!.value)).toEqual(full);
  });

  it('a spreadsheet with a bad price on line 4 and a broken option group on line 6 reports both lines', () => {
    const csv = [
      'category,name,price,option_groups',
      '面食,牛肉面,2800,辣度(1-1)=微辣:0|特辣:0',
      '面食,鸡汤面,2600,',
      '面食,炸酱面,28.5,',
      '饮品,豆浆,abc,',
      '饮品,奶茶,1200,加料(0-2)=珍珠',
      '饮品,绿茶,900,甜度=少糖:0',
    ].join('\n');
    const { rows, errors } = csvToItems(csv);
    expect(rows.map((r) => [r.line, r.value.name])).toEqual([
      [2, '牛肉面'],
      [3, '鸡汤面'],
    ]);
    expect(errors).toEqual([
      { line: 4, message: 'price must be integer cents, got "28.5"' },
      { line: 5, message: 'price must be integer cents, got "abc"' },
      { line: 6, message: 'option_groups: option "珍珠" in "加料" is not "[id:]name:priceDelta"' },
      { line: 7, message: 'option_groups: "甜度=少糖:0" is not "[id:]name(min-max)=option|option|…"' },
    ]);
  });

  it('a row with several mistakes reports each of them', () => {
    const csv =
      'category,name,price,calories,availability,specs\n面食,牛肉面,2800,lots,8 06:00-10:00;1-5 6am,大份|小份:x\n';
    const messages = csvToItems(csv).errors.map((e) => `${e.line} ${e.message}`);
    expect(messages).toEqual([
      '2 calories must be an integer, got "lots"',
      '2 availability: "8 06:00-10:00" is not "[days] HH:MM-HH:MM", e.g. "1-5 06:00-10:30"',
      '2 availability: "1-5 6am" is not "[days] HH:MM-HH:MM", e.g. "1-5 06:00-10:30"',
      '2 specs: "大份" is not "[id:]name:price" with the price in integer cents',
      '2 specs: "小份:x" is not "[id:]name:price" with the price in integer cents',
    ]);
  });

  it('a hand-written file may reorder columns, use any header case and loose spacing', () => {
    const csv =
      ' Price ,NAME,Category,Tags,Availability\n' +
      '1500,煎饼,早餐, 热卖 || 新品 ,"1-3, 5 6:30-9:00 ; 7 8:00 - 10:00"\n';
    expect(csvToItems(csv)).toEqual({
      rows: [
        {
          line: 2,
          value: {
            price: 1500,
            name: '煎饼',
            category: '早餐',
            tags: ['热卖', '新品'],
            availability: [
              { days: [1, 2, 3, 5], start: '06:30', end: '09:00' },
              { days: [7], start: '08:00', end: '10:00' },
            ],
          },
        },
      ],
      errors: [],
    });
  });

  it('an unterminated quote is reported at the line it started', () => {
    const csv = 'category,name,price,description\n面食,牛肉面,2800,ok\n面食,鸡汤面,2600,"never closed\nstill going\n';
    const { rows, errors } = csvToItems(csv);
    expect(rows.map((r) => r.line)).toEqual([2]);
    expect(errors).toEqual([{ line: 3, message: 'unterminated quoted field: a " is never closed' }]);
  });

  it('an unknown or duplicated column is rejected on the header line', () => {
    const { rows, errors } = csvToItems('category,name,price,colour,Name\n面食,牛肉面,2800,red,x\n');
    expect(rows).toEqual([]);
    expect(errors.map((e) => e.line)).toEqual([1, 1]);
    expect(errors[0]!.message).toMatch(/^unknown column "colour"/);
    expect(errors[1]!.message).toBe('duplicate column "name"');
    expect(csvToItems('category,name\n面食,牛肉面\n').errors).toEqual([{ line: 1, message: 'missing column "price"' }]);
    expect(csvToItems('').errors).toEqual([{ line: 1, message: 'the file is empty: expected a header row' }]);
  });

  it('a record with the wrong number of fields is reported on its line', () => {
    const { rows, errors } = csvToItems('category,name,price\n面食,牛肉面\n面食,鸡汤面,2600,extra\n面食,炸酱面,2400\n');
    expect(rows.map((r) => r.line)).toEqual([4]);
    expect(errors).toEqual([
      { line: 2, message: 'expected 3 fields, got 2' },
      { line: 3, message: 'expected 3 fields, got 4' },
    ]);
  });

  it('a file saved by Excel, with a BOM and CRLF line endings, imports cleanly', () => {
    const csv = '\uFEFFcategory,name,price,description\r\n面食,牛肉面,2800,"two\r\nlines"\r\n饮品,豆浆,500,\r\n,,,\r\n';
    const { rows, errors } = csvToItems(csv);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, value: { category: '面食', name: '牛肉面', price: 2800, description: 'two\r\nlines' } },
      { line: 4, value: { category: '饮品', name: '豆浆', price: 500 } },
    ]);
  });

  it('empty lines are skipped but line numbers stay physical', () => {
    const csv = '\ncategory,name,price\n\n\n面食,牛肉面,2800\n\r\n面食,鸡汤面,x\n';
    const { rows, errors } = csvToItems(csv);
    expect(rows.map((r) => r.line)).toEqual([5]);
    expect(errors).toEqual([{ line: 7, message: 'price must be integer cents, got "x"' }]);
  });

  it('the low-level parser follows RFC 4180 quoting', () => {
    expect(parseCsv('a,"b,""c""",\n"x\ny",z,""')).toEqual({
      records: [
        { line: 1, fields: ['a', 'b,"c"', ''] },
        { line: 2, fields: ['x\ny', 'z', ''] },
      ],
      errors: [],
    });
    expect(parseCsv('a,"b"c,d\ne,f,g')).toEqual({
      records: [{ line: 2, fields: ['e', 'f', 'g'] }],
      errors: [{ line: 1, message: 'unexpected text after a closing quote' }],
    });
  });
});

/** A small deterministic generator (mulberry32), since fast-check is not available. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const maybe = <T>(make: () => T): T | undefined => (next() < 0.5 ? make() : undefined);
  const many = <T>(min: number, max: number, make: () => T): T[] => Array.from({ length: int(min, max) }, make);
  return { int, pick, maybe, many };
}

const WORDS = ['牛肉', '面', 'Milk tea', '豆浆', 'Café', 'extra-hot', '葱', "O'Brien", '🌶️', 'a b', 'x.y'];
const TEXTS = ['', 'plain', 'a, b', 'say "hi"', 'line\nbreak', 'crlf\r\nbreak', 'pipes | and ; : = ( )', '  padded  '];
const TIMES = ['00:00', '06:00', '10:30', '22:00', '24:00', '02:15'];

function generateItem(r: ReturnType<typeof random>, n: number): ItemImportLike {
  const word = () => r.pick(WORDS);
  const id = (prefix: string) => r.maybe(() => `${prefix}_${r.int(0, 9999)}`);
  const withId = <T extends object>(prefix: string, rest: T) => {
    const value = id(prefix);
    return value === undefined ? rest : { id: value, ...rest };
  };
  const candidate: Record<string, unknown> = {
    id: id('itm'),
    category: word(),
    name: `${word()} ${n}`,
    description: r.pick(TEXTS) + r.pick(TEXTS) || undefined,
    price: r.int(0, 100_000),
    imageUrl: r.maybe(() => `https://cdn.example.com/${n}.png?w=1,2`),
    calories: r.maybe(() => r.int(0, 2000)),
    ingredients: r.maybe(() => r.many(1, 4, word)),
    allergens: r.maybe(() => r.many(1, 2, word)),
    tags: r.maybe(() => r.many(1, 3, word)),
    availability: r.maybe(() =>
      r.many(1, 3, () => ({
        days: r.many(0, 7, () => r.int(1, 7)).sort(),
        start: r.pick(TIMES.slice(0, -1)),
        end: r.pick(TIMES),
      })),
    ),
    sort: r.maybe(() => r.int(-1000, 1000)),
    maxPerOrder: r.maybe(() => r.int(1, 99)),
    prepSeconds: r.maybe(() => r.int(0, 7200)),
    specs: r.maybe(() => r.many(1, 3, () => withId('spc', { name: word(), price: r.int(0, 9999) }))),
    optionGroups: r.maybe(() =>
      r.many(1, 3, () =>
        withId('grp', {
          name: word(),
          min: r.int(0, 1),
          max: r.int(1, 3),
          options: r.many(1, 4, () => withId('opt', { name: word(), priceDelta: r.int(-500, 500) })),
        }),
      ),
    ),
  };
  // Absent rather than undefined, so the comparison is exact.
  return Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)) as ItemImportLike;
}

describe('catalog CSV round trip over generated items', () => {
  it('any generated menu survives export and re-import exactly', () => {
    for (const seed of [1, 2, 3, 42, 2026]) {
      const r = random(seed);
      const items = Array.from({ length: 12 }, (_, n) => generateItem(r, n));
      const { rows, errors } = csvToItems(itemsToCsv(items));
      expect(errors, `seed ${seed}`).toEqual([]);
      expect(
        rows.map((row) => row.value),
        `seed ${seed}`,
      ).toStrictEqual(items);
    }
  });
});
