/**
 * What a StoreDO RPC method returns. Errors cross the RPC boundary as data (custom
 * error classes do not survive it), and the worker turns a problem into an ApiError.
 */
export interface DoProblem {
  status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503;
  code: string;
  detail: string;
  errors?: { path: string; message: string; line?: number }[];
  headers?: Record<string, string>;
  extra?: Record<string, unknown>;
}

export type DoResult<T> = { ok: true; value: T } | { ok: false; problem: DoProblem };

export const okResult = <T>(value: T): DoResult<T> => ({ ok: true, value });
export const problem = (p: DoProblem): { ok: false; problem: DoProblem } => ({ ok: false, problem: p });

/** Thrown inside the DO to abort a step; caught at the RPC edge and returned as a problem. */
export class DoFailure extends Error {
  constructor(readonly problem: DoProblem) {
    super(problem.detail);
  }
}

/** Runs a step and turns a DoFailure into a problem result; anything else stays an error. */
export async function resultOrProblem<T>(step: () => T | Promise<T>): Promise<DoResult<T>> {
  try {
    return okResult(await step());
  } catch (e) {
    if (e instanceof DoFailure) return problem(e.problem);
    throw e;
  }
}
