/**
 * parseCommit gives the parser only the header when nothing after it can change what is read: on generated messages
 * (notes, reverts, gpg lines, fields, references, CRLF, blank lines) the result must equal the whole message's parse,
 * failures included.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommit } from '../../src/versioning/commit.js';

const LINES = [
  'feat: a knob', 'fix(web): a crash', 'fix(web,api)!: new API', 'chore: deps (#12)', 'Revert "feat: a knob"', 'revert: fix: x', 'This reverts commit 0123abc.', 'BREAKING CHANGE: gone',
  'BREAKING-CHANGE: also gone', '* breaking change: starred', 'Release-As: 2.0.0', 'release-as: v3.1.0', 'Closes #12', '#12', 'fixes #3, #4', '-field-', 'gpg: Signature made', '', ' ', 'plain text',
  'Merge pull request #1 from a/b', '  indented: line', 'docs: x\r', 'feat!: bang', 'feat(): empty scope', 'Feat(Web): caps', 'see https://example.com/#1', '@someone mentioned',
  'Reapply "feat: a knob"', 'Revert "feat: a knob (#1)" (#2)', 'feat:no space', 'fix!:x', 'Breaking change avoided here', 'BREAKING CHANGE #3: y',
];

describe('commit messages read from the header alone', () => {
  it('reads every generated message as the whole-message parse does', () => {
    let seed = 12;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed % n;
    };
    let headerOnly = 0;
    for (let i = 0; i < 20000; i++) {
      const lines = Array.from({ length: 1 + random(5) }, () => LINES[random(LINES.length)]!);
      const message = lines.join(random(4) === 0 ? '\r\n' : random(2) ? '\n' : '\n\n');
      if (!message.trim()) continue;
      const read = (whole: boolean) => {
        try {
          return parseCommit('0123abc', message, whole);
        } catch (error) {
          return String(error);
        }
      };
      assert.deepEqual(read(false), read(true), JSON.stringify(message));
      if (!/BREAKING|revert|gpg:/i.test(message)) headerOnly++;
    }
    assert.ok(headerOnly > 2000, `${headerOnly} messages were read from their header`);
  });
});

describe('commit messages the parser once tripped over', () => {
  it('reads a BREAKING CHANGE note followed by a line between dashes (git-log field syntax, not a commit message’s)', () => {
    const commit = parseCommit('0123abc', 'feat(api): new endpoints\n\nBREAKING CHANGE: the old ones are gone\n-see-docs-');
    assert.equal(commit.type, 'feat');
    assert.equal(commit.breaking, true);
    assert.equal(parseCommit('0123abc', 'fix: x\n\n-note-\nBREAKING CHANGE: y').breaking, true);
  });
});
