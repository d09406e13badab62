import type { StepTimes } from '../../domain/step-times';
import type { Role } from '../../schema/api/auth.schemas';
import type { Env } from '../env';

export { type Role, roles } from '../../schema/api/auth.schemas';

/** Who is calling, as proven by a verified token. */
export interface Principal {
  role: Role;
  subject: string;
  brandId: string;
  /** Stores a staff account or device may act in; empty for brand-wide roles. */
  storeIds: string[];
  staffRole?: 'clerk' | 'manager';
  scopes?: string[];
  /** The token's `iat` (epoch seconds): checked against a member's `tokens_valid_after`. */
  issuedAt?: number;
  /** The same instant in milliseconds (tokens issued since the claim exists). */
  issuedAtMs?: number;
  /** Minted by /v1/auth/dev: no account behind it; honoured only while DEV_AUTH is "1". */
  dev?: boolean;
  /** The token's `exp` (epoch seconds): a socket opened with it closes by then. */
  expiresAt?: number;
}

export type AppEnv = {
  Bindings: Env;
  Variables: { requestId: string; principal?: Principal; steps: StepTimes };
};
