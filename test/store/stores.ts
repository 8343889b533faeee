/**
 * The two stores the contract suite runs against: a SQLite file, and a database of its own on the
 * PostgreSQL server of test/support/postgres.ts (or TEST_DATABASE_URL).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { PostgresSendStore } from '../../src/store/postgres.js';
import type { SqlSendStore } from '../../src/store/sql.js';
import { SqliteSendStore } from '../../src/store/sqlite.js';

export type StoreOptions = { now?: () => Date; leaseMs?: number };

/** One database, and as many stores (replicas) on it as a test wants. */
export interface TestDatabase {
  readonly kind: 'sqlite' | 'postgres';
  readonly url: string;
  open(options?: StoreOptions): SqlSendStore;
  /** Runs raw SQL on the database, outside any store (to stage a failure). */
  exec(sqlText: string): Promise<void>;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server, and its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = inject('postgresUrl');
  const name = `jc_${randomUUID().replaceAll('-', '')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: admin });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export async function sqliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'jelou-card-store-'));
  const file = join(dir, 'nested', 'sends.db');
  const opened: SqlSendStore[] = [];
  return {
    kind: 'sqlite',
    url: `file:${file}`,
    open(options = {}) {
      const store = new SqliteSendStore(`file:${file}`, options);
      opened.push(store);
      return store;
    },
    async exec(sqlText) {
      const db = new Database(file);
      db.exec(sqlText);
      db.close();
    },
    async drop() {
      for (const store of opened) await store.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresDatabase(): Promise<TestDatabase> {
  const { url, drop } = await createPostgresDatabase();
  const opened: SqlSendStore[] = [];
  return {
    kind: 'postgres',
    url,
    open(options = {}) {
      const store = new PostgresSendStore(url, { ...options, poolSize: 4 });
      opened.push(store);
      return store;
    },
    async exec(sqlText) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(sqlText);
      await client.end();
    },
    async drop() {
      for (const store of opened) await store.close().catch(() => {});
      await drop();
    },
  };
}

export const DATABASES = [
  ['SQLite', sqliteDatabase],
  ['PostgreSQL', postgresDatabase],
] as const;
