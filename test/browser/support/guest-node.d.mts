/** Bytes of `body` gzipped at level 9. */
export function gzipBytes(body: Uint8Array): number;
/** Writes SQL for start.mjs's TIFFIN_EXTRA_SQL and returns its path. */
export function extraSql(statements: string[]): string;
/** Sets (or with undefined, removes) an environment variable of this process. */
export function setEnv(name: string, value: string | undefined): void;
