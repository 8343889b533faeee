/**
 * The send store, once, for SQLite and PostgreSQL: Kysely builds every query for either dialect
 * and runs the migrations of src/store/migrations.ts with its migrator. Every state change is a
 * single guarded UPDATE … RETURNING, so a double click, a racing worker or another replica cannot
 * move a send twice. Timestamps are ISO-8601 text from this process's clock, so replicas of a
 * cluster need their clocks in step (NTP), as leases of tens of seconds tolerate a second of skew.
 */
import { randomUUID } from 'node:crypto';
import {
  type ColumnType,
  type Compilable,
  CompiledQuery,
  type Insertable,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  type Selectable,
  sql,
  type Transaction,
} from 'kysely';
import { LOCALES, type Locale, type Sentence } from '../errors.js';
import { MIGRATIONS, POSTGRES_MIGRATIONS } from './migrations.js';
import {
  type AwaitingReply,
  type AwaitOnCreate,
  type Created,
  type Deferral,
  type Draft,
  type NewSend,
  type NotificationRef,
  type OutboxBacklog,
  RECEIPTS,
  type Receipt,
  type RecentRecipient,
  type SendRecord,
  type SendResult,
  type SendStatus,
  type SendStore,
  type StatusCounts,
} from './types.js';

type Nullable<T> = T | null;

export interface SendsTable {
  id: string;
  status: SendStatus;
  team_id: Nullable<string>;
  requested_by: string;
  channel_id: string;
  recipient_id: string;
  recipient_label: string;
  card_name: string;
  body: string;
  dry_run: number;
  attempts: number;
  message_id: Nullable<string>;
  error_code: Nullable<string>;
  error_status: Nullable<number>;
  reason_en: Nullable<string>;
  reason_es: Nullable<string>;
  notify_kind: Nullable<'message' | 'ephemeral'>;
  notify_channel: Nullable<string>;
  notify_ts: Nullable<string>;
  notify_user: Nullable<string>;
  submission_key: Nullable<string>;
  batch_id: Nullable<string>;
  thread_ts: Nullable<string>;
  locale: ColumnType<string, string | undefined, string>;
  lease_owner: Nullable<string>;
  lease_until: Nullable<string>;
  next_attempt_at: Nullable<string>;
  retry_until: Nullable<string>;
  notify_version: ColumnType<number, number | undefined, number>;
  await_template: ColumnType<string | null, string | null | undefined, string | null>;
  template_message_id: ColumnType<string | null, string | null | undefined, string | null>;
  awaiting_since: ColumnType<string | null, string | null | undefined, string | null>;
  await_until: ColumnType<string | null, string | null | undefined, string | null>;
  replied_at: ColumnType<string | null, string | null | undefined, string | null>;
  receipt: ColumnType<Receipt | null, Receipt | null | undefined, Receipt | null>;
  created_at: string;
  updated_at: string;
}

export interface Schema {
  sends: SendsTable;
  drafts: { id: string; user_id: string; body: string; updated_at: string };
  cluster_leases: { name: string; owner: string; until: string };
  seen_signatures: { signature: string; expires_at: string };
}

type Row = Selectable<SendsTable>;
type Db = Kysely<Schema> | Transaction<Schema>;

export type Dialect = 'sqlite' | 'postgres';

/** The channel PostgreSQL replicas tell each other about new sends on. */
export const OUTBOX_CHANNEL = 'jelou_card_outbox';

/** Migration names sort in order: `0001`, `0002`, … */
export function migrationName(index: number): string {
  return String(index + 1).padStart(4, '0');
}

/** Each migration is a list of statements: better-sqlite3 prepares one statement at a time. */
function statementsOf(script: string): string[] {
  return script
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  const scripts = dialect === 'sqlite' ? MIGRATIONS : POSTGRES_MIGRATIONS;
  return {
    async getMigrations() {
      const migrations: Record<string, Migration> = {};
      scripts.forEach((script, index) => {
        migrations[migrationName(index)] = {
          async up(db) {
            for (const statement of statementsOf(script)) await sql.raw(statement).execute(db);
            // Kept in step, so a file's version reads the same to tools that only know the pragma.
            if (dialect === 'sqlite') await sql.raw(`PRAGMA user_version = ${index + 1}`).execute(db);
          },
        };
      });
      return migrations;
    },
  };
}

/** Runs every migration not yet run; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<Schema>, dialect: Dialect): Promise<number> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${String(error)}`, { cause: error });
  }
  return MIGRATIONS.length;
}

function notificationOf(row: Row): NotificationRef | undefined {
  if (row.notify_kind === 'message' && row.notify_channel && row.notify_ts) {
    return { kind: 'message', channel: row.notify_channel, ts: row.notify_ts };
  }
  if (row.notify_kind === 'ephemeral' && row.notify_channel && row.notify_user) {
    return { kind: 'ephemeral', channel: row.notify_channel, user: row.notify_user };
  }
  return undefined;
}

function awaitingOf(row: Row): AwaitingReply | undefined {
  if (row.await_template === null || row.awaiting_since === null || row.await_until === null)
    return undefined;
  return {
    template: row.await_template,
    since: row.awaiting_since,
    until: row.await_until,
    templateMessageId: row.template_message_id ?? undefined,
  };
}

/** A language this build no longer speaks (a row from a newer or older build) reads as English. */
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
    dryRun: Number(row.dry_run) === 1,
    locale: localeOf(row.locale),
    attempts: Number(row.attempts),
    messageId: row.message_id ?? undefined,
    errorCode: row.error_code ?? undefined,
    errorStatus: row.error_status === null ? undefined : Number(row.error_status),
    reason:
      row.reason_en !== null && row.reason_es !== null ? { en: row.reason_en, es: row.reason_es } : undefined,
    notification: notificationOf(row),
    submissionKey: row.submission_key ?? undefined,
    batchId: row.batch_id ?? undefined,
    threadTs: row.thread_ts ?? undefined,
    nextAttemptAt: row.status === 'pending' ? (row.next_attempt_at ?? undefined) : undefined,
    retryUntil: row.retry_until ?? undefined,
    awaiting: awaitingOf(row),
    repliedAt: row.replied_at ?? undefined,
    receipt: row.receipt ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type SqlStoreOptions = Readonly<{
  dialect: Dialect;
  /**
   * True when this process is the only one using the database (a SQLite file): a send another
   * owner left `sending` was cut off by that owner's end, whatever its lease says.
   */
  exclusive: boolean;
  now?: (() => Date) | undefined;
  /** How long a claim holds a send before another replica may call it cut off. */
  leaseMs?: number | undefined;
  /** Subscribes to other replicas' news of work (PostgreSQL's LISTEN); absent where there are none. */
  listen?: ((onWork: () => void) => Promise<() => Promise<void>>) | undefined;
}>;

/** Marks an argument's place in a kept query; no real value starts with a NUL character. */
const ARG = '\u0000arg:';

/** Thirty seconds: renewed every ten, so a busy event loop or a slow query does not lose it. */
export const DEFAULT_LEASE_MS = 30_000;

export class SqlSendStore implements SendStore {
  readonly owner = randomUUID();
  readonly #db: Kysely<Schema>;
  readonly #dialect: Dialect;
  readonly #exclusive: boolean;
  readonly #now: () => Date;
  readonly #leaseMs: number;
  readonly #listen: SqlStoreOptions['listen'];
  readonly #ready: Promise<void>;
  /** The outbox notification on its way (PostgreSQL), and the one queued after it. */
  #notifying: Promise<void> | undefined;
  #notifyNext: Promise<void> | undefined;
  readonly #templates = new Map<
    string,
    { sql: string; parameters: ({ arg: number } | { value: unknown })[] }
  >();

  constructor(db: Kysely<Schema>, options: SqlStoreOptions) {
    this.#db = db;
    this.#dialect = options.dialect;
    this.#exclusive = options.exclusive;
    this.#now = options.now ?? (() => new Date());
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#listen = options.listen;
    this.#ready = migrateToLatest(db, options.dialect).then(() => undefined);
    // Callers see a failed migration on their first query; this only keeps it from being unhandled.
    this.#ready.catch(() => {});
  }

  /** Resolves once the schema is current; rejects with the migration's error. */
  ready(): Promise<void> {
    return this.#ready;
  }

  get dialect(): Dialect {
    return this.#dialect;
  }

  /** The database, once migrated; for the code that copies a SQLite file's history. */
  async database(): Promise<Kysely<Schema>> {
    await this.#ready;
    return this.#db;
  }

  async #use(): Promise<Kysely<Schema>> {
    await this.#ready;
    return this.#db;
  }

  #stamp(offsetMs = 0): string {
    return new Date(this.#now().getTime() + offsetMs).toISOString();
  }

  /** Insertion order: SQLite's rowid, PostgreSQL's identity column. */
  #order() {
    return this.#dialect === 'sqlite' ? sql`rowid` : sql`seq`;
  }

  /**
   * Runs a query built once and kept compiled: Kysely builds and compiles a query on every call,
   * which tripled the store's work per card on SQLite. `build` receives stand-ins for the
   * arguments; each call substitutes `args` for them. Only for queries whose shape never changes.
   */
  /**
   * The columns of a send ending `status` for a coded reason the app gives (no HTTP status). Like
   * any result, it is this replica's until its message shows it (`shown`): a crash or a Slack
   * failure before that leaves it for a sweep to show (`takeUnshown`).
   */
  #ended(status: 'failed' | 'unknown', why: { errorCode: string; reason: Sentence }) {
    return {
      status,
      error_code: why.errorCode,
      error_status: null,
      reason_en: why.reason.en,
      reason_es: why.reason.es,
      lease_owner: this.owner,
      lease_until: this.#stamp(this.#leaseMs),
      updated_at: this.#stamp(),
    };
  }

  async #template<R>(
    db: Db,
    key: string,
    build: (arg: (index: number) => never) => Compilable<R>,
    args: readonly unknown[],
  ): Promise<R[]> {
    let template = this.#templates.get(key);
    if (!template) {
      const compiled = build((index) => `${ARG}${index}` as never).compile();
      template = {
        sql: compiled.sql,
        parameters: compiled.parameters.map((value) =>
          typeof value === 'string' && value.startsWith(ARG)
            ? { arg: Number(value.slice(ARG.length)) }
            : { value },
        ),
      };
      this.#templates.set(key, template);
    }
    const parameters = template.parameters.map((p) => ('arg' in p ? args[p.arg] : p.value));
    const result = await db.executeQuery<R>(CompiledQuery.raw(template.sql, parameters));
    return result.rows;
  }

  async create(send: NewSend): Promise<Created> {
    const db = await this.#use();
    return this.#insert(db, send);
  }

  async createMany(sends: readonly (NewSend & AwaitOnCreate)[]): Promise<Created[]> {
    const db = await this.#use();
    // One send is one INSERT, atomic on its own: a transaction around it would only add BEGIN and
    // COMMIT (on PostgreSQL two more round trips, on a connection held for them).
    const [only] = sends;
    if (sends.length === 1 && only) return [await this.#insert(db, only)];
    const created = await db.transaction().execute(async (trx) => {
      const results: Created[] = [];
      for (const send of sends) results.push(await this.#insert(trx, send));
      return results;
    });
    return created;
  }

  async announce(): Promise<void> {
    await this.#announce();
  }

  /**
   * Wakes other replicas' outboxes; they poll as well, so a lost notification only costs time.
   * Calls made while a notification is on its way share the one sent after it: each call still
   * resolves only once a notification sent after it was made has gone, and a burst of Sends costs
   * two round trips (and wakes every listener twice), not one each.
   */
  #announce(): Promise<void> {
    if (this.#dialect !== 'postgres') return Promise.resolve();
    const going = this.#notifying;
    if (going === undefined) return this.#notify();
    this.#notifyNext ??= going
      .catch(() => undefined)
      .then(() => {
        this.#notifyNext = undefined;
        return this.#notify();
      });
    return this.#notifyNext;
  }

  #notify(): Promise<void> {
    const notifying = this.#use()
      .then((db) => sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`.execute(db))
      .then(() => undefined)
      .finally(() => {
        if (this.#notifying === notifying) this.#notifying = undefined;
      });
    this.#notifying = notifying;
    return notifying;
  }

  async #insert(db: Db, send: NewSend & AwaitOnCreate): Promise<Created> {
    const now = this.#stamp();
    const wait = send.awaitReply;
    // Every column always, so one prepared statement serves sends that wait and sends that do not.
    const values: Insertable<SendsTable> = {
      id: randomUUID(),
      status: wait ? 'awaiting_reply' : 'pending',
      await_template: wait?.template ?? null,
      awaiting_since: wait ? now : null,
      await_until: wait?.until.toISOString() ?? null,
      team_id: send.teamId ?? null,
      requested_by: send.requestedBy,
      channel_id: send.channelId,
      recipient_id: send.recipientId,
      recipient_label: send.recipientLabel,
      card_name: send.cardName,
      body: send.body,
      dry_run: send.dryRun ? 1 : 0,
      attempts: 0,
      submission_key: send.submissionKey ?? null,
      batch_id: send.batchId ?? null,
      thread_ts: send.threadTs ?? null,
      locale: send.locale,
      created_at: now,
      updated_at: now,
    };
    const [row] = await this.#template(
      db,
      'insert',
      (arg) =>
        db
          .insertInto('sends')
          .values(Object.fromEntries(Object.keys(values).map((key, index) => [key, arg(index)])) as never)
          .onConflict((conflict) =>
            conflict.column('submission_key').where('submission_key', 'is not', null).doNothing(),
          )
          .returningAll(),
      Object.values(values),
    );
    if (row) return { send: toRecord(row), created: true };
    const [existing] = await this.#template(
      db,
      'by-submission',
      (arg) => db.selectFrom('sends').selectAll().where('submission_key', '=', arg(0)),
      [send.submissionKey ?? null],
    );
    if (!existing) throw new Error('a send conflicted on its submission key but none was found');
    return { send: toRecord(existing), created: false };
  }

  async batch(batchId: string): Promise<SendRecord[]> {
    const db = await this.#use();
    const rows = await db
      .selectFrom('sends')
      .selectAll()
      .where('batch_id', '=', batchId)
      .orderBy(this.#order())
      .execute();
    return rows.map(toRecord);
  }

  async get(id: string): Promise<SendRecord | undefined> {
    const db = await this.#use();
    const [row] = await this.#template(
      db,
      'get',
      (arg) => db.selectFrom('sends').selectAll().where('id', '=', arg(0)),
      [id],
    );
    return row ? toRecord(row) : undefined;
  }

  async claim(id: string): Promise<SendRecord | undefined> {
    const db = await this.#use();
    const [row] = await this.#template(
      db,
      'claim',
      (arg) =>
        db
          .updateTable('sends')
          .set((eb) => ({
            status: 'sending',
            attempts: eb('attempts', '+', 1),
            lease_owner: arg(0),
            lease_until: arg(1),
            updated_at: arg(2),
          }))
          .where('id', '=', arg(3))
          .where('status', '=', 'pending')
          .returningAll(),
      [this.owner, this.#stamp(this.#leaseMs), this.#stamp(), id],
    );
    return row ? toRecord(row) : undefined;
  }

  async claimDue(limit: number): Promise<SendRecord[]> {
    const db = await this.#use();
    const now = this.#stamp();
    // PostgreSQL: rows another replica is claiming right now are skipped, not waited for. SQLite
    // has one writer at a time, so the same statement is already exclusive there. Materialised, so
    // the planner runs the limited selection once rather than once per row it updates.
    const rows = await this.#template(
      db,
      'claim-due',
      (arg) =>
        db
          .with(
            (cte) => cte('due').materialized(),
            (query) =>
              query
                .selectFrom('sends')
                .select('id')
                .where('status', '=', 'pending')
                .where((eb) =>
                  eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', arg(0))]),
                )
                .orderBy(this.#order())
                .limit(arg(1))
                .$if(this.#dialect === 'postgres', (q) => q.forUpdate().skipLocked()),
          )
          .updateTable('sends')
          .from('due')
          .set((eb) => ({
            status: 'sending',
            attempts: eb('sends.attempts', '+', 1),
            lease_owner: arg(2),
            lease_until: arg(3),
            updated_at: arg(0),
          }))
          .whereRef('sends.id', '=', 'due.id')
          .where('sends.status', '=', 'pending')
          .returningAll(),
      [now, limit, this.owner, this.#stamp(this.#leaseMs)],
    );
    return rows.map(toRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async renewLeases(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const db = await this.#use();
    const rows = await db
      .updateTable('sends')
      .set({ lease_until: this.#stamp(this.#leaseMs) })
      .where('id', 'in', [...ids])
      // A finished send stays leased until its message shows the result.
      .where('status', 'in', ['sending', 'sent', 'failed', 'unknown'])
      .where('lease_owner', '=', this.owner)
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }

  async finish(id: string, result: SendResult): Promise<SendRecord> {
    const db = await this.#use();
    const failure = result.status === 'sent' ? undefined : result;
    const [row] = await this.#template(
      db,
      'finish',
      (arg) =>
        db
          .updateTable('sends')
          .set({
            status: arg(0),
            message_id: arg(1),
            error_code: arg(2),
            error_status: arg(3),
            reason_en: arg(4),
            reason_es: arg(5),
            // Kept (and renewed) until the message shows the result: see `shown` and `takeUnshown`.
            lease_owner: arg(8),
            lease_until: arg(9),
            next_attempt_at: null,
            retry_until: null,
            updated_at: arg(6),
          })
          .where('id', '=', arg(7))
          .where('status', '=', 'sending')
          .where('lease_owner', '=', arg(8))
          .returningAll(),
      [
        result.status,
        result.status === 'sent' ? result.messageId : null,
        failure?.errorCode ?? null,
        failure?.errorStatus ?? null,
        failure?.reason.en ?? null,
        failure?.reason.es ?? null,
        this.#stamp(),
        id,
        this.owner,
        this.#stamp(this.#leaseMs),
      ],
    );
    if (!row) throw new Error(`send ${id} was not in flight here, so its result cannot be recorded`);
    return toRecord(row);
  }

  async defer(id: string, deferral: Deferral): Promise<SendRecord> {
    const db = await this.#use();
    const row = await db
      .updateTable('sends')
      .set((eb) => ({
        status: 'pending',
        error_code: deferral.errorCode,
        error_status: deferral.errorStatus ?? null,
        reason_en: deferral.reason.en,
        reason_es: deferral.reason.es,
        lease_owner: null,
        lease_until: null,
        next_attempt_at: deferral.nextAttemptAt.toISOString(),
        // The window opens at the first deferral and is never pushed back by later ones.
        retry_until: eb.fn.coalesce('retry_until', eb.val(deferral.retryUntil.toISOString())),
        updated_at: this.#stamp(),
      }))
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('lease_owner', '=', this.owner)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new Error(`send ${id} was not in flight here, so it cannot wait for another attempt`);
    return toRecord(row);
  }

  async requeue(id: string): Promise<SendRecord | undefined> {
    const db = await this.#use();
    const row = await db
      .updateTable('sends')
      .set({
        status: 'pending',
        error_code: null,
        error_status: null,
        reason_en: null,
        reason_es: null,
        next_attempt_at: null,
        retry_until: null,
        await_template: null,
        template_message_id: null,
        awaiting_since: null,
        await_until: null,
        replied_at: null,
        receipt: null,
        updated_at: this.#stamp(),
      })
      .where('id', '=', id)
      .where('status', 'in', ['failed', 'unknown'])
      .returningAll()
      .executeTakeFirst();
    // The row has changed: a notice that cannot be sent now only costs the other replicas a poll.
    if (row) await this.#announce().catch(() => undefined);
    return row ? toRecord(row) : undefined;
  }

  /**
   * `pending → failed` for a send waiting out an outage, when a person cancels it; `undefined`
   * when it is not waiting (already being sent, or finished).
   */
  async cancelWaiting(
    id: string,
    reason: { errorCode: string; reason: Sentence },
  ): Promise<SendRecord | undefined> {
    const db = await this.#use();
    const row = await db
      .updateTable('sends')
      .set({ ...this.#ended('failed', reason), next_attempt_at: null, retry_until: null })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('retry_until', 'is not', null)]),
          eb('status', '=', 'awaiting_reply'),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async awaitReply(id: string, wait: { template: string; until: Date }): Promise<SendRecord | undefined> {
    const db = await this.#use();
    const now = this.#stamp();
    const row = await db
      .updateTable('sends')
      .set({
        status: 'awaiting_reply',
        await_template: wait.template,
        template_message_id: null,
        awaiting_since: now,
        await_until: wait.until.toISOString(),
        replied_at: null,
        error_code: null,
        error_status: null,
        reason_en: null,
        reason_es: null,
        next_attempt_at: null,
        retry_until: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async templateSent(id: string, messageId: string): Promise<SendRecord | undefined> {
    const db = await this.#use();
    const row = await db
      .updateTable('sends')
      .set({ template_message_id: messageId, updated_at: this.#stamp() })
      .where('id', '=', id)
      .where('status', '=', 'awaiting_reply')
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async templateUnconfirmed(
    id: string,
    doubt: { errorCode: string; reason: Sentence },
  ): Promise<SendRecord | undefined> {
    const db = await this.#use();
    const row = await db
      .updateTable('sends')
      .set({
        error_code: doubt.errorCode,
        reason_en: doubt.reason.en,
        reason_es: doubt.reason.es,
        updated_at: this.#stamp(),
      })
      .where('id', '=', id)
      .where('status', '=', 'awaiting_reply')
      .where('template_message_id', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async templateRefused(
    id: string,
    failure: { errorCode: string; reason: Sentence },
  ): Promise<SendRecord | undefined> {
    const db = await this.#use();
    const row = await db
      .updateTable('sends')
      .set(this.#ended('failed', failure))
      .where('id', '=', id)
      .where('status', '=', 'awaiting_reply')
      .where('template_message_id', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async templateFailed(
    templateMessageId: string,
    failure: { errorCode: string; reason: Sentence },
  ): Promise<SendRecord | undefined> {
    const db = await this.#use();
    const row = await db
      .updateTable('sends')
      .set(this.#ended('failed', failure))
      .where('template_message_id', '=', templateMessageId)
      .where('status', '=', 'awaiting_reply')
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async replied(recipientId: string, at: Date): Promise<SendRecord[]> {
    const db = await this.#use();
    const now = this.#stamp();
    const rows = await db
      .updateTable('sends')
      .set({ status: 'pending', replied_at: at.toISOString(), updated_at: now })
      .where('recipient_id', '=', recipientId)
      .where('status', '=', 'awaiting_reply')
      // A message from before the template (history read late, an event delivered late) is not an answer.
      .where('awaiting_since', '<=', at.toISOString())
      .returningAll()
      .execute();
    // As in requeue: the rows have changed whether or not the notice goes out.
    if (rows.length > 0) await this.#announce().catch(() => undefined);
    return rows.map(toRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async awaitingByTemplate(messageId: string): Promise<SendRecord | undefined> {
    const db = await this.#use();
    const row = await db
      .selectFrom('sends')
      .selectAll()
      .where('template_message_id', '=', messageId)
      .where('status', '=', 'awaiting_reply')
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async awaitedRecipients(limit: number): Promise<{ recipientId: string; since: string }[]> {
    const db = await this.#use();
    const rows = await db
      .selectFrom('sends')
      .select((eb) => ['recipient_id', eb.fn.min('awaiting_since').as('since')])
      .where('status', '=', 'awaiting_reply')
      .groupBy('recipient_id')
      .orderBy('since')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ recipientId: row.recipient_id, since: String(row.since) }));
  }

  async expireAwaiting(failure: { errorCode: string; reason: Sentence }): Promise<SendRecord[]> {
    const db = await this.#use();
    const ended = this.#ended('failed', failure);
    const rows = await db
      .updateTable('sends')
      .set(ended)
      .where('status', '=', 'awaiting_reply')
      .where('await_until', '<', ended.updated_at)
      .returningAll()
      .execute();
    return rows.map(toRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async recordReceipt(messageId: string, receipt: Receipt): Promise<SendRecord | undefined> {
    const db = await this.#use();
    // Only receipts behind this one are replaced: duplicates and late, out-of-order events change nothing.
    const behind = RECEIPTS.slice(0, RECEIPTS.indexOf(receipt));
    const row = await db
      .updateTable('sends')
      .set({ receipt, updated_at: this.#stamp() })
      .where('message_id', '=', messageId)
      .where('status', '=', 'sent')
      .where((eb) =>
        behind.length > 0
          ? eb.or([eb('receipt', 'is', null), eb('receipt', 'in', behind)])
          : eb('receipt', 'is', null),
      )
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async receiptsToPoll(since: Date, limit: number): Promise<SendRecord[]> {
    const db = await this.#use();
    const rows = await db
      .selectFrom('sends')
      .selectAll()
      .where('status', '=', 'sent')
      .where('dry_run', '=', 0)
      .where('message_id', 'is not', null)
      .where('created_at', '>=', since.toISOString())
      .where((eb) =>
        eb.or([eb('receipt', 'is', null), eb('receipt', 'in', ['delivered_channel', 'delivered_user'])]),
      )
      .orderBy('updated_at')
      .limit(limit)
      .execute();
    if (rows.length === 0) return [];
    // Looked at now: the next round starts with others, so a few slow cards do not starve the rest.
    await db
      .updateTable('sends')
      .set({ updated_at: this.#stamp() })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .where('status', '=', 'sent')
      .execute();
    return rows.map(toRecord);
  }

  async failedAfterAcceptance(
    messageId: string,
    failure: { errorCode: string; reason: Sentence },
  ): Promise<SendRecord | undefined> {
    const db = await this.#use();
    const row = await db
      .updateTable('sends')
      .set(this.#ended('failed', failure))
      .where('message_id', '=', messageId)
      .where('status', '=', 'sent')
      .where('dry_run', '=', 0)
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async setNotification(id: string, ref: NotificationRef): Promise<void> {
    const db = await this.#use();
    await this.#template(
      db,
      'set-notification',
      (arg) =>
        db
          .updateTable('sends')
          .set({
            notify_kind: arg(0),
            notify_channel: arg(1),
            notify_ts: arg(2),
            notify_user: arg(3),
          })
          .where((eb) =>
            eb.or([
              eb('id', '=', arg(4)),
              eb(
                'batch_id',
                '=',
                eb.selectFrom('sends as own').select('own.batch_id').where('own.id', '=', arg(4)),
              ),
            ]),
          ),
      [
        ref.kind,
        ref.channel,
        ref.kind === 'message' ? ref.ts : null,
        ref.kind === 'ephemeral' ? ref.user : null,
        id,
      ],
    );
  }

  async pending(limit: number): Promise<string[]> {
    const db = await this.#use();
    const now = this.#stamp();
    const rows = await this.#template(
      db,
      'pending',
      (arg) =>
        db
          .selectFrom('sends')
          .select('id')
          .where('status', '=', 'pending')
          .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', arg(0))]))
          .orderBy(this.#order())
          .limit(arg(1)),
      [now, limit],
    );
    return rows.map((row) => row.id);
  }

  async interruptInFlight(interruption: { errorCode: string; reason: Sentence }): Promise<SendRecord[]> {
    const db = await this.#use();
    const ended = this.#ended('unknown', interruption);
    const now = ended.updated_at;
    const rows = await db
      .updateTable('sends')
      .set({
        ...ended,
        next_attempt_at: null,
        retry_until: null,
      })
      .where('status', '=', 'sending')
      // Never this owner's own sends: they are still being worked on here.
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '<>', this.owner)]))
      .$if(!this.#exclusive, (query) =>
        query.where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)])),
      )
      .returningAll()
      .execute();
    return rows.map(toRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async shown(id: string): Promise<void> {
    const db = await this.#use();
    await this.#template(
      db,
      'shown',
      (arg) =>
        db
          .updateTable('sends')
          .set({ lease_owner: null, lease_until: null })
          .where('id', '=', arg(0))
          .where('status', 'in', ['sent', 'failed', 'unknown'])
          .where('lease_owner', '=', arg(1)),
      [id, this.owner],
    );
  }

  async takeUnshown(): Promise<SendRecord[]> {
    const db = await this.#use();
    const now = this.#stamp();
    const rows = await db
      .updateTable('sends')
      // Taken over, and held until shown: a show that fails here is taken again later.
      .set({ lease_owner: this.owner, lease_until: this.#stamp(this.#leaseMs) })
      .where('status', 'in', ['sent', 'failed', 'unknown'])
      .where('lease_owner', 'is not', null)
      // A lease that ran out, this replica's own included (a show that failed here); on a SQLite
      // file, which one process owns, also any other owner's (a process before this one).
      .where((eb) =>
        this.#exclusive
          ? eb.or([eb('lease_owner', '<>', this.owner), eb('lease_until', '<', now)])
          : eb('lease_until', '<', now),
      )
      .returningAll()
      .execute();
    return rows.map(toRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async listen(onWork: () => void): Promise<() => Promise<void>> {
    if (!this.#listen) return async () => {};
    return this.#listen(onWork);
  }

  async history(requestedBy: string, limit: number): Promise<SendRecord[]> {
    const db = await this.#use();
    const rows = await db
      .selectFrom('sends')
      .selectAll()
      .where('requested_by', '=', requestedBy)
      .orderBy('created_at', 'desc')
      .orderBy(this.#order(), 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async countsByStatus(): Promise<StatusCounts> {
    const db = await this.#use();
    const counts: Record<SendStatus, number> = {
      pending: 0,
      sending: 0,
      sent: 0,
      failed: 0,
      unknown: 0,
      awaiting_reply: 0,
    };
    const rows = await db
      .selectFrom('sends')
      .select((eb) => ['status', eb.fn.countAll().as('n')])
      .groupBy('status')
      .execute();
    // PostgreSQL counts in bigint, which node-postgres hands over as a string.
    for (const { status, n } of rows) counts[status] = Number(n);
    return counts;
  }

  async backlog(): Promise<OutboxBacklog> {
    const db = await this.#use();
    const row = await db
      .selectFrom('sends')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return { pending: Number(row?.n ?? 0), oldestPendingAt: row?.oldest ?? undefined };
  }

  async recentRecipients(limit: number): Promise<RecentRecipient[]> {
    const db = await this.#use();
    // Each recipient's latest send gives its label: a window over the recipient index, in both dialects.
    const latest = db
      .selectFrom('sends')
      .select([
        'recipient_id',
        'recipient_label',
        'created_at',
        sql<number>`ROW_NUMBER() OVER (PARTITION BY recipient_id ORDER BY created_at DESC, ${this.#order()} DESC)`.as(
          'rank',
        ),
      ])
      .as('latest');
    const rows = await db
      .selectFrom(latest)
      .select(['recipient_id as id', 'recipient_label as label', 'created_at as lastSentAt'])
      .where('rank', '=', 1)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows;
  }

  async deleteOlderThan(before: Date): Promise<number> {
    const db = await this.#use();
    // Pending and in-flight sends are kept whatever their age: deleting them would lose a card.
    const result = await db
      .deleteFrom('sends')
      .where('created_at', '<', before.toISOString())
      .where('status', 'in', ['sent', 'failed', 'unknown'])
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async saveDraft(draft: Readonly<{ id: string; userId: string; body: string }>): Promise<Draft> {
    const db = await this.#use();
    const updatedAt = this.#stamp();
    await db
      .insertInto('drafts')
      .values({ id: draft.id, user_id: draft.userId, body: draft.body, updated_at: updatedAt })
      .onConflict((conflict) =>
        conflict.column('id').doUpdateSet((eb) => ({
          body: eb.ref('excluded.body'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    return { ...draft, updatedAt };
  }

  async getDraft(id: string): Promise<Draft | undefined> {
    const db = await this.#use();
    return db
      .selectFrom('drafts')
      .select(['id', 'user_id as userId', 'body', 'updated_at as updatedAt'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async deleteDraftsOlderThan(before: Date): Promise<number> {
    const db = await this.#use();
    const result = await db
      .deleteFrom('drafts')
      .where('updated_at', '<', before.toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async tryLease(name: string, ttlMs: number): Promise<boolean> {
    const db = await this.#use();
    const now = this.#stamp();
    const row = await db
      .insertInto('cluster_leases')
      .values({ name, owner: this.owner, until: this.#stamp(ttlMs) })
      .onConflict((conflict) =>
        conflict
          .column('name')
          .doUpdateSet((eb) => ({ owner: eb.ref('excluded.owner'), until: eb.ref('excluded.until') }))
          .where((eb) =>
            eb.or([eb('cluster_leases.owner', '=', this.owner), eb('cluster_leases.until', '<', now)]),
          ),
      )
      .returning('owner')
      .executeTakeFirst();
    return row?.owner === this.owner;
  }

  async releaseLease(name: string): Promise<void> {
    const db = await this.#use();
    await db.deleteFrom('cluster_leases').where('name', '=', name).where('owner', '=', this.owner).execute();
  }

  async rememberSignature(signature: string, expiresAt: Date): Promise<boolean> {
    const db = await this.#use();
    // An expired entry is a signature Slack's clock window would refuse anyway: reuse its row.
    const [row] = await this.#template(
      db,
      'remember-signature',
      (arg) =>
        db
          .insertInto('seen_signatures')
          .values({ signature: arg(0), expires_at: arg(1) })
          .onConflict((conflict) =>
            conflict
              .column('signature')
              .doUpdateSet((eb) => ({ expires_at: eb.ref('excluded.expires_at') }))
              .where('seen_signatures.expires_at', '<', arg(2)),
          )
          .returning('signature'),
      [signature, expiresAt.toISOString(), this.#stamp()],
    );
    return row !== undefined;
  }

  /** Forgets signatures past their expiry; returns how many. */
  async forgetExpiredSignatures(): Promise<number> {
    const db = await this.#use();
    const result = await db
      .deleteFrom('seen_signatures')
      .where('expires_at', '<', this.#stamp())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async ping(): Promise<void> {
    const db = await this.#use();
    await sql`SELECT 1`.execute(db);
  }

  async close(): Promise<void> {
    await this.#ready.catch(() => {});
    await this.#db.destroy();
  }
}
