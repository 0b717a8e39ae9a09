import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRenderedPods } from '../../src/policy/manifests.js';

// What `helm template` prints, with the kinds that hold pod specs among those that do not.
const RENDERED = `---
# Source: web/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
# Source: web/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-notes
data:
  note: "a Deployment of image nginx:latest, with containers"
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: "Deployment"
metadata:
  name: web
spec:
  template:
    spec:
      imagePullSecrets: [{name: pull}]
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: app
          image: nginx:1.27
---
# Source: web/templates/rollout.yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web-rollout}
spec: {template: {spec: {containers: [{name: app, image: "nginx:latest"}]}}}
---
# Source: web/templates/jobs.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: first
spec:
  template:
    spec:
      containers:
        - name: one
          image: job:1
---
apiVersion: batch/v1
kind: Job
metadata:
  name: second
spec:
  template:
    spec:
      containers:
        - name: two
          image: job:2
---
# Source: web/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
`;

describe('the pod specs in what helm rendered', () => {
  it('finds every pod spec, from known kinds and from any kind with a pod template, in order, and nothing else', () => {
    const pods = readRenderedPods(RENDERED);
    assert.deepEqual(
      pods.map((p) => ({ source: p.source, kind: p.kind, name: p.name, ordinal: p.ordinal, images: p.images.map((i) => `${i.list}/${i.container}=${i.image}#${i.ordinal}`) })),
      [
        { source: 'web/templates/deployment.yaml', kind: 'Deployment', name: 'web', ordinal: 0, images: ['initContainers/init=busybox:1.36#0', 'containers/app=nginx:1.27#1'] },
        { source: 'web/templates/rollout.yaml', kind: 'Rollout', name: 'web-rollout', ordinal: 0, images: ['containers/app=nginx:latest#0'] },
        { source: 'web/templates/jobs.yaml', kind: 'Job', name: 'first', ordinal: 0, images: ['containers/one=job:1#0'] },
        // A document the template printed itself has no Source line of its own.
        { source: '', kind: 'Job', name: 'second', ordinal: 0, images: ['containers/two=job:2#0'] },
      ],
    );
    assert.deepEqual(pods[0]!.imagePullSecrets, [{ name: 'pull' }]);
  });
});
