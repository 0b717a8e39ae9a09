/**
 * Charts packaged at once share a repository's index.yaml download. When it fails, each chart's error must point at its
 * own Chart.yaml line: prometheus-community's kube-prometheus-stack and prometheus both depend on the same repository,
 * and the second was reported on the first one's Chart.yaml.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { fetchIndex, type RepositoryIndexes } from '../../src/resolve/repository.js';

describe('a shared index download that fails', () => {
  let requests = 0;
  // Answers late, so the second chart asks while the first one's download is under way.
  const server = createServer((_request, response) => {
    requests++;
    setTimeout(() => response.writeHead(503).end(), 200);
  });
  after(() => server.close());

  it('names each asking chart’s own file and line', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const repository = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charts`;
    const indexes: RepositoryIndexes = new Map();
    const first = { file: 'charts/stack/Chart.yaml', field: 'dependencies[1]', line: 54, column: 5 };
    const second = { file: 'charts/server/Chart.yaml', field: 'dependencies[0]', line: 34, column: 5 };
    const outcomes = await Promise.allSettled([fetchIndex(repository, { indexes }, first), fetchIndex(repository, { indexes }, second)]);
    assert.equal(requests, 1, 'one download for both');
    const errors = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as ChartshipError) : assert.fail('the download failed')));
    assert.deepEqual(
      errors.map((e) => e.describe()),
      [`charts/stack/Chart.yaml:54:5: dependencies[1]: cannot download ${repository}/index.yaml: HTTP 503`, `charts/server/Chart.yaml:34:5: dependencies[0]: cannot download ${repository}/index.yaml: HTTP 503`],
    );
  });
});
