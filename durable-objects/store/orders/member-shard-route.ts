import { hash32 } from '../../../domain/hash32';
import { log } from '../../../domain/log';
import type { MemberShardDO } from '../../member-shard/member-shard.do';
import type { MemberReader } from './member-reads';
import type { HistoryWriter } from './own-history';

/**
 * A store whose batches average below this many members or rows is quiet: its batches go
 * through its member shard instead of straight to D1. There they share one round trip with
 * other stores' batches, and the hop costs less than a round trip of its own (bench:floor and
 * bench:shards measure both). A busy store's batches share their round trip among its own
 * burst, so it goes straight to D1 and saves the hop, even for the odd lone order between
 * bursts.
 */
export const SHARD_BELOW = 3;
/** Weight of the newest batch in the running average of batch sizes. */
const NEWEST = 0.1;

interface Shard {
  read: MemberReader;
  write: HistoryWriter;
}

/**
 * The member shard this store uses (the same one for the object's life, by a hash of its id),
 * or none when `MEMBER_SHARDS` is 0 or unset.
 */
export function memberShard(env: Env, storeObjectId: string): Shard | undefined {
  const n = Number(env.MEMBER_SHARDS ?? 0);
  if (!Number.isInteger(n) || n <= 0) return undefined;
  const id = env.MEMBER_SHARD.idFromName(`members-${hash32(storeObjectId) % n}`);
  // One stub for the object's life; a call that fails may have broken it, so the next takes a new one.
  let stub: DurableObjectStub<MemberShardDO> | undefined;
  const call = async <T>(fn: (s: DurableObjectStub<MemberShardDO>) => Promise<T>): Promise<T> => {
    try {
      stub ??= env.MEMBER_SHARD.get(id);
      return await fn(stub);
    } catch (e) {
      stub = undefined;
      throw e;
    }
  };
  return {
    read: (ids) => call((s) => s.read(ids)),
    write: (rows) => call((s) => s.write(rows)),
  };
}

/**
 * `direct`, except that a quiet store's small batch goes through `shared` when there is one.
 * A shard that fails costs the batch one more try, straight to D1, never the order.
 */
export function smallBatchesVia<T, R>(
  direct: (xs: T[]) => Promise<R>,
  shared: ((xs: T[]) => Promise<R>) | undefined,
): (xs: T[]) => Promise<R> {
  if (!shared) return direct;
  let average = 1;
  return (xs) => {
    average += NEWEST * (xs.length - average);
    if (xs.length >= SHARD_BELOW || average >= SHARD_BELOW) return direct(xs);
    return shared(xs).catch((error: unknown) => {
      log.warn('member shard failed; going to D1 directly', { size: xs.length, error });
      return direct(xs);
    });
  };
}
