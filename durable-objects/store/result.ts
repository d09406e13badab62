import { Failure, type Problem } from '../../domain/failure';

/**
 * What a StoreDO RPC method returns. Failures cross the RPC boundary as data (custom
 * error classes do not survive it); the worker's gateway rebuilds the `Failure`.
 */
export type DoProblem = Problem;

/** `steps`: milliseconds per step inside the object, for the caller's Server-Timing (placement). */
export type DoResult<T> = ({ ok: true; value: T } | { ok: false; problem: DoProblem }) & {
  steps?: Record<string, number>;
};

export const okResult = <T>(value: T): DoResult<T> => ({ ok: true, value });
export const problem = (p: DoProblem): { ok: false; problem: DoProblem } => ({ ok: false, problem: p });

/**
 * A `Failure` built from its data form, the way the StoreDO's steps spell it. Thrown
 * inside the DO to abort a step; the RPC edge returns `failure.problem`.
 */
export class DoFailure extends Failure {
  constructor(p: DoProblem) {
    super(p.status, p.code, p.detail, { errors: p.errors, headers: p.headers, extra: p.extra });
  }
}

/** Runs a step and turns a thrown Failure into a problem result; anything else stays an error. */
export async function resultOrProblem<T>(step: () => T | Promise<T>): Promise<DoResult<T>> {
  try {
    return okResult(await step());
  } catch (e) {
    if (e instanceof Failure) return problem(e.problem);
    throw e;
  }
}
