/**
 * Child Node processes for the benchmark: the real app (`dist/src/main.js`) and the baselines
 * (minimal-app.ts, floor-app.ts), each spawned in an empty folder and ready when it logs its port. Every child is registered
 * so that `killAll` (run on exit, on a signal and on failure) leaves none behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/** Lines of output kept for an error message; the rest is read and dropped so the pipe never fills. */
const KEPT_LINES = 50;

export type NodeProcess = Readonly<{
  pid: number;
  port: number;
  /** From just before spawn() to the ready line arriving here. */
  readyMs: number;
  eventsUrl: string;
  /** Lines written to stdout so far. */
  lines(): number;
  /** Log lines at error level or above (pino level ≥ 50) seen so far. */
  errorLines(): number;
  /** The last lines of output, for an error message. */
  tail(): string;
  /** Resident set size now, from /proc/<pid>/status, in KiB. */
  rssKib(): number;
  /** Peak resident set size (VmHWM), in KiB. */
  peakRssKib(): number;
  /** Resident memory of the process's own (anonymous) mappings and of mapped files, in KiB. */
  rssSplitKib(): { anon: number; file: number };
  /** User + system CPU time used so far, in milliseconds (from /proc/<pid>/stat). */
  cpuMs(): number;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. */
  stop(): Promise<void>;
  exited: Promise<number | string>;
}>;

const children = new Set<ChildProcess>();

/** Kills every child still running, at once. Safe to call more than once. */
export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

function procStatusKib(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match?.[1] ? Number(match[1]) : Number.NaN;
}

/** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

export type SpawnOptions = Readonly<{
  script: string;
  env: Record<string, string>;
  /** Extra arguments for node itself, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** The `msg` of the JSON line that says the process is ready; the line carries `port`. */
  readyMessage: string;
  /** Sees every line the process writes to stderr (e.g. the inspector's address). */
  onStderr?: (line: string) => void;
}>;

export async function spawnNode(options: SpawnOptions): Promise<NodeProcess> {
  const cwd = mkdtempSync(join(tmpdir(), 'jelou-card-bench-'));
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${options.script}`);
  const kept: string[] = [];
  let errors = 0;
  let lineCount = 0;
  const keep = (line: string) => {
    kept.push(line);
    if (kept.length > KEPT_LINES) kept.shift();
  };
  const exited = new Promise<number | string>((done) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      rmSync(cwd, { recursive: true, force: true });
      done(code ?? signal ?? -1);
    }),
  );
  const ready = new Promise<{ port: number; at: number }>((found, failed) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      failed(new Error(`${options.script}: no "${options.readyMessage}" within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    void exited.then((code) => {
      clearTimeout(timer);
      failed(new Error(`${options.script} exited (${code}) before it was ready:\n${kept.join('\n')}`));
    });
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') continue;
        lineCount += 1;
        keep(line);
        // Only JSON lines can be the ready line or carry a level; Bolt's own console lines are not.
        if (line.charCodeAt(0) !== 123) continue;
        let entry: { msg?: unknown; port?: unknown; level?: unknown };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        if (typeof entry.level === 'number' && entry.level >= 50) errors += 1;
        if (entry.msg === options.readyMessage && typeof entry.port === 'number') {
          clearTimeout(timer);
          found({ port: entry.port, at: performance.now() });
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        keep(`stderr: ${line}`);
        options.onStderr?.(line);
      }
    });
  });
  let port: number;
  let at: number;
  try {
    ({ port, at } = await ready);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    pid,
    port,
    readyMs: at - started,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    lines: () => lineCount,
    errorLines: () => errors,
    tail: () => kept.join('\n'),
    rssKib: () => procStatusKib(pid, 'VmRSS'),
    peakRssKib: () => procStatusKib(pid, 'VmHWM'),
    rssSplitKib: () => ({ anon: procStatusKib(pid, 'RssAnon'), file: procStatusKib(pid, 'RssFile') }),
    cpuMs: () => procCpuMs(pid),
    exited,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
