import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChallenges } from '../../src/oci/challenge.js';

test('Bearer with a quoted scope containing commas', () => {
  const [c, ...rest] = parseChallenges('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push"');
  assert.equal(rest.length, 0);
  assert.equal(c?.scheme, 'bearer');
  assert.deepEqual(c?.params, { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:a/b:pull,push' });
});

test('several challenges in one header, case-insensitive schemes and names, spaces around =', () => {
  const challenges = parseChallenges('BASIC realm="x, y" , bEaReR Realm = "https://a/t", Service=reg, error="insufficient_scope"');
  assert.deepEqual(challenges.map((c) => c.scheme), ['basic', 'bearer']);
  assert.deepEqual(challenges[0]?.params, { realm: 'x, y' });
  assert.deepEqual(challenges[1]?.params, { realm: 'https://a/t', service: 'reg', error: 'insufficient_scope' });
});

test('quoted-pair escapes and a bare scheme before another challenge', () => {
  const challenges = parseChallenges('Negotiate, Basic realm="say \\"hi\\"\\\\"');
  assert.deepEqual(challenges.map((c) => c.scheme), ['negotiate', 'basic']);
  assert.equal(challenges[1]?.params['realm'], 'say "hi"\\');
});

test('token68 form', () => {
  const challenges = parseChallenges('Negotiate YIIB9wYGKwYBBQUC==, Basic realm=r');
  assert.equal(challenges[0]?.token68, 'YIIB9wYGKwYBBQUC==');
  assert.deepEqual(challenges[1]?.params, { realm: 'r' });
});

test('empty and garbage input give no crash', () => {
  assert.deepEqual(parseChallenges(''), []);
  assert.deepEqual(parseChallenges('  ,  '), []);
  assert.equal(parseChallenges('Bearer realm="unterminated')[0]?.params['realm'], 'unterminated');
});
