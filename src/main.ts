/**
 * Entry point: read `.env` (if any) and the environment once, then start the app. A bad
 * configuration or a failed start ends the process with a non-zero code and the reason.
 */
import { existsSync } from 'node:fs';
import { createRuntime } from './app.js';
import { ConfigError, loadConfig, secretsOf } from './config.js';
import { createLogger } from './logging.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  // Same rules as `node --env-file=.env`: variables already in the environment win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const runtime = createRuntime(config, logger);
  try {
    const { port, healthPort } = await runtime.start();
    logger.info(
      { mode: config.slack.mode, port, healthPort, dryRun: config.dryRun },
      'jelou-card is running',
    );
  } catch (error) {
    logger.fatal({ err: error }, 'jelou-card could not start');
    logger.flush();
    fail(`jelou-card could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const shutdown = async (signal: string) => {
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
    await runtime.stop();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

await main();
