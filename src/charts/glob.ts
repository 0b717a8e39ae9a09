/**
 * Go's `path/filepath.Match` syntax (Unix separator), compiled to a RegExp so .helmignore patterns behave exactly as
 * helm evaluates them: `*` and `?` never match `/`, character classes use `^` for negation and do match `/`, `\`
 * escapes the next character, and any malformed pattern is an error even if a name would match before the flaw.
 *
 * Go matches star chunks greedily-leftmost without backtracking; because a star cannot cross `/` and every other
 * chunk has a fixed length, that finds a match exactly when the anchored regular expression does.
 */
export class GlobSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based offset (in code points) of the offending character. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'GlobSyntaxError';
  }
}

export function compileGlob(pattern: string): RegExp {
  const chars = Array.from(pattern);
  let source = '';
  let i = 0;
  const take = (what: string): string => {
    const c = chars[i];
    if (c === undefined) throw new GlobSyntaxError(`unterminated ${what}`, i);
    i++;
    return c;
  };
  while (i < chars.length) {
    const c = chars[i++]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '\\') source += literal(take('escape'));
    else if (c === '[') source += characterClass();
    else source += literal(c);
  }
  return new RegExp(`^${source}$`, 'u');

  function characterClass(): string {
    const start = i - 1;
    let negated = false;
    if (chars[i] === '^') {
      negated = true;
      i++;
    }
    let ranges = '';
    let count = 0;
    for (;;) {
      if (chars[i] === ']' && count > 0) {
        i++;
        break;
      }
      const lo = classChar(start);
      let hi = lo;
      if (chars[i] === '-') {
        i++;
        hi = classChar(start);
      }
      // Go accepts an inverted range and it simply never matches; a RegExp would refuse it.
      if (lo.codePointAt(0)! <= hi.codePointAt(0)!) ranges += lo === hi ? literal(lo) : `${literal(lo)}-${literal(hi)}`;
      count++;
    }
    return negated ? `[^${ranges}]` : `[${ranges}]`;
  }

  function classChar(start: number): string {
    const c = chars[i];
    if (c === undefined) throw new GlobSyntaxError('unterminated character class', start);
    if (c === '-' || c === ']') throw new GlobSyntaxError(`unexpected ${JSON.stringify(c)} in character class`, i);
    i++;
    const value = c === '\\' ? take('escape in character class') : c;
    // Go requires the class to be closed after every range element.
    if (i >= chars.length) throw new GlobSyntaxError('unterminated character class', start);
    return value;
  }
}

function literal(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}
