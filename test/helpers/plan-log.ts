/** Which of `names` have a row in the plan's table, or a block of why they are released, in a log (a job's or stderr). */
export function plannedIn(log: string, names: string[]): { rows: string[]; details: string[] } {
  const has = (pattern: (name: string) => string) => names.filter((name) => new RegExp(pattern(name), 'm').test(log)).sort();
  return { rows: has((name) => `^${name} +charts/${name} `), details: has((name) => `^${name} \\S+ → \\S+$`) };
}
