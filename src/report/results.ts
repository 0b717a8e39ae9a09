import type { ChartResult, ChartStatus, RegistryResult } from '../model/plan.js';
import { DEFAULT_KEYRING, safeUrl } from './context.js';
import { inline, shellWord, table, tableCode } from './markdown.js';

const STATUS_LABELS: Record<ChartStatus, string> = {
  pushed: '✅ pushed',
  unchanged: '➖ unchanged',
  skipped: '⏭️ skipped',
  failed: '❌ failed',
  planned: '📋 planned',
};

export function statusLabel(status: ChartStatus): string {
  return STATUS_LABELS[status];
}

/** `host/ns/name:tag` (helm's printed reference) → `oci://host/ns/name`, the form `helm pull` takes. */
export function ociRepository(ref: string): string {
  const withoutDigest = ref.split('@')[0] ?? ref;
  const colon = withoutDigest.lastIndexOf(':');
  // A colon before the last slash belongs to the host's port, not to a tag.
  const repository = colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
  return `oci://${repository.replace(/^oci:\/\//, '')}`;
}

/** Registries a user can pull this version from right now. */
export function pullableRegistries(result: ChartResult): RegistryResult[] {
  return result.registries.filter((registry) => registry.digest && registry.ref !== '');
}

/** `helm pull oci://…/<name> --version <v>` (helm turns `+` into `_` itself, so the SemVer goes in unchanged). */
export function helmPullCommand(registry: RegistryResult, version: string, verify?: { keyring?: string }): string {
  const words = ['helm', 'pull', ociRepository(registry.ref), '--version', version];
  if (verify) words.push('--verify', '--keyring', verify.keyring ?? DEFAULT_KEYRING);
  // A keyring under `~` must stay unquoted for the shell to expand it.
  return words.map((word) => (/^~\/[A-Za-z0-9@%+=:,./_-]*$/.test(word) ? word : shellWord(word))).join(' ');
}

export interface Failure {
  chart: string;
  version: string;
  registry?: string;
  error: string;
}

/** Every error in the results: the chart's own and each registry's. */
export function failures(results: ChartResult[]): Failure[] {
  return results.flatMap((result) => {
    const registries = result.registries
      .filter((registry) => registry.status === 'failed')
      .map((registry) => ({ chart: result.name, version: result.version, registry: registry.registry, error: registry.error ?? 'failed' }));
    // A chart that failed in some registries carries their errors joined as its own: list each failure once.
    const joined = registries.map((r) => `${r.registry}: ${r.error}`).join('; ');
    const own = (result.status === 'failed' || result.error) && !(registries.length > 0 && result.error === joined);
    return [...(own ? [{ chart: result.name, version: result.version, error: result.error ?? 'failed' }] : []), ...registries];
  });
}

export function failureLine(failure: Failure): string {
  const where = failure.registry ? ` → ${inline(failure.registry, 200)}` : '';
  const version = failure.version ? ` ${inline(failure.version, 100)}` : '';
  return `- **${inline(failure.chart, 200)}**${version}${where}: ${inline(failure.error)}`;
}

export function countByStatus(results: ChartResult[]): string {
  const order: ChartStatus[] = ['pushed', 'unchanged', 'skipped', 'failed'];
  return order
    .map((status) => [status, results.filter((r) => r.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(' · ');
}

/**
 * A dry run's word beside its plan, whose table says which charts would be pushed at which versions but not where;
 * `shown` quotes a user's text for where it goes (markdown).
 */
export function dryRunLine(results: ChartResult[], shown = (text: string) => text): string {
  const planned = results.filter((r) => r.status === 'planned');
  const to = plannedRegistries(results, shown);
  return `dry run: nothing was published${to ? `; would push ${planned.length} chart(s) to ${to}` : ''}`;
}

/** Where a dry run's charts would go (the registries of its first planned chart: every one has the same). */
export function plannedRegistries(results: ChartResult[], shown = (text: string) => text): string | undefined {
  return results.find((r) => r.status === 'planned')?.registries.map((r) => shown(r.registry)).join(', ');
}

/** Where a report cut to fit sends its reader: the job summary, which takes about 15 times a comment. */
export function inTheSummary(runUrl: string | undefined): string {
  return runUrl ? `the job summary of the [workflow run](${runUrl})` : 'the job summary';
}

/** `runUrl` must already have been through `safeUrl`. */
export function footer(what: string, runUrl: string | undefined): string {
  return runUrl ? `<sub>${what} by chartship in [this workflow run](${runUrl}).</sub>` : `<sub>${what} by chartship.</sub>`;
}

/** One row per chart and registry; a chart that never reached a registry still gets its row. */
export function resultRows(results: ChartResult[], columns: 'ref' | 'registry'): string[][] {
  return results.flatMap((result) => {
    const releaseUrl = safeUrl(result.release?.url);
    // A chart whose Chart.yaml could not be read has no version to show.
    const shown = result.version ? inline(result.version, 100) : '—';
    const version = releaseUrl ? `[${shown}](${releaseUrl})` : shown;
    const chart = tableCode(result.name, 200);
    if (result.registries.length === 0) return [[chart, version, statusLabel(result.status), '—', '—']];
    return result.registries.map((registry) => [
      chart,
      version,
      // A copy to a registry that lacked the release: no new release, which the row must not suggest.
      result.copiedFrom && registry.status !== 'failed' ? `${statusLabel(registry.status)} (copied from ${inline(result.copiedFrom, 300)}: missing there)` : statusLabel(registry.status),
      columns === 'ref' ? (registry.ref ? tableCode(registry.ref, 300) : '—') : inline(registry.registry, 300),
      registry.digest ? tableCode(registry.digest, 100) : '—',
    ]);
  });
}

/** A comment too long for GitHub: counts, the failures first, and one row per chart without references or digests. */
export function compactResultsSection(results: ChartResult[]): string[] {
  const failed = failures(results);
  const rows = results.map((r) => [tableCode(r.name, 200), r.version ? inline(r.version, 100) : '—', statusLabel(r.status), String(r.registries.length)]);
  return [countByStatus(results), ...(failed.length > 0 ? ['', '### Failures', '', ...failed.map(failureLine)] : []), '', ...table(['Chart', 'Version', 'Status', 'Registries'], rows)];
}

/** The part the job summary and the PR comment share: counts, the table of where each chart went, the failures. */
export function resultsSection(results: ChartResult[], columns: 'ref' | 'registry'): string[] {
  if (results.length === 0) return ['No chart was released.'];
  const lines = [countByStatus(results), '', ...table(['Chart', 'Version', 'Status', columns === 'ref' ? 'Registry ref' : 'Registry', 'Digest'], resultRows(results, columns))];
  const failed = failures(results);
  if (failed.length > 0) lines.push('', '### Failures', '', ...failed.map(failureLine));
  return lines;
}
