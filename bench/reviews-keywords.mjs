// `npm run bench:reviews`: complaint keyword extraction (Intl.Segmenter zh words plus the
// food-service dictionary, domain/reviews/) over 2,000 generated reviews. Prints throughput
// and the keyword counts, and writes bench/results/reviews.json. Node's ICU word dictionary is
// the one workerd ships, so the figures carry over to the edge within the machine's noise.
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';

const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const bundled = await build({
  entryPoints: [new URL('../domain/reviews/review-keywords-entry.ts', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  write: false,
  platform: 'neutral',
});
const { extractComplaints, countComplaints } = await import(
  `data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`
);

const dishes = [
  { itemId: 'itm_potstickers', name: '煎锅贴' },
  { itemId: 'itm_kungpao', name: '宫保鸡丁' },
  { itemId: 'itm_soup', name: '酸辣汤' },
  { itemId: 'itm_noodles', name: '牛肉面' },
  { itemId: 'itm_teaegg', name: '茶叶蛋' },
];
const complaints = ['太咸了', '分量少', '上菜慢', '都凉了', '有点油', '偏甜', '没熟', '等了很久', '态度差', '洒了'];
const praise = ['味道不错', '分量足', '下次再来', '很好吃', '服务热情', '环境干净', '性价比高', '一点都不咸', '也不慢'];
const fillers = ['今天中午点的', '和同事一起', '第二次来了', '外卖', '周末带孩子来吃', ''];

// A fixed generator (mulberry32), so every run measures the same 2,000 reviews.
let seed = 0x5eed;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const reviews = Array.from({ length: REVIEWS }, () => {
  const clauses = [pick(fillers)];
  for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) {
    const dish = random() < 0.6 ? pick(dishes).name.slice(-2) : '';
    clauses.push(dish + (random() < 0.45 ? pick(complaints) : pick(praise)));
  }
  return clauses.filter(Boolean).join('，') + (random() < 0.5 ? '。' : '！');
});
const chars = reviews.reduce((n, r) => n + r.length, 0);

// One untimed round: the segmenter's first use loads its dictionary, and the JIT warms up.
for (const text of reviews) extractComplaints(text, dishes);
const rounds = [];
let hits = [];
for (let round = 0; round < ROUNDS; round++) {
  const started = performance.now();
  hits = reviews.map((text) => extractComplaints(text, dishes));
  rounds.push(performance.now() - started);
}
const per = reviews.map((text) => {
  const t = performance.now();
  extractComplaints(text, dishes);
  return performance.now() - t;
});
per.sort((a, b) => a - b);
const best = Math.min(...rounds);
const median = [...rounds].sort((a, b) => a - b)[Math.floor(rounds.length / 2)];
const counts = countComplaints(hits.map((h) => ({ storeId: 'sto_bench', week: '2026-11-30', hits: h })));
const byKeyword = new Map();
for (const c of counts) byKeyword.set(c.keyword, (byKeyword.get(c.keyword) ?? 0) + c.count);

const result = {
  reviews: REVIEWS,
  characters: chars,
  rounds: rounds.map((ms) => Math.round(ms * 10) / 10),
  medianMs: Math.round(median * 10) / 10,
  bestMs: Math.round(best * 10) / 10,
  reviewsPerSecond: Math.round(REVIEWS / (median / 1000)),
  charactersPerSecond: Math.round(chars / (median / 1000)),
  perReviewP50Us: Math.round(per[Math.floor(per.length * 0.5)] * 1000),
  perReviewP99Us: Math.round(per[Math.floor(per.length * 0.99)] * 1000),
  reviewsWithComplaints: hits.filter((h) => h.length > 0).length,
  keywords: Object.fromEntries([...byKeyword].sort((a, b) => b[1] - a[1])),
  runtime: `node ${process.version}, ICU ${process.versions.icu}`,
};
console.log(`${REVIEWS} reviews, ${chars} characters, ${ROUNDS} rounds (${result.runtime})`);
console.log(`median ${result.medianMs} ms per 2,000 (best ${result.bestMs} ms)`);
console.log(`${result.reviewsPerSecond} reviews/s, ${result.charactersPerSecond} characters/s`);
console.log(`per review p50 ${result.perReviewP50Us} µs, p99 ${result.perReviewP99Us} µs`);
console.log(`${result.reviewsWithComplaints} reviews with complaints; keywords:`, result.keywords);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/reviews.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
