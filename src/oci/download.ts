import { ChartshipError } from '../model/errors.js';
import type { TargetOptions } from './options.js';
import { redactUrl } from '../model/redact.js';
import { Transport } from './transport.js';

/** What a download is and the most bytes it may have, for the transport's limits and its errors. */
export interface DownloadLimit {
  what: string;
  limit: number;
}

/** A chart repository's https:// answered in plain HTTP. */
export const CHART_REPOSITORY_PLAIN_HTTP_HINT = 'the chart repository serves plain HTTP: write its URL with http://';
/** A chart repository whose certificate is not trusted: its CA is given as helm dependency build takes it. */
export const CHART_REPOSITORY_TLS_HINT =
  "give the chart repository's CA as helm dependency build takes it, helm repo add NAME URL --ca-file FILE (chartship reads the same repositories.yaml), or trust it system-wide with NODE_EXTRA_CA_CERTS=FILE";

/**
 * GETs for chart repositories (`index.yaml`, archives) through the transport registries use: retries with backoff,
 * a deadline and an idle timeout per request, bounded answers, redirects that never drop TLS, and the proxy the
 * environment names. One transport per origin, kept for the run. Chart repositories get the system's TLS trust (and
 * NODE_EXTRA_CA_CERTS); registry credentials are never sent to them.
 */
export class HttpDownloader {
  readonly #options: TargetOptions;
  readonly #transports = new Map<string, Transport>();

  constructor(options: TargetOptions = {}) {
    this.#options = options;
  }

  readonly download = async (url: URL, limit: DownloadLimit): Promise<Buffer> => {
    const transport = this.#transport(url);
    const response = await transport.request({ method: 'GET', url, ...limit });
    if (response.status !== 200) {
      const refused = response.status === 401 || response.status === 403;
      throw new ChartshipError(`GET ${redactUrl(url)} failed with HTTP ${response.status}`, { code: refused ? 'UNAUTHORIZED' : 'DOWNLOAD_FAILED' });
    }
    return response.body;
  };

  #transport(url: URL): Transport {
    let transport = this.#transports.get(url.origin);
    if (!transport) {
      transport = new Transport(url.host, { plainHttp: url.protocol === 'http:' }, {
        clock: this.#options.clock,
        retry: this.#options.retry,
        timeouts: this.#options.timeouts,
        env: this.#options.env,
        plainHttpHint: CHART_REPOSITORY_PLAIN_HTTP_HINT,
        tlsHint: CHART_REPOSITORY_TLS_HINT,
      });
      this.#transports.set(url.origin, transport);
    }
    return transport;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#transports.values()].map((t) => t.close()));
  }
}
