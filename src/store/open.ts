/** Opens the store `DATABASE_URL` names: PostgreSQL for `postgres://…`, else a SQLite file. */
import { isPostgresUrl, PostgresSendStore } from './postgres.js';
import type { SqlSendStore } from './sql.js';
import { SqliteSendStore } from './sqlite.js';

export function openStore(
  url: string,
  options: { poolSize?: number; leaseMs?: number; onError?: (error: Error) => void } = {},
): SqlSendStore {
  if (isPostgresUrl(url)) return new PostgresSendStore(url, options);
  return new SqliteSendStore(url, options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs });
}
