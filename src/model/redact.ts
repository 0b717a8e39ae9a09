// What may be printed of a URL, headers or free text a server or git sent: nothing that carries a credential. Every
// layer reports what outside systems said (registries, git remotes, credential helpers), so this sits at the bottom.

/** Query parameters that carry upload state or secrets (Harbor's `_state`, S3/GCS signatures, tokens). */
const SECRET_QUERY = /^(_state|x-amz-.*|x-goog-.*|signature|sig|token|access_token|refresh_token|password|se|sp|sv|st|skoid|sktid|ske|sks|skv|code)$/i;

/** A URL safe to print: no userinfo, secret-looking query values replaced. */
export function redactUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return '<invalid URL>';
  }
  parsed.username = '';
  parsed.password = '';
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY.test(key)) parsed.searchParams.set(key, 'REDACTED');
  }
  return parsed.toString();
}

/** Headers safe to print. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    out[key] = /^(authorization|proxy-authorization|cookie|set-cookie)$/i.test(key) ? 'REDACTED' : value;
  }
  return out;
}

/** Removes anything that looks like a credential from free text a server or helper sent back. */
export function redactText(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, '$1REDACTED@')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 REDACTED')
    .replace(/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, 'REDACTED-JWT')
    .replace(/("?(?:token|access_token|refresh_token|password|secret|identitytoken)"?\s*[:=]\s*)"?[^"\s,&}]+"?/gi, '$1REDACTED');
}
