/**
 * A classic helm chart repository (index.yaml plus archives) served over plain HTTP on 127.0.0.1, as
 * `helm dependency update` and chartship fetch https:// dependencies from. Versions are listed as given, so a test can
 * offer helm versions that are not strict SemVer (`v4.0.0`) too.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chartArchive } from './registry-charts.js';

export interface ChartRepository {
  /** `http://127.0.0.1:PORT/repo` */
  url: string;
  /** Request paths served, in order. */
  hits: string[];
  stop(): Promise<void>;
}

/** Serves `charts` (name → versions); each archive is a minimal chart whose ConfigMap names its version. */
export async function startChartRepository(charts: Record<string, string[]>): Promise<ChartRepository> {
  const archives = new Map<string, Buffer>();
  const entries: string[] = [];
  for (const [name, versions] of Object.entries(charts)) {
    entries.push(`  ${name}:\n`);
    for (const version of versions) {
      const archive = chartArchive({ name, version, files: { 'templates/cm.yaml': `version: ${version}\n` } });
      archives.set(`/repo/charts/${name}-${version}.tgz`, archive);
      const digest = createHash('sha256').update(archive).digest('hex');
      entries.push(`  - apiVersion: v2\n    name: ${name}\n    version: ${version}\n    digest: ${digest}\n    urls:\n    - charts/${name}-${version}.tgz\n`);
    }
  }
  const index = `apiVersion: v1\nentries:\n${entries.join('')}generated: "2024-01-01T00:00:00Z"\n`;
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.push(path);
    const body = path === '/repo/index.yaml' ? Buffer.from(index) : archives.get(path);
    if (!body) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/repo`,
    hits,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
