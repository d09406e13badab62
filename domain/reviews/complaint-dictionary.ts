/*
 * A small food-service dictionary: the words guests use to complain, each mapped to the
 * keyword a manager reads ("太咸", "分量少", "慢", "凉了"). Terms are matched against whole
 * segments (or adjacent segments joined), so "咸鸭蛋" or "慢慢吃" never count as complaints.
 */

/** Canonical keyword → the terms that mean it. */
export const COMPLAINT_TERMS: Readonly<Record<string, readonly string[]>> = {
  太咸: ['咸', '太咸', '好咸', '很咸', '偏咸', '超咸', '咸了', '齁咸', '齁'],
  太淡: ['淡', '太淡', '偏淡', '没味道', '没有味道', '寡淡'],
  太甜: ['太甜', '偏甜', '好甜', '很甜', '甜腻', '齁甜'],
  太辣: ['太辣', '偏辣', '好辣', '辣过头'],
  太油: ['油', '太油', '好油', '很油', '油腻', '偏油'],
  分量少: [
    '量少',
    '分量少',
    '份量少',
    '量太少',
    '分量太少',
    '份量太少',
    '分量不足',
    '份量不足',
    '太少',
    '不够吃',
    '少得可怜',
  ],
  慢: [
    '慢',
    '太慢',
    '好慢',
    '很慢',
    '上菜慢',
    '出餐慢',
    '送餐慢',
    '配送慢',
    '等太久',
    '等了很久',
    '等好久',
    '等半天',
    '超时',
    '迟到',
  ],
  凉了: ['凉', '凉了', '冷', '冷了', '不热', '不烫', '温吞'],
  难吃: ['难吃', '不好吃', '难以下咽'],
  不新鲜: ['不新鲜', '变质', '馊', '馊了', '酸了', '臭了'],
  没熟: ['没熟', '没有熟', '不熟', '夹生', '半生'],
  有异物: ['头发', '虫子', '异物', '苍蝇', '钢丝'],
  洒了: ['洒', '洒了', '漏', '漏了', '撒了', '汤洒了'],
  少送: ['少送', '漏送', '错送', '送错', '少了一份', '没给'],
  服务差: ['态度差', '态度不好', '服务差', '服务不好', '爱答不理', '不理人', '脸色'],
  太贵: ['太贵', '好贵', '很贵', '贵', '不值'],
  不卫生: ['脏', '不卫生', '不干净'],
  太硬: ['太硬', '好硬', '很硬', '硬'],
  糊了: ['糊', '糊了', '焦了'],
};

/**
 * Negators: a complaint term right after one of these (degree words between them
 * allowed) is not a complaint ("不咸", "一点都不慢", "不会太咸"). The segmenter glues some of
 * them to their neighbours ("都不", "也不"), so a segment ending in one counts too.
 */
export const NEGATORS: ReadonlySet<string> = new Set([
  '不',
  '没',
  '没有',
  '别',
  '无',
  '未',
  '不会',
  '不算',
  '不太',
  '不是',
  '并不',
  '毫不',
  '并没有',
  '一点也不',
  '一点都不',
]);

/** Degree words that may sit between a negator and its term ("不太咸", "不怎么慢"). */
export const DEGREE_WORDS: ReadonlySet<string> = new Set([
  '太',
  '很',
  '好',
  '偏',
  '有点',
  '有些',
  '超',
  '超级',
  '特别',
  '非常',
  '真',
  '巨',
  '略',
  '稍微',
  '比较',
  '怎么',
  '那么',
  '算',
]);

/** Term → canonical keyword, and the longest term in segments' worth of characters. */
export const TERM_INDEX: ReadonlyMap<string, string> = new Map(
  Object.entries(COMPLAINT_TERMS).flatMap(([keyword, terms]) => terms.map((t) => [t, keyword] as const)),
);
