import { DEGREE_WORDS, NEGATORS, TERM_INDEX } from './complaint-dictionary';

/** One complaint found in a review: the keyword, the words that said it, the dish it was about. */
export interface ComplaintHit {
  keyword: string;
  term: string;
  /** The order's dish named in the same clause, or null (the order as a whole). */
  itemId: string | null;
}

export interface DishName {
  itemId: string;
  name: string;
}

/** Segments joined at most this many at a time to match a dictionary term ("上|菜|慢"). */
const MAX_JOIN = 4;

interface Token {
  text: string;
  start: number;
  /** Punctuation and spaces end a clause: negation and dish mentions do not cross them. */
  word: boolean;
}

let segmenter: Intl.Segmenter | undefined;

function segments(text: string): Token[] {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  const out: Token[] = [];
  for (const s of segmenter.segment(text)) out.push({ text: s.segment, start: s.index, word: s.isWordLike === true });
  return out;
}

/**
 * What guests call a dish: its name, and for a longer name its last two characters
 * ("煎锅贴" → 锅贴, "宫保鸡丁" → 鸡丁), since they drop the cooking method or the style.
 */
function dishAliases(dishes: readonly DishName[]): DishName[] {
  return dishes.flatMap((d) => {
    const name = d.name.normalize('NFKC').trim();
    return name.length >= 3
      ? [
          { itemId: d.itemId, name },
          { itemId: d.itemId, name: name.slice(-2) },
        ]
      : [{ itemId: d.itemId, name }];
  });
}

/** Where each dish of the order is named in the text (longest names first, no overlaps). */
function dishSpans(text: string, dishes: readonly DishName[]) {
  const spans: { start: number; end: number; itemId: string }[] = [];
  const byLength = dishAliases(dishes)
    .filter((d) => d.name.length >= 2)
    .sort((a, b) => b.name.length - a.name.length);
  for (const d of byLength) {
    for (let at = text.indexOf(d.name); at >= 0; at = text.indexOf(d.name, at + d.name.length)) {
      const end = at + d.name.length;
      if (!spans.some((s) => at < s.end && end > s.start)) spans.push({ start: at, end, itemId: d.itemId });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

const isNegator = (t: string) => NEGATORS.has(t) || (t.length > 1 && (t.endsWith('不') || t.endsWith('没')));

/**
 * Complaint keywords in a review's text: `Intl.Segmenter` (zh, words) splits it, adjacent
 * segments are joined where the dictionary knows the longer term ("分量|少" → 分量少), a
 * term after a negator is dropped ("一点都不咸"), and a complaint is tied to the dish the
 * same clause names. Each keyword counts once per dish per review.
 */
export function extractComplaints(raw: string, dishes: readonly DishName[] = []): ComplaintHit[] {
  const text = raw.normalize('NFKC');
  const tokens = segments(text);
  const spans = dishSpans(text, dishes);
  const hits = new Map<string, ComplaintHit>();
  let clauseDish: string | null = null;
  let clauseHits: ComplaintHit[] = [];
  const closeClause = () => {
    // A dish named later in the same clause ("有点凉的锅贴") owns what came before it too.
    for (const h of clauseHits) if (h.itemId === null && clauseDish) h.itemId = clauseDish;
    for (const h of clauseHits) hits.set(`${h.keyword}\u0000${h.itemId ?? ''}`, h);
    clauseDish = null;
    clauseHits = [];
  };
  let i = 0;
  while (i < tokens.length) {
    const tok = tokens[i]!;
    if (!tok.word) {
      if (/[，,。.！!？?；;\n~～…]/.test(tok.text)) closeClause();
      i++;
      continue;
    }
    const dish = spans.find((s) => tok.start >= s.start && tok.start < s.end);
    if (dish) {
      clauseDish = dish.itemId;
      while (i < tokens.length && tokens[i]!.start < dish.end) i++;
      continue;
    }
    let matched = 0;
    let term = '';
    let joined = '';
    for (let j = i; j < Math.min(tokens.length, i + MAX_JOIN) && tokens[j]!.word; j++) {
      joined += tokens[j]!.text;
      if (TERM_INDEX.has(joined)) {
        matched = j - i + 1;
        term = joined;
      }
    }
    if (matched === 0) {
      i++;
      continue;
    }
    if (!negated(tokens, i)) {
      clauseHits.push({ keyword: TERM_INDEX.get(term)!, term, itemId: clauseDish });
    }
    i += matched;
  }
  closeClause();
  return [...hits.values()];
}

/** True when a negator precedes token `i` in its clause, degree words aside. */
function negated(tokens: readonly Token[], i: number): boolean {
  for (let k = i - 1, seen = 0; k >= 0 && seen < 3; k--) {
    const t = tokens[k]!;
    if (!t.word) return false;
    if (isNegator(t.text)) return true;
    if (!DEGREE_WORDS.has(t.text)) return false;
    seen++;
  }
  return false;
}
