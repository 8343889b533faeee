/**
 * The send store on an embedded SQLite file (better-sqlite3). One process owns the file; WAL
 * lets readers (history, health checks) run beside the writer. Every state change is a single
 * guarded UPDATE, so a double click or a racing worker cannot move a send twice.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { LOCALES, type Locale, type Sentence } from '../errors.js';
import { MIGRATIONS } from './migrations.js';
import type {
  Created,
  Draft,
  NewSend,
  NotificationRef,
  RecentRecipient,
  SendRecord,
  SendResult,
  SendStatus,
  SendStore,
  StatusCounts,
} from './types.js';

/** `file:./data/jelou-card.db`, a plain path, or `:memory:` → what better-sqlite3 opens. */
export function databasePath(url: string): string {
  if (url === ':memory:' || url === 'file::memory:') return ':memory:';
  return resolve(url.startsWith('file:') ? url.slice('file:'.length) : url);
}

type Row = {
  id: string;
  status: SendStatus;
  team_id: string | null;
  requested_by: string;
  channel_id: string;
  recipient_id: string;
  recipient_label: string;
  card_name: string;
  body: string;
  dry_run: number;
  attempts: number;
  message_id: string | null;
  error_code: string | null;
  error_status: number | null;
  reason_en: string | null;
  reason_es: string | null;
  notify_kind: 'message' | 'ephemeral' | null;
  notify_channel: string | null;
  notify_ts: string | null;
  notify_user: string | null;
  submission_key: string | null;
  batch_id: string | null;
  thread_ts: string | null;
  locale: string;
  created_at: string;
  updated_at: string;
};

function notificationOf(row: Row): NotificationRef | undefined {
  if (row.notify_kind === 'message' && row.notify_channel && row.notify_ts) {
    return { kind: 'message', channel: row.notify_channel, ts: row.notify_ts };
  }
  if (row.notify_kind === 'ephemeral' && row.notify_channel && row.notify_user) {
    return { kind: 'ephemeral', channel: row.notify_channel, user: row.notify_user };
  }
  return undefined;
}

/** A language this build no longer speaks (a file from a newer or older build) reads as English. */
function localeOf(value: string): Locale {
  return LOCALES.find((locale) => locale === value) ?? 'en';
}

function toRecord(row: Row): SendRecord {
  return {
    id: row.id,
    status: row.status,
    teamId: row.team_id ?? undefined,
    requestedBy: row.requested_by,
    channelId: row.channel_id,
    recipientId: row.recipient_id,
    recipientLabel: row.recipient_label,
    cardName: row.card_name,
    body: row.body,
    dryRun: row.dry_run === 1,
    locale: localeOf(row.locale),
    attempts: row.attempts,
    messageId: row.message_id ?? undefined,
    errorCode: row.error_code ?? undefined,
    errorStatus: row.error_status ?? undefined,
    reason:
      row.reason_en !== null && row.reason_es !== null ? { en: row.reason_en, es: row.reason_es } : undefined,
    notification: notificationOf(row),
    submissionKey: row.submission_key ?? undefined,
    batchId: row.batch_id ?? undefined,
    threadTs: row.thread_ts ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Brings the schema up to the newest version, one transaction per migration. */
export function migrate(db: Database.Database): number {
  const current = Number(db.pragma('user_version', { simple: true }));
  for (const [index, sql] of MIGRATIONS.entries()) {
    const version = index + 1;
    if (version <= current) continue;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return MIGRATIONS.length;
}

export class SqliteSendStore implements SendStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;
  // Preparing compiles the SQL again each time; on the send path that was a tenth of the work.
  private readonly statements = new Map<string, Database.Statement>();

  constructor(url: string, options: { now?: () => Date } = {}) {
    const path = databasePath(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commit.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.now = options.now ?? (() => new Date());
  }

  private prepare<Params extends unknown[] | Record<string, unknown> = unknown[], Result = unknown>(
    sql: string,
  ): Database.Statement<Params, Result> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement as Database.Statement<Params, Result>;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private row(id: string): Row | undefined {
    return this.prepare<[string], Row>('SELECT * FROM sends WHERE id = ?').get(id);
  }

  /** Runs a guarded UPDATE … RETURNING; `undefined` when the guard matched no row. */
  private transition(sql: string, params: Record<string, unknown>): SendRecord | undefined {
    const row = this.prepare<[Record<string, unknown>], Row>(sql).get({ ...params, now: this.stamp() });
    return row ? toRecord(row) : undefined;
  }

  async create(send: NewSend): Promise<Created> {
    return this.insert(send);
  }

  async createMany(sends: readonly NewSend[]): Promise<Created[]> {
    return this.db.transaction(() => sends.map((send) => this.insert(send)))();
  }

  async batch(batchId: string): Promise<SendRecord[]> {
    return this.prepare<[string], Row>('SELECT * FROM sends WHERE batch_id = ? ORDER BY rowid')
      .all(batchId)
      .map(toRecord);
  }

  private insert(send: NewSend): Created {
    const now = this.stamp();
    const submissionKey = send.submissionKey ?? null;
    const row = this.prepare<[Record<string, unknown>], Row>(
      `INSERT INTO sends (id, status, team_id, requested_by, channel_id, recipient_id, recipient_label, card_name,
           body, dry_run, attempts, submission_key, batch_id, locale, thread_ts, created_at, updated_at)
         VALUES (@id, 'pending', @teamId, @requestedBy, @channelId, @recipientId, @recipientLabel, @cardName,
           @body, @dryRun, 0, @submissionKey, @batchId, @locale, @threadTs, @now, @now)
         ON CONFLICT (submission_key) WHERE submission_key IS NOT NULL DO NOTHING
         RETURNING *`,
    ).get({
      ...send,
      id: randomUUID(),
      teamId: send.teamId ?? null,
      dryRun: send.dryRun ? 1 : 0,
      submissionKey,
      batchId: send.batchId ?? null,
      threadTs: send.threadTs ?? null,
      now,
    });
    if (row) return { send: toRecord(row), created: true };
    const existing = this.prepare<[string | null], Row>('SELECT * FROM sends WHERE submission_key = ?').get(
      submissionKey,
    );
    if (!existing) throw new Error('a send conflicted on its submission key but none was found');
    return { send: toRecord(existing), created: false };
  }

  async get(id: string): Promise<SendRecord | undefined> {
    const row = this.row(id);
    return row ? toRecord(row) : undefined;
  }

  async claim(id: string): Promise<SendRecord | undefined> {
    return this.transition(
      `UPDATE sends SET status = 'sending', attempts = attempts + 1, updated_at = @now
       WHERE id = @id AND status = 'pending' RETURNING *`,
      { id },
    );
  }

  async finish(id: string, result: SendResult): Promise<SendRecord> {
    const failure = result.status === 'sent' ? undefined : result;
    const record = this.transition(
      `UPDATE sends SET status = @status, message_id = @messageId, error_code = @errorCode,
         error_status = @errorStatus, reason_en = @reasonEn, reason_es = @reasonEs, updated_at = @now
       WHERE id = @id AND status = 'sending' RETURNING *`,
      {
        id,
        status: result.status,
        messageId: result.status === 'sent' ? result.messageId : null,
        errorCode: failure?.errorCode ?? null,
        errorStatus: failure?.errorStatus ?? null,
        reasonEn: failure?.reason.en ?? null,
        reasonEs: failure?.reason.es ?? null,
      },
    );
    if (!record) throw new Error(`send ${id} was not in flight, so its result cannot be recorded`);
    return record;
  }

  async requeue(id: string): Promise<SendRecord | undefined> {
    return this.transition(
      `UPDATE sends SET status = 'pending', error_code = NULL, error_status = NULL, reason_en = NULL,
         reason_es = NULL, updated_at = @now
       WHERE id = @id AND status IN ('failed', 'unknown') RETURNING *`,
      { id },
    );
  }

  async setNotification(id: string, ref: NotificationRef): Promise<void> {
    this.prepare(
      `UPDATE sends SET notify_kind = @kind, notify_channel = @channel, notify_ts = @ts, notify_user = @user
         WHERE id = @id OR batch_id = (SELECT batch_id FROM sends WHERE id = @id)`,
    ).run({
      id,
      kind: ref.kind,
      channel: ref.channel,
      ts: ref.kind === 'message' ? ref.ts : null,
      user: ref.kind === 'ephemeral' ? ref.user : null,
    });
  }

  async pending(limit: number): Promise<string[]> {
    return this.prepare<[number], { id: string }>(
      // rowid is insertion order, and the status index holds equal keys in rowid order: the
      // oldest pending sends come straight off the index, with no sort of the whole backlog.
      "SELECT id FROM sends WHERE status = 'pending' ORDER BY rowid LIMIT ?",
    )
      .all(limit)
      .map((row) => row.id);
  }

  async interruptInFlight(interruption: { errorCode: string; reason: Sentence }): Promise<SendRecord[]> {
    return this.prepare<[Record<string, unknown>], Row>(
      `UPDATE sends SET status = 'unknown', error_code = @errorCode, error_status = NULL, reason_en = @reasonEn,
           reason_es = @reasonEs, updated_at = @now
         WHERE status = 'sending' RETURNING *`,
    )
      .all({
        errorCode: interruption.errorCode,
        reasonEn: interruption.reason.en,
        reasonEs: interruption.reason.es,
        now: this.stamp(),
      })
      .map(toRecord);
  }

  async history(requestedBy: string, limit: number): Promise<SendRecord[]> {
    return this.prepare<[string, number], Row>(
      'SELECT * FROM sends WHERE requested_by = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
    )
      .all(requestedBy, limit)
      .map(toRecord);
  }

  async countsByStatus(): Promise<StatusCounts> {
    const counts: Record<SendStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0 };
    const rows = this.prepare<[], { status: SendStatus; n: number }>(
      'SELECT status, COUNT(*) AS n FROM sends GROUP BY status',
    ).all();
    for (const { status, n } of rows) counts[status] = n;
    return counts;
  }

  async recentRecipients(limit: number): Promise<RecentRecipient[]> {
    // The label of each recipient's latest send: SQLite takes the bare column from the MAX() row.
    return this.prepare<[number], { id: string; label: string; lastSentAt: string }>(
      `SELECT recipient_id AS id, recipient_label AS label, MAX(created_at) AS lastSentAt
         FROM sends GROUP BY recipient_id ORDER BY lastSentAt DESC LIMIT ?`,
    ).all(limit);
  }

  async deleteOlderThan(before: Date): Promise<number> {
    // Pending and in-flight sends are kept whatever their age: deleting them would lose a card.
    return this.prepare(
      "DELETE FROM sends WHERE created_at < ? AND status IN ('sent', 'failed', 'unknown')",
    ).run(before.toISOString()).changes;
  }

  async saveDraft(draft: Readonly<{ id: string; userId: string; body: string }>): Promise<Draft> {
    const updatedAt = this.stamp();
    this.prepare(
      `INSERT INTO drafts (id, user_id, body, updated_at) VALUES (@id, @userId, @body, @updatedAt)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
    ).run({ ...draft, updatedAt });
    return { ...draft, updatedAt };
  }

  async getDraft(id: string): Promise<Draft | undefined> {
    return this.prepare<[string], Draft>(
      'SELECT id, user_id AS userId, body, updated_at AS updatedAt FROM drafts WHERE id = ?',
    ).get(id);
  }

  async deleteDraftsOlderThan(before: Date): Promise<number> {
    return this.prepare('DELETE FROM drafts WHERE updated_at < ?').run(before.toISOString()).changes;
  }

  async ping(): Promise<void> {
    this.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
