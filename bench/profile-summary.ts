/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): self time by function and by package, and the
 * inclusive time of the app's own functions (src/), so a slow path can be traced to its source.
 * A bundled file's functions (dist/jelou-card.js) are read back through its source map to the
 * package or source file they came from, so the bundle's profile reads like the unbundled one.
 *
 *   node dist/bench/profile-summary.js /tmp/prof [--top 25]
 *
 * A folder means every .cpuprofile in it, each summarised on its own.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, markdownTable } from './stats.js';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

/** Where a function lives, shortened: a package name, a file of ours, or a V8 pseudo-frame. */
function bucketOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const ours = /\/(?:dist\/)?(src|bench|test)\/(.+)$/.exec(url.includes('/node_modules/') ? '' : url);
  if (ours) return `ours: ${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url;
}

function frameKey(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  const file = frame.url.replace(/^file:\/\/.*?\/(node_modules|dist|src)\//, '$1/');
  return `${name} ${file}:${frame.lineNumber + 1}`;
}

const isOurs = (frame: CallFrame) =>
  /\/(?:dist\/)?src\//.test(frame.url) &&
  !frame.url.includes('/node_modules/') &&
  !frame.url.startsWith('node:');

/**
 * Rewrites the frames of any file that has a source map beside it (the bundle) to the file and
 * line they were bundled from. Unmapped frames (the bundle's own glue) keep their place.
 */
export function unbundle(profile: CpuProfile): void {
  const maps = new Map<string, SourceMap | undefined>();
  const mapFor = (url: string) => {
    if (!maps.has(url)) {
      const path = url.startsWith('file:') ? `${fileURLToPath(url)}.map` : '';
      maps.set(
        url,
        path && existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : undefined,
      );
    }
    return maps.get(url);
  };
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const map = frame.url ? mapFor(frame.url) : undefined;
    if (!map) continue;
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
    if (!('originalSource' in entry)) continue;
    node.callFrame = {
      ...frame,
      url: new URL(entry.originalSource, frame.url).href,
      lineNumber: entry.originalLine,
      columnNumber: entry.originalColumn,
    };
  }
}

export function summarise(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const buckets = new Map<string, number>();
  const inclusiveOurs = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    // Each delta is the time up to sample i; it is charged to the sample.
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    total += us;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      return;
    }
    const key = frameKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + us);
    const bucket = bucketOf(node.callFrame);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || !isOurs(frame)) continue;
      const ourKey = frameKey(frame);
      if (seen.has(ourKey)) continue;
      seen.add(ourKey);
      inclusiveOurs.set(ourKey, (inclusiveOurs.get(ourKey) ?? 0) + us);
    }
  });
  const busy = total - idle;
  const pct = (us: number) => `${fmt((100 * us) / Math.max(1, busy))} %`;
  const ms = (us: number) => fmt(us / 1000);
  const topOf = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `Profiled ${ms(total)} ms, of which busy (not idle) ${ms(busy)} ms.`,
    '',
    '**Self time by package / file**',
    '',
    markdownTable([
      ['where', 'self ms', 'of busy'],
      ...topOf(buckets).map(([key, us]) => [key, ms(us), pct(us)]),
    ]),
    '',
    '**Top functions by self time**',
    '',
    markdownTable([
      ['function', 'self ms', 'of busy'],
      ...topOf(self).map(([key, us]) => [`\`${key}\``, ms(us), pct(us)]),
    ]),
    '',
    '**Our functions (src/) by inclusive time**',
    '',
    markdownTable([
      ['function', 'inclusive ms', 'of busy'],
      ...topOf(inclusiveOurs).map(([key, us]) => [`\`${key}\``, ms(us), pct(us)]),
    ]),
  ].join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1] ?? '25') : 25;
  const target = args.find((arg, i) => !arg.startsWith('--') && (topAt < 0 || i !== topAt + 1));
  if (!target) {
    process.stderr.write('usage: node dist/bench/profile-summary.js <file.cpuprofile | folder> [--top N]\n');
    process.exit(2);
  }
  const files = statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((name) => name.endsWith('.cpuprofile'))
        .map((name) => join(target, name))
    : [target];
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    unbundle(profile);
    process.stdout.write(`\n### ${basename(file)}\n\n${summarise(profile, top)}\n`);
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main();
