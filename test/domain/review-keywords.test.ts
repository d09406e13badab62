import { describe, expect, it } from 'vitest';
import { extractComplaints } from '../../domain/reviews/complaint-keywords';
import { countComplaints, weekOf } from '../../domain/reviews/review-rules';

const dishes = [
  { itemId: 'itm_kungpao', name: '宫保鸡丁' },
  { itemId: 'itm_potstickers', name: '锅贴' },
  { itemId: 'itm_soup', name: '酸辣汤' },
];
const keywords = (text: string) => extractComplaints(text, dishes).map((h) => [h.keyword, h.itemId]);

describe('complaint keywords in a review', () => {
  it('finds the classic complaints, even where the segmenter splits them', () => {
    expect(keywords('太咸了，分量少，上菜慢，汤凉了')).toEqual([
      ['太咸', null],
      ['分量少', null],
      ['慢', null],
      ['凉了', null],
    ]);
    expect(keywords('等了很久，服务员态度差')).toEqual([
      ['慢', null],
      ['服务差', null],
    ]);
    expect(keywords('饺子没熟，菜都冷了，不新鲜')).toEqual([
      ['没熟', null],
      ['凉了', null],
      ['不新鲜', null],
    ]);
  });

  it('a negated complaint is praise: 不咸, 一点都不慢, 不会太咸', () => {
    expect(keywords('一点都不咸，也不慢')).toEqual([]);
    expect(keywords('不会太咸，分量不少')).toEqual([]);
    expect(keywords('味道不错分量足下次再来')).toEqual([]);
  });

  it('words that only contain a complaint are not one: 慢慢吃, 咸鸭蛋, and dish names like 酸辣汤', () => {
    expect(keywords('慢慢吃，咸鸭蛋好吃，酸辣汤很棒')).toEqual([]);
  });

  it('a complaint is tied to the dish its clause names', () => {
    expect(keywords('宫保鸡丁偏甜，锅贴有点凉，酸辣汤太咸了')).toEqual([
      ['太甜', 'itm_kungpao'],
      ['凉了', 'itm_potstickers'],
      ['太咸', 'itm_soup'],
    ]);
    expect(keywords('有点凉的锅贴')).toEqual([['凉了', 'itm_potstickers']]);
  });

  it('a keyword said twice about the same dish counts once', () => {
    expect(keywords('太咸！真的太咸')).toEqual([['太咸', null]]);
  });
});

describe('counting complaints per store, dish and week', () => {
  it('a fixed set of reviews gives the expected counts', () => {
    const tz = 'Asia/Shanghai';
    // Monday 2026-11-23 and Monday 2026-11-30, Shanghai time.
    const w1 = Date.parse('2026-11-24T12:00:00+08:00');
    const w2 = Date.parse('2026-12-01T12:00:00+08:00');
    const reviews = [
      { storeId: 'sto_a', at: w1, text: '锅贴太咸了，上菜慢' },
      { storeId: 'sto_a', at: w1, text: '锅贴好咸' },
      { storeId: 'sto_a', at: w1, text: '不咸，挺好' },
      { storeId: 'sto_a', at: w2, text: '太慢了，汤都凉了' },
      { storeId: 'sto_b', at: w1, text: '分量少，太咸' },
      { storeId: 'sto_b', at: w2, text: '好吃不贵' },
    ];
    const counts = countComplaints(
      reviews.map((r) => ({ storeId: r.storeId, week: weekOf(r.at, tz), hits: extractComplaints(r.text, dishes) })),
    );
    expect(counts).toEqual([
      { storeId: 'sto_a', week: '2026-11-23', itemId: 'itm_potstickers', keyword: '太咸', count: 2 },
      { storeId: 'sto_a', week: '2026-11-23', itemId: null, keyword: '慢', count: 1 },
      { storeId: 'sto_a', week: '2026-11-30', itemId: null, keyword: '凉了', count: 1 },
      { storeId: 'sto_a', week: '2026-11-30', itemId: null, keyword: '慢', count: 1 },
      { storeId: 'sto_b', week: '2026-11-23', itemId: null, keyword: '分量少', count: 1 },
      { storeId: 'sto_b', week: '2026-11-23', itemId: null, keyword: '太咸', count: 1 },
    ]);
  });

  it('weeks start on the store-local Monday', () => {
    expect(weekOf(Date.parse('2026-11-29T23:30:00+08:00'), 'Asia/Shanghai')).toBe('2026-11-23');
    expect(weekOf(Date.parse('2026-11-30T00:10:00+08:00'), 'Asia/Shanghai')).toBe('2026-11-30');
  });
});

describe('what guests call a dish', () => {
  it('the short name counts: 锅贴 is the menu’s 煎锅贴', () => {
    expect(extractComplaints('锅贴太咸了', [{ itemId: 'itm_potstickers', name: '煎锅贴' }])).toEqual([
      { keyword: '太咸', term: '太咸', itemId: 'itm_potstickers' },
    ]);
  });
});
