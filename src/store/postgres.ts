/**
 * The send store on PostgreSQL (node-postgres, pooled), for several replicas sharing one database.
 * The queries are the shared ones of src/store/sql.ts; this adds the pool and LISTEN/NOTIFY.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { OUTBOX_CHANNEL, type Schema, SqlSendStore } from './sql.js';

export type PostgresOptions = Readonly<{
  /** Connections in the pool; each replica holds at most this many, plus one for LISTEN. */
  poolSize?: number | undefined;
  now?: (() => Date) | undefined;
  leaseMs?: number | undefined;
  /** Reports a connection the pool or the listener lost (the pool replaces it). */
  onError?: ((error: Error) => void) | undefined;
}>;

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

export class PostgresSendStore extends SqlSendStore {
  constructor(url: string, options: PostgresOptions = {}) {
    const onError = options.onError ?? (() => {});
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    // An idle connection the server closed would otherwise be an unhandled 'error' event.
    pool.on('error', onError);
    super(new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) }), {
      dialect: 'postgres',
      exclusive: false,
      now: options.now,
      leaseMs: options.leaseMs,
      listen: async (onWork) => {
        // LISTEN needs a connection of its own for as long as it listens, outside the pool.
        const client = new pg.Client({ connectionString: url });
        client.on('error', onError);
        client.on('notification', () => onWork());
        await client.connect();
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
        return async () => {
          await client.end().catch(() => {});
        };
      },
    });
  }
}
