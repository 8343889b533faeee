/**
 * Schema migrations, oldest first, for SQLite (`MIGRATIONS`) and PostgreSQL (`POSTGRES_MIGRATIONS`):
 * entry N of each list brings its database to the same schema version N, so one set of queries
 * (src/store/sql.ts) serves both. Kysely's migrator runs them and records each by name; SQLite
 * files from before it kept their version in `PRAGMA user_version`, which is still set, and read
 * once to adopt such a file. Append only, to both lists: a released migration is never edited.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the sends table — one row per card sent to one WhatsApp user.
  `CREATE TABLE sends (
     id TEXT PRIMARY KEY,
     status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
     team_id TEXT,
     requested_by TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     recipient_id TEXT NOT NULL,
     recipient_label TEXT NOT NULL,
     card_name TEXT NOT NULL,
     body TEXT NOT NULL,
     dry_run INTEGER NOT NULL DEFAULT 0,
     attempts INTEGER NOT NULL DEFAULT 0,
     message_id TEXT,
     error_code TEXT,
     error_status INTEGER,
     reason_en TEXT,
     reason_es TEXT,
     notify_kind TEXT CHECK (notify_kind IN ('message', 'ephemeral')),
     notify_channel TEXT,
     notify_ts TEXT,
     notify_user TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX sends_by_status ON sends (status);
   CREATE INDEX sends_by_requester ON sends (requested_by, created_at);
   CREATE INDEX sends_by_created ON sends (created_at);`,
  // 2: one send per submission (a double-clicked Send must not send twice), and recent recipients.
  `ALTER TABLE sends ADD COLUMN submission_key TEXT;
   CREATE UNIQUE INDEX sends_by_submission ON sends (submission_key) WHERE submission_key IS NOT NULL;
   CREATE INDEX sends_by_recipient ON sends (recipient_id, created_at);`,
  // 3: one card to several WhatsApp users (a batch shares one notification), and drafts: the
  // cards being put together in a modal, too large for a view's 3,000-character metadata.
  `ALTER TABLE sends ADD COLUMN batch_id TEXT;
   CREATE INDEX sends_by_batch ON sends (batch_id) WHERE batch_id IS NOT NULL;
   CREATE TABLE drafts (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     body TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX drafts_by_updated ON drafts (updated_at);`,
  // 4: the requester's UI language, so the notification, recovery and Retry speak it without asking
  // Slack again. Sends recorded before it were notified in English, the only language then.
  `ALTER TABLE sends ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';`,
  // 5: the thread a send's result is posted in (a card sent from a message's shortcut).
  `ALTER TABLE sends ADD COLUMN thread_ts TEXT;`,
  // 6: several replicas share the outbox. A claimed send carries its owner and a lease the owner
  // renews; a send whose lease ran out was cut off by a crash. A send Jelou certainly did not take
  // waits for its next attempt until its retry window closes. Cluster leases elect the one replica
  // that runs a periodic job; seen signatures refuse a replayed request at any replica.
  `ALTER TABLE sends ADD COLUMN lease_owner TEXT;
   ALTER TABLE sends ADD COLUMN lease_until TEXT;
   ALTER TABLE sends ADD COLUMN next_attempt_at TEXT;
   ALTER TABLE sends ADD COLUMN retry_until TEXT;
   ALTER TABLE sends ADD COLUMN notify_version INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE cluster_leases (
     name TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     until TEXT NOT NULL
   ) STRICT;
   CREATE TABLE seen_signatures (
     signature TEXT PRIMARY KEY,
     expires_at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX seen_signatures_by_expiry ON seen_signatures (expires_at);`,
  // 7: finished sends stay leased until their message shows the result; every sweep looks for
  // those whose owner is gone, and they are few among all the history kept.
  `CREATE INDEX sends_leased ON sends (lease_until) WHERE lease_owner IS NOT NULL;`,
];

/**
 * The same schema on PostgreSQL. Timestamps stay ISO-8601 text, as on SQLite: they sort as they
 * compare, and one set of queries then reads and writes both. `seq` keeps insertion order, which
 * SQLite has as `rowid`.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE sends (
     id TEXT PRIMARY KEY,
     seq BIGINT GENERATED ALWAYS AS IDENTITY,
     status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
     team_id TEXT,
     requested_by TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     recipient_id TEXT NOT NULL,
     recipient_label TEXT NOT NULL,
     card_name TEXT NOT NULL,
     body TEXT NOT NULL,
     dry_run INTEGER NOT NULL DEFAULT 0,
     attempts INTEGER NOT NULL DEFAULT 0,
     message_id TEXT,
     error_code TEXT,
     error_status INTEGER,
     reason_en TEXT,
     reason_es TEXT,
     notify_kind TEXT CHECK (notify_kind IN ('message', 'ephemeral')),
     notify_channel TEXT,
     notify_ts TEXT,
     notify_user TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE UNIQUE INDEX sends_by_seq ON sends (seq);
   CREATE INDEX sends_by_status ON sends (status, seq);
   CREATE INDEX sends_by_requester ON sends (requested_by, created_at);
   CREATE INDEX sends_by_created ON sends (created_at);`,
  `ALTER TABLE sends ADD COLUMN submission_key TEXT;
   CREATE UNIQUE INDEX sends_by_submission ON sends (submission_key) WHERE submission_key IS NOT NULL;
   CREATE INDEX sends_by_recipient ON sends (recipient_id, created_at);`,
  `ALTER TABLE sends ADD COLUMN batch_id TEXT;
   CREATE INDEX sends_by_batch ON sends (batch_id) WHERE batch_id IS NOT NULL;
   CREATE TABLE drafts (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     body TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX drafts_by_updated ON drafts (updated_at);`,
  `ALTER TABLE sends ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';`,
  `ALTER TABLE sends ADD COLUMN thread_ts TEXT;`,
  `ALTER TABLE sends ADD COLUMN lease_owner TEXT;
   ALTER TABLE sends ADD COLUMN lease_until TEXT;
   ALTER TABLE sends ADD COLUMN next_attempt_at TEXT;
   ALTER TABLE sends ADD COLUMN retry_until TEXT;
   ALTER TABLE sends ADD COLUMN notify_version INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE cluster_leases (
     name TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     until TEXT NOT NULL
   );
   CREATE TABLE seen_signatures (
     signature TEXT PRIMARY KEY,
     expires_at TEXT NOT NULL
   );
   CREATE INDEX seen_signatures_by_expiry ON seen_signatures (expires_at);`,
  `CREATE INDEX sends_leased ON sends (lease_until) WHERE lease_owner IS NOT NULL;`,
];
