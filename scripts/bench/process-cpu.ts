/** CPU time a process has used so far (user + system), from Linux /proc; undefined elsewhere. */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat on Linux (USER_HZ, 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: the fields after it start past its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime and stime (fields 14 and 15)
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** Web API calls per item by method, most frequent first: `chat.postMessage 2, users.info 2`. */
export function callsPerItem(methods: readonly string[], items: number): string {
  const counts = new Map<string, number>();
  for (const m of methods) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([m, n]) => `${m} ${Math.round((n / Math.max(1, items)) * 100) / 100}`)
    .join(', ');
}
