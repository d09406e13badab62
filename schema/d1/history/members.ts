/*
 * The demo brand's members. 130 founding members joined between June 2025 and June 2026; from
 * HISTORY_EPOCH on, a few join on most days (their first order is that day). Who joins
 * when is a pure function of the date, so any run knows every member that exists.
 * Phones are left null: the real code seals and hashes them with DATA_KEY, which differs
 * per machine, and a demo member never signs in. Openids are fake and marked as demo.
 */

import { dayNumber, dayString, localEpoch, MINUTE } from './calendar.ts';
import { hash32, rng } from './rng.ts';

export const HISTORY_EPOCH = dayNumber('2026-07-01');
const FOUNDING = 130;
const FOUNDING_FROM = dayNumber('2025-06-01');

/** How often a member comes: most rarely, a few every week (tuned for ~45 % 30-day repurchase). */
export type Habit = 'regular' | 'occasional' | 'rare';
const HABIT_DAILY: Record<Habit, number> = { regular: 0.25, occasional: 0.04, rare: 0.012 };

export interface DemoMember {
  id: string;
  nickname: string;
  joinedDay: number;
  /** Epoch ms the member signed up. */
  createdAt: number;
  habit: Habit;
  /** Chance of ordering on any given day. */
  daily: number;
  /** The store they usually go to (index into the demo stores). */
  home: number;
  birthday: string | null;
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '霞',
  '平',
  '刚',
  '小雨',
  '子涵',
  '欣怡',
  '浩然',
  '梓萱',
  '宇轩',
  '思远',
  '佳怡',
  '一鸣',
  '晓东',
];
const HANDLES = ['吃货小分队', '面条控', '奶茶续命', 'Momo', 'Jason', '小鱼儿', '阿飞', 'Coco', '夜猫子', '打工人'];

function member(id: string, joinedDay: number, joinedAt: number, stores: number): DemoMember {
  const r = rng(`member|${id}`);
  const habit = r.weighted<Habit>(['regular', 'occasional', 'rare'], [10, 25, 65]);
  const name = r.chance(0.15) ? r.pick(HANDLES) : `${r.pick(SURNAMES)}${r.pick(GIVEN)}`;
  const birthYear = r.int(1972, 2004);
  return {
    id,
    nickname: name,
    joinedDay,
    createdAt: joinedAt,
    habit,
    daily: HABIT_DAILY[habit],
    home: r.weighted([0, 1, 2].slice(0, stores), [45, 35, 20]),
    birthday: r.chance(0.6)
      ? `${birthYear}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`
      : null,
  };
}

/** How many members join on a day (0–3, about one a day). */
function joinsOn(dayNo: number): number {
  return rng(`joins|${dayString(dayNo)}`).weighted([0, 1, 2, 3], [35, 40, 18, 7]);
}

/**
 * Every demo member who exists by `lastDay` (day number): the founding ones and everyone who
 * joined since HISTORY_EPOCH. New members' sign-up time is set by their first order
 * (`joinTime`), on their join day.
 */
export function demoMembers(lastDay: number, stores: number): DemoMember[] {
  const out: DemoMember[] = [];
  for (let i = 1; i <= FOUNDING; i++) {
    const id = `mem_demo_f${String(i).padStart(3, '0')}`;
    const joinedDay = FOUNDING_FROM + Math.floor(((HISTORY_EPOCH - FOUNDING_FROM - 1) * (i - 1)) / FOUNDING);
    const at = localEpoch(joinedDay, 9 * 60 + (hash32(id) % (12 * 60)), 'Asia/Shanghai');
    out.push(member(id, joinedDay, at, stores));
  }
  for (let d = HISTORY_EPOCH; d <= lastDay; d++) {
    const n = joinsOn(d);
    for (let k = 1; k <= n; k++) {
      const id = `mem_demo_${dayString(d).replaceAll('-', '')}_${k}`;
      out.push(member(id, d, joinTime(id, d), stores));
    }
  }
  return out;
}

/** A new member signs up a few minutes before their first order, at lunch or dinner time. */
export function joinTime(id: string, dayNo: number): number {
  const r = rng(`join|${id}`);
  const minutes = r.chance(0.55) ? r.int(11 * 60 + 10, 13 * 60 + 20) : r.int(17 * 60 + 20, 20 * 60 + 30);
  return localEpoch(dayNo, minutes, 'Asia/Shanghai') - 4 * MINUTE;
}

/** The members able to order on a day: joined on or before it. */
export function poolOn(all: readonly DemoMember[], dayNo: number): DemoMember[] {
  return all.filter((m) => m.joinedDay <= dayNo);
}

/** Whether a member orders on a day, and at which store (new members always order on their join day). */
export function visitOn(m: DemoMember, dayNo: number, stores: number): { store: number } | null {
  const r = rng(`visit|${m.id}|${dayString(dayNo)}`);
  if (m.joinedDay === dayNo && m.joinedDay >= HISTORY_EPOCH) return { store: m.home };
  if (m.joinedDay >= dayNo || !r.chance(m.daily)) return null;
  return { store: r.chance(0.8) ? m.home : r.int(0, stores - 1) };
}
