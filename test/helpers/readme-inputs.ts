import { readFileSync } from 'node:fs';

/** A row of one of the README's `| input | … |` tables: the inputs its first column names, and its cells. */
export interface InputRow {
  inputs: string[];
  cells: string[];
}

/** Every row of every README table whose header starts `| input |`. */
export function readmeInputRows(readme = readFileSync('README.md', 'utf8')): InputRow[] {
  const rows: InputRow[] = [];
  let inTable = false;
  for (const line of readme.split('\n')) {
    if (/^\| input \|/.test(line)) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    else if (inTable && !/^\| -/.test(line)) {
      const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      rows.push({ inputs: [...(cells[0] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!), cells });
    }
  }
  return rows;
}
