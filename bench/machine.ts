/** What the figures were measured on: CPU, cores, memory, OS and Node. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1];
    if (model) return model.trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return cpus()[0]?.model ?? 'unknown CPU';
}

export function machineDescription(): string {
  const gib = (totalmem() / 1024 ** 3).toFixed(1);
  return [
    `- CPU: ${cpuModel()}`,
    `- Cores available: ${availableParallelism()}`,
    `- Memory: ${gib} GiB`,
    `- OS: Linux ${release()}`,
    `- Node: ${process.version}`,
  ].join('\n');
}
