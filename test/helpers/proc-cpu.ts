import { readFileSync } from 'node:fs';

/** Linux's USER_HZ, what /proc counts CPU time in (100 on every architecture Node runs on). */
const CLOCK_TICKS = 100;

/**
 * CPU time (user + system, ms) from /proc/PID/stat: of the process itself, or of its finished, waited-for children
 * (utime + stime, or cutime + cstime: fields 14–17, counted after the command name's ")").
 */
export function procCpuMs(pid: number | 'self', of: 'process' | 'children' = 'process'): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const at = of === 'process' ? 11 : 13;
  return ((Number(fields[at]) + Number(fields[at + 1])) * 1000) / CLOCK_TICKS;
}
