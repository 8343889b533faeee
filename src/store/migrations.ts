/**
 * Schema migrations, oldest first. Migration N brings the file to `PRAGMA user_version = N`.
 * Append only: a released migration is never edited, since files in the field already ran it.
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
];
