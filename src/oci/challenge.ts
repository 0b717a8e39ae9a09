/** One `WWW-Authenticate` challenge: scheme in lower case, parameter names in lower case. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
  /** The token68 form (`Negotiate abc==`), rarely used by registries. */
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68CHAR = /[A-Za-z0-9\-._~+/]/;

/**
 * Parses a `WWW-Authenticate` value per RFC 7235 §4.1: several challenges may share one header, parameters are
 * `name=token` or `name="quoted, with commas and \"escapes\""`, and a bare token after a comma starts a new
 * challenge.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skip = (chars: RegExp) => {
    while (i < n && chars.test(header[i]!)) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && TCHAR.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  const quoted = (): string => {
    let out = '';
    i++; // opening quote
    while (i < n && header[i] !== '"') {
      if (header[i] === '\\' && i + 1 < n) i++;
      out += header[i];
      i++;
    }
    i++; // closing quote (or end)
    return out;
  };

  while (i < n) {
    skip(/[\s,]/);
    if (i >= n) break;
    const scheme = token();
    if (!scheme) {
      i++; // unparseable byte: skip rather than loop
      continue;
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    skip(/[ \t]/);
    if (!isParamStart(header, i)) {
      const start = i;
      while (i < n && TOKEN68CHAR.test(header[i]!)) i++;
      while (i < n && header[i] === '=') i++;
      if (i > start) challenge.token68 = header.slice(start, i);
      continue;
    }
    // auth-params, comma separated, until a bare token (the next scheme) or the end
    for (;;) {
      skip(/[ \t]/);
      const paramStart = i;
      const name = token();
      if (!name) break;
      skip(/[ \t]/);
      if (header[i] !== '=') {
        i = paramStart; // a new challenge's scheme
        break;
      }
      i++;
      skip(/[ \t]/);
      const value = header[i] === '"' ? quoted() : token();
      challenge.params[name.toLowerCase()] = value;
      skip(/[ \t]/);
      if (header[i] !== ',') break;
      // a comma: either another param or a new challenge; look past it
      i++;
      skip(/[\s,]/);
    }
  }
  return challenges;
}

/** `name = value` (a parameter) rather than token68 at position `at`. */
function isParamStart(header: string, at: number): boolean {
  let i = at;
  while (i < header.length && TCHAR.test(header[i]!)) i++;
  while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i++;
  if (header[i] !== '=') return false;
  i++;
  while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i++;
  // `a==` and `a=` at the end are token68 padding; `a=b` / `a="b"` are parameters
  return i < header.length && header[i] !== '=' && header[i] !== ',';
}
