/**
 * Copies a store's history (every send, in order, and the drafts) into another store, for moving
 * a SQLite file to PostgreSQL. Rows keep their ids, states and times; a row already in the target
 * is left as it is, so the copy can be run again after an interruption.
 */
import type { SqlSendStore } from './sql.js';

export type CopyReport = Readonly<{ sends: number; drafts: number; skipped: number }>;

/** Rows per INSERT: far below both SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 200;

export async function copyHistory(from: SqlSendStore, to: SqlSendStore): Promise<CopyReport> {
  const source = await from.database();
  const target = await to.database();
  let sends = 0;
  let drafts = 0;
  let skipped = 0;
  // Insertion order is kept: the target numbers the rows as they arrive (its seq), as the outbox expects.
  const rows = await source.selectFrom('sends').selectAll().orderBy('created_at').execute();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const inserted = await target
      .insertInto('sends')
      .values(chunk)
      .onConflict((conflict) => conflict.doNothing())
      .returning('id')
      .execute();
    sends += inserted.length;
    skipped += chunk.length - inserted.length;
  }
  const draftRows = await source.selectFrom('drafts').selectAll().execute();
  for (let i = 0; i < draftRows.length; i += CHUNK) {
    const inserted = await target
      .insertInto('drafts')
      .values(draftRows.slice(i, i + CHUNK))
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returning('id')
      .execute();
    drafts += inserted.length;
  }
  return { sends, drafts, skipped };
}
