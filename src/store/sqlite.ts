/**
 * The send store on an embedded SQLite file (better-sqlite3), for one replica. One process owns
 * the file; WAL lets readers (history, health checks) run beside the writer. The queries are the
 * shared ones of src/store/sql.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { MIGRATIONS } from './migrations.js';
import { migrationName, type Schema, SqlSendStore } from './sql.js';

/** `file:./data/jelou-card.db`, a plain path, or `:memory:` → what better-sqlite3 opens. */
export function databasePath(url: string): string {
  if (url === ':memory:' || url === 'file::memory:') return ':memory:';
  return resolve(url.startsWith('file:') ? url.slice('file:'.length) : url);
}

/**
 * A file migrated before Kysely's migrator kept its version only in `PRAGMA user_version`: record
 * those migrations as run, so the migrator carries on from there with the file's data intact.
 */
function adoptVersionedFile(db: Database.Database): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version === 0) return;
  const known = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
    .get();
  if (known) return;
  db.transaction(() => {
    db.exec(
      `CREATE TABLE kysely_migration (name VARCHAR(255) NOT NULL PRIMARY KEY, timestamp VARCHAR(255) NOT NULL)`,
    );
    const record = db.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)');
    const at = new Date().toISOString();
    for (let index = 0; index < Math.min(version, MIGRATIONS.length); index++)
      record.run(migrationName(index), at);
  })();
}

/**
 * better-sqlite3 compiles a statement on every prepare; Kysely prepares on every query. Keeping the
 * compiled statements (one per distinct SQL text) saved a tenth of the work on the send path.
 */
function cachingStatements(db: Database.Database) {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

export class SqliteSendStore extends SqlSendStore {
  constructor(url: string, options: { now?: () => Date; leaseMs?: number } = {}) {
    const path = databasePath(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commit.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    adoptVersionedFile(db);
    super(new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingStatements(db) }) }), {
      dialect: 'sqlite',
      exclusive: true,
      now: options.now,
      leaseMs: options.leaseMs,
    });
  }
}
