import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PolicyReport } from '../../src/model/policy.js';
import { renderPolicySection, renderPolicyText } from '../../src/report/policy.js';

const report = (mode: PolicyReport['mode']): PolicyReport => ({
  mode,
  charts: [
    {
      chart: 'web',
      path: 'charts/web',
      findings: [
        { rule: 'immutable-image-tags', severity: 'error', message: 'image acme/web:latest has the mutable tag "latest"', file: 'charts/web/templates/deployment.yaml', line: 18, column: 11 },
        { rule: 'chart-metadata', severity: 'warning', message: 'Chart.yaml has no icon', file: 'charts/web/Chart.yaml', line: 1, column: 1 },
      ],
      notChecked: [],
    },
  ],
});

describe('the policy table says what the run did with each finding', () => {
  it('an enforced error is an error; a warning stays a warning', () => {
    const section = renderPolicySection(report('enforce')).join('\n');
    assert.match(section, /\| `web` \| `immutable-image-tags` \| ❌ error \| `charts\/web\/templates\/deployment\.yaml:18:11` \|/);
    assert.match(section, /\| `chart-metadata` \| ⚠️ warning \|/);
    assert.match(renderPolicyText(report('enforce')), /^charts\/web\/templates\/deployment\.yaml:18:11: error: immutable-image-tags: /m);
  });

  it('under policy warn an error stops nothing, and the table and the text say so (the log has it as a warning)', () => {
    const section = renderPolicySection(report('warn')).join('\n');
    assert.match(section, /\| `immutable-image-tags` \| ⚠️ error \(not enforced\) \|/);
    assert.doesNotMatch(section, /❌/);
    assert.match(section, /warnings only/);
    assert.match(renderPolicyText(report('warn')), /^charts\/web\/templates\/deployment\.yaml:18:11: error \(not enforced\): immutable-image-tags: /m);
  });
});
