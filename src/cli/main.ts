#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeError } from '../model/errors.js';
import { CHARTSHIP_VERSION } from '../model/version.js';
import { processIO, type CliIO, type Command } from './io.js';
import { putBackOnInterrupt } from '../model/bumped-files.js';

const commands: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  publish: { summary: 'plan, package, sign, push and report every changed chart', load: () => import('./commands/publish.js') },
  plan: { summary: 'show which charts change and their next versions', load: () => import('./commands/plan.js') },
  package: { summary: 'package a chart directory reproducibly (and sign it)', load: () => import('./commands/package.js') },
  push: { summary: 'push a packaged chart to an OCI registry or image layout', load: () => import('./commands/push.js') },
  pull: { summary: 'download a chart from an OCI registry (a version or a range), optionally verified', load: () => import('./commands/pull.js') },
  migrate: { summary: 'copy a classic chart repository (index.yaml, ChartMuseum) into an OCI registry', load: () => import('./commands/migrate.js') },
  verify: { summary: 'verify a chart archive against its .prov file, or a chart in a registry by its attestations', load: () => import('./commands/verify.js') },
  merge: { summary: 'combine the outcome files of sharded publish jobs into one report', load: () => import('./commands/merge.js') },
  lint: { summary: 'check charts against the chart policy (.chartship.yaml)', load: () => import('./commands/lint.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: chartship <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nchartship <command> --help shows a command's options; chartship --version, its version.\n`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  // `chartship help plan` is `chartship plan --help`, as git and helm have it.
  if (name === 'help' && rest[0] !== undefined) return main([rest[0], '--help'], io);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`chartship ${CHARTSHIP_VERSION ?? '(unbundled sources: no version)'}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    // Only a mistyped command line loads the matcher: --help and every command start without it.
    const guess = (await import('../config/keys.js')).didYouMean(name, Object.keys(commands));
    io.stderr(`chartship: unknown command ${JSON.stringify(name)}${guess ? ` (did you mean "${guess}"?)` : ''}\n\n${usage()}`);
    return 2;
  }
  try {
    const { run } = await command.load();
    return await run(rest, io);
  } catch (error) {
    // Only a failure reading git's history loads the CI table, to say which of the CI's settings fetches it.
    let told = error instanceof Error && /^GIT_(SHALLOW|REF_UNKNOWN)$/.test((error as { code?: string }).code ?? '') ? (await import('./ci.js')).inCiTerms(error, io.env) : error;
    // Only an error naming a setting loads the settings, to name the variable it came from.
    if (told instanceof Error && 'field' in told && told.field !== undefined) told = (await import('./settings.js')).inVariableTerms(told, rest, io.env);
    io.stderr(`Error: ${describeError(told)}\n`);
    return 1;
  }
}

/**
 * Whether node was started on this file, however it was named: its path, a symlink of any name to it (a versioned
 * command on PATH), or the path without `.js` (`node dist/cli`). Imported (tests, a probe), it does nothing.
 */
function startedAsEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  const self = realpathSync(fileURLToPath(import.meta.url));
  return [entry, `${entry}.js`].some((path) => {
    try {
      return realpathSync(path) === self;
    } catch {
      return false;
    }
  });
}

if (startedAsEntry()) {
  putBackOnInterrupt((line) => process.stderr.write(`chartship: ${line}\n`), (code) => process.exit(code));
  process.exitCode = await main(process.argv.slice(2), processIO());
}
