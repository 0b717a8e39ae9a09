import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { actionsIdToken } from '../../src/pipeline/id-token.js';

/** The runner's token endpoint, answering each request as the test's script says (one entry per request). */
let server: Server;
let script: ((res: ServerResponse) => void)[] = [];
let seen: string[] = [];
let endpoint: string;
const held: ServerResponse[] = [];
before(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.headers.authorization} ${new URL(req.url!, 'http://x').searchParams.get('audience')}`);
    (script.shift() ?? ((r: ServerResponse) => r.writeHead(500).end()))(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`;
});
after(async () => {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const silent = (res: ServerResponse) => void held.push(res);
const token = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: 'eyJ.id.token' }));
const status = (code: number) => (res: ServerResponse) => res.writeHead(code).end('{}');
const env = {};

describe('the GitHub Actions ID token', () => {
  it('an endpoint that never answers fails after three bounded waits, saying so (getIDToken waited for ever)', async () => {
    script = [silent, silent, silent];
    seen = [];
    const started = Date.now();
    await assert.rejects(actionsIdToken(endpoint, 'runner-bearer', env, 300), (error: unknown) => {
      assert.ok(error instanceof ChartshipError);
      assert.equal(error.code, 'OIDC_TOKEN_UNAVAILABLE');
      assert.equal(error.message, 'the GitHub Actions token endpoint did not answer within 0.3 s, 3 times');
      assert.match(error.hint ?? '', /rerun attests what is missing/);
      return true;
    });
    assert.equal(seen.length, 3);
    assert.ok(Date.now() - started < 15_000, 'bounded: three waits and two pauses');
  });

  it('a 5xx is tried again; the token asked for with the runner bearer and audience sigstore', async () => {
    script = [status(503), token];
    seen = [];
    assert.equal(await actionsIdToken(endpoint, 'runner-bearer', env, 5_000), 'eyJ.id.token');
    assert.deepEqual(seen, ['Bearer runner-bearer sigstore', 'Bearer runner-bearer sigstore']);
  });

  it('a refusal is not tried again: it names the permission', async () => {
    script = [status(403)];
    seen = [];
    await assert.rejects(actionsIdToken(endpoint, 'runner-bearer', env, 5_000), /token endpoint answered HTTP 403/);
    assert.equal(seen.length, 1);
  });
});
