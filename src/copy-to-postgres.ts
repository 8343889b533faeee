/**
 * `npm run copy-to-postgres -- file:./data/jelou-card.db postgres://user:password@host/db`: copies
 * a SQLite file's history into PostgreSQL (migrating both first). Run it with the app stopped, then
 * start the replicas with DATABASE_URL set to the PostgreSQL URL. Safe to run again.
 */
import { createLogger } from './logging.js';
import { copyHistory } from './store/copy.js';
import { isPostgresUrl, PostgresSendStore } from './store/postgres.js';
import { SqliteSendStore } from './store/sqlite.js';

const logger = createLogger({ level: 'info' });
const [from, to] = process.argv.slice(2);
if (!from || !to || isPostgresUrl(from) || !isPostgresUrl(to)) {
  logger.error(
    'usage: npm run copy-to-postgres -- file:./data/jelou-card.db postgres://user:password@host:5432/db',
  );
  process.exit(2);
}
const source = new SqliteSendStore(from);
const target = new PostgresSendStore(to);
try {
  const report = await copyHistory(source, target);
  logger.info(report, 'copied the history to PostgreSQL');
} catch (error) {
  logger.error({ err: error }, 'could not copy the history');
  process.exitCode = 1;
} finally {
  await source.close();
  await target.close();
}
