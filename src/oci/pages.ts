import { ChartshipError } from '../model/errors.js';
import { redactUrl } from '../model/redact.js';
import { checkNextUrl } from './transport.js';

const QUOTED = '"(?:[^"\\\\]|\\\\.)*"';
const PARAM = `;\\s*([^;,=\\s]+)\\s*(?:=\\s*(${QUOTED}|[^;,\\s]*))?`;
const LINK_VALUE = new RegExp(`<([^>]*)>((?:\\s*${PARAM})*)`, 'g');
const LINK_PARAM = new RegExp(PARAM, 'g');

/**
 * The `rel="next"` target of a `Link` header (RFC 8288), resolved against the URL that answered: several link-values
 * may share the header in any order, each with its parameters in any order (`<…>; type="…"; rel="next"`), `rel`
 * quoted or not and holding several relation types (`rel="next last"`).
 */
export function nextLink(header: string | undefined, base: URL): URL | undefined {
  if (!header) return undefined;
  for (const [, target, params] of header.matchAll(LINK_VALUE)) {
    // Only a link's first `rel` counts (RFC 8288 §3.3).
    const rel = [...params!.matchAll(LINK_PARAM)].find((p) => p[1]!.toLowerCase() === 'rel');
    const types = (rel?.[2] ?? '').replace(/^"|"$/g, '').toLowerCase().split(/\s+/);
    if (types.includes('next')) return new URL(target!, base);
  }
  return undefined;
}

export interface Paging {
  /** What the pages list, as messages name it: `tag list`, `referrers list`. */
  what: string;
  code: string;
  maxPages: number;
  /** What a Link back to a page already read says about the registry. */
  loopHint: string;
}

/**
 * Reads a listing page by page, following `Link: <…>; rel="next"`. `read` reads one page and gives its headers, or
 * undefined when there is nothing more to read. A Link back to a page already read (a registry that ignores its own
 * cursor answers the first page again) or more pages than `maxPages` fail the listing: a partial one would be taken
 * for the whole.
 */
export async function followPages(first: URL, paging: Paging, read: (url: URL) => Promise<Record<string, string> | undefined>): Promise<void> {
  const seen = new Set<string>();
  for (let url: URL | undefined = first; url; ) {
    if (seen.has(url.href)) {
      throw new ChartshipError(`GET ${redactUrl(url)}: the Link header leads back to a page of the ${paging.what} already read`, { code: paging.code, hint: paging.loopHint });
    }
    if (seen.size >= paging.maxPages) {
      throw new ChartshipError(`GET ${redactUrl(url)}: the ${paging.what} runs to more than ${paging.maxPages} pages`, { code: paging.code, hint: `the registry pages its ${paging.what} without end` });
    }
    seen.add(url.href);
    const headers = await read(url);
    const next: URL | undefined = headers && nextLink(headers['link'], url);
    // A page is a place the registry sends chartship to, as a redirect is: on http(s), never dropping TLS.
    if (next) checkNextUrl(`GET ${redactUrl(url)}: the Link to the next page`, url, next);
    url = next;
  }
}
