/** `npm run demo` is the first thing a new developer runs: it must keep working. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { repositoryRoot } from '../support/app-process.js';

it('runs the whole flow against the stand-ins and exits 0', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(repositoryRoot(), 'dist/demo/run.js')],
    {
      timeout: 60_000,
    },
  );
  expect(stdout).toContain('Slack opens the modal "Send contact card"');
  expect(stdout).toContain("María López · +593 99 123 4567   (from the bot's recent conversations)");
  expect(stdout).toContain('Jelou received: POST /v1/bots/bot-e2e/messages');
  expect(stdout).toContain('"formatted_name": "Juan Pérez"');
  expect(stdout).toMatch(/then: {2}:white_check_mark: Sent \*Juan Pérez\*/);
  expect(stdout).toContain('The app stopped cleanly (exit code 0)');
});
