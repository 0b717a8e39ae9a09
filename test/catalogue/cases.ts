/** The refusals of the catalogue, by area. Each runs the real code on one bad input (see catalogue.ts). */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { loadChart } from '../../src/charts/load.js';
import { lookupInConfig, resolveCredential } from '../../src/oci/credentials.js';
import { parseOciTarget } from '../../src/oci/index.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { packageChart } from '../../src/pipeline/package.js';
import { pushChartFile } from '../../src/pipeline/push.js';
import { readChartArchive } from '../../src/charts/archive.js';
import { chartSelectors, parseConfig } from '../../src/config/index.js';
import { compilePolicy } from '../../src/policy/index.js';
import { createPlan } from '../../src/pipeline/plan.js';
import { planEdits } from '../../src/pipeline/plan-edits.js';
import { preparePolicy } from '../../src/pipeline/policy.js';
import { resolveSettings, type RawSettings } from '../../src/pipeline/settings.js';
import { parseChartReference } from '../../src/helm-oci/chart-reference.js';
import { start } from '../../src/action/start.js';
import { readTrustedRoot, resolveInstance } from '../../src/sign/attest/index.js';
import { checkProvenance, loadSigningKey } from '../../src/sign/index.js';
import { registryOptions } from '../../src/cli/registry-flags.js';
import { memoryIO } from '../helpers/cli.js';
import { openRepo } from '../helpers/git.js';
import { GpgHome } from '../helpers/gpg.js';
import { chartArchive, tgz } from '../helpers/registry-charts.js';
import { refused } from './catalogue.js';

/** Writes files under `dir` (creating folders) and returns `dir`. */
function files(dir: string, content: Record<string, string | Buffer>): string {
  for (const [path, text] of Object.entries(content)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const chart = (extra = '', name = 'web', version = '1.0.0') => `apiVersion: v2\nname: ${name}\nversion: ${version}\n${extra}`;
const loadWith = (dir: string, chartYaml: string | Buffer, more: Record<string, string | Buffer> = {}) => loadChart(files(join(dir, 'web'), { 'Chart.yaml': chartYaml, ...more }));

// Chart.yaml
refused('Chart.yaml', 'no Chart.yaml in the chart directory', /Chart\.yaml/, (dir) => loadChart(files(join(dir, 'web'), { 'values.yaml': '' })));
refused('Chart.yaml', 'YAML that does not parse', /Chart\.yaml/, (dir) => loadWith(dir, 'apiVersion: v2\nname: [web\n'));
refused('Chart.yaml', '`appVersion` given as a mapping', /appVersion: must be text/, (dir) => loadWith(dir, chart('appVersion: {x: 1}\n')));
refused('Chart.yaml', 'a maintainer whose `name` is a mapping', /maintainers\[0\]\.name: must be text/, (dir) => loadWith(dir, chart('maintainers:\n  - name: {first: Ann}\n')));
refused('Chart.yaml', '`apiVersion: v3`', /apiVersion/, (dir) => loadWith(dir, 'apiVersion: v3\nname: web\nversion: 1.0.0\n'));
refused('Chart.yaml', 'no `name`', /name/, (dir) => loadWith(dir, 'apiVersion: v2\nversion: 1.0.0\n'));
refused('Chart.yaml', 'a `name` with a slash', /name/, (dir) => loadWith(dir, chart('', 'team/web')));
refused('Chart.yaml', '`version: 1.2.3.4`', /version/, (dir) => loadWith(dir, chart('', 'web', '1.2.3.4')));
refused('Chart.yaml', '`version: latest`', /version/, (dir) => loadWith(dir, chart('', 'web', 'latest')));
refused('Chart.yaml', '`type: service`', /type/, (dir) => loadWith(dir, chart('type: service\n')));
refused('Chart.yaml', '`values.schema.json` that is not JSON', /values\.schema\.json/, (dir) => loadWith(dir, chart(), { 'values.schema.json': '{ "type": ' }));
refused('Chart.yaml', 'saved as Latin-1 rather than UTF-8 (`café` with byte 0xE9)', /Chart\.yaml:4:17: is not UTF-8: byte 0xE9/, (dir) => loadWith(dir, Buffer.from(chart('description: caf\u00e9\n'), 'latin1')));
refused('Chart.yaml', '`values.yaml` with a raw control character (an ANSI colour escape in a comment)', /values\.yaml:1:3: holds the control character U\+001B/, (dir) => loadWith(dir, chart(), { 'values.yaml': '# \u001b[31mred\u001b[0m\na: 1\n' }));
refused('Chart.yaml', '`values.yaml` with content on a `---` line (helm 4 splits documents there)', /values\.yaml:2:4: "b: 2" follows the document separator ---/, (dir) => loadWith(dir, chart(), { 'values.yaml': 'a: 1\n--- b: 2\n' }));
refused('Chart.yaml', '`values.yaml` opening with `%YAML 1.2`', /values\.yaml:1:1: %YAML 1\.2: helm reads YAML 1\.1 documents only/, (dir) => loadWith(dir, chart(), { 'values.yaml': '%YAML 1.2\n---\na: 1\n' }));
refused('Chart.yaml', 'an annotation key holding a NEL (`"a\\Nb"`), which helm fails to save', /Chart\.yaml:5:3: annotations: the key "a\\u0085b" holds U\+0085/, (dir) => loadWith(dir, chart('annotations:\n  "a\\Nb": x\n')));
refused('Chart.yaml', 'an `appVersion` written as an alias (`*v`) that a release must rewrite', /charts\/web\/Chart\.yaml:4:13: appVersion: is an alias, not a value chartship can rewrite/, async (dir) => {
  const repo = openRepo(files(join(dir, 'repo'), { 'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: &v 1.0.0\nappVersion: *v\n' }), true);
  const base = repo.commit('chore: web');
  repo.commit('feat(web): more', { 'charts/web/values.yaml': 'more: true\n' });
  return planEdits(await createPlan({ cwd: repo.dir, base, appVersion: 'follow' }));
});

// Chart files: a link may reach anywhere in the repository (a shared helper), never out of it or into .git.
const linked = (dir: string, target: string) => {
  files(dir, { '.git/config': '[http]\n', 'charts/web/Chart.yaml': chart() });
  symlinkSync(target, join(dir, 'charts/web/values.yaml'));
  return loadChart(join(dir, 'charts/web'));
};
refused('Chart files', 'a chart at the repository root whose .helmignore does not leave out `.git/`', /the chart holds a \.git directory/, (dir) =>
  loadChart(files(dir, { '.git/config': '[http]\n', 'Chart.yaml': chart(), '.helmignore': '.github/\n' })),
);
refused('Chart files', 'a symbolic link out of the repository', /symbolic link leaves the repository/, (dir) => linked(dir, '/etc/hostname'));
refused('Chart files', "a symbolic link into the repository's `.git` directory", /points into the repository's \.git directory/, (dir) => linked(dir, '../../.git/config'));

// .helmignore
refused('.helmignore', 'a `**` pattern', /\.helmignore/, (dir) => loadWith(dir, chart(), { '.helmignore': 'docs/**\n' }));
refused('.helmignore', 'a rule that leaves out Chart.yaml (`!keep.txt`: helm\'s negation leaves out every file that does not match)', /\.helmignore:2: "!keep\.txt" leaves out Chart\.yaml/, (dir) =>
  loadWith(dir, chart(), { '.helmignore': '*.txt\n!keep.txt\n' }),
);

// Chart archives
refused('Chart archives', 'a file that is not gzip', /not a gzip archive/, () => readChartArchive(Buffer.from('PK\u0003\u0004 a zip file'), 'web-1.0.0.tgz'));
refused('Chart archives', 'an entry with `..` in its path', /outside the chart/, () => readChartArchive(tgz([{ path: 'web/../../evil', data: 'x' }]), 'web-1.0.0.tgz'));
refused('Chart archives', 'an absolute entry path', /absolute path/, () => readChartArchive(tgz([{ path: '/etc/passwd', data: 'x' }]), 'web-1.0.0.tgz'));
refused('Chart archives', 'a symbolic link entry', /regular files only/, () =>
  readChartArchive(tgz([{ path: 'web/Chart.yaml', data: chart() }, { path: 'web/link', type: 'SymbolicLink', linkpath: '/etc/passwd' }]), 'web-1.0.0.tgz'),
);
refused('Chart archives', 'two top directories', /two top directories/, () =>
  readChartArchive(tgz([{ path: 'web/Chart.yaml', data: chart() }, { path: 'other/values.yaml', data: '' }]), 'web-1.0.0.tgz'),
);
refused('Chart archives', 'a file over 5 MiB', /larger than 5 MiB/, () =>
  readChartArchive(tgz([{ path: 'web/Chart.yaml', data: chart() }, { path: 'web/big.bin', data: Buffer.alloc(5 * 1024 * 1024 + 1) }]), 'web-1.0.0.tgz'),
);
refused('Chart archives', 'no Chart.yaml inside', /Chart\.yaml/, () => readChartArchive(tgz([{ path: 'web/values.yaml', data: '' }]), 'web-1.0.0.tgz'));
refused('Chart archives', 'a chart directory given to `push` instead of its archive', /is a directory, not a chart archive \(package it first/, (dir) =>
  pushChartFile(files(join(dir, 'web'), { 'Chart.yaml': chart() }), 'web', 'oci://127.0.0.1:1/charts', { target: {} }),
);
refused('Chart archives', 'a `.prov` beside a classic repository\'s archive that is no provenance file, e.g. an error page (`migrate`)', /web-1\.0\.0\.tgz\.prov: not a PGP signed message/, () =>
  checkProvenance({ archive: chartArchive({ name: 'web', version: '1.0.0' }), fileName: 'web-1.0.0.tgz', prov: '<html>Not found</html>\n', provFile: 'https://charts.example.com/web-1.0.0.tgz.prov' }),
);
refused('Chart archives', 'a chart name that cannot be a repository name (`push`)', /cannot be an OCI repository name/, async (dir) => {
  const target = openTarget(`oci-layout:${join(dir, 'layout')}`);
  try {
    await target.pushChart({ archive: chartArchive({ name: 'Web_App', version: '1.0.0' }), label: 'Web_App-1.0.0.tgz' });
  } finally {
    await target.close();
  }
});

// Dependencies
const withDependency = (dir: string, dependency: string, more: Record<string, string> = {}) =>
  packageChart(files(join(dir, 'app'), { 'Chart.yaml': chart(`dependencies:\n${dependency}`, 'app'), ...more }));
refused('Dependencies', 'not in charts/ and no repository', /missing from charts\//, (dir) => withDependency(dir, '  - name: lib\n    version: 1.0.0\n'));
refused('Dependencies', 'a version constraint that does not parse', /not a valid version constraint/, (dir) =>
  withDependency(dir, '  - name: lib\n    version: ">>1"\n    repository: file://../lib\n'),
);
refused('Dependencies', 'a repository name (`@stable`) that no `helm repo add` gave', /no repository named "stable"/, (dir) =>
  packageChart(files(join(dir, 'app'), { 'Chart.yaml': chart('dependencies:\n  - name: lib\n    version: 1.0.0\n    repository: "@stable"\n', 'app') }), {
    dependencies: { oci: { env: { HELM_REPOSITORY_CONFIG: join(dir, 'repositories.yaml') } } },
  }),
);
refused('Dependencies', 'a repository scheme helm does not fetch from', /unsupported repository/, (dir) => withDependency(dir, '  - name: lib\n    version: 1.0.0\n    repository: ftp://charts.example.com/stable\n'));
refused('Dependencies', 'plain `http://` to a host that is not loopback', /refusing plain http/, (dir) =>
  withDependency(dir, '  - name: lib\n    version: 1.0.0\n    repository: http://charts.example.com/stable\n'),
);
refused('Dependencies', '`file://` to a directory without a chart', /no chart directory/, (dir) => withDependency(dir, '  - name: lib\n    version: 1.0.0\n    repository: file://../missing\n'));
refused('Dependencies', 'a `file://` chart outside the constraint', /version 1\.0\.0, outside "\^2\.0\.0"/, (dir) => {
  files(dir, { 'lib/Chart.yaml': chart('', 'lib', '1.0.0') });
  return withDependency(dir, '  - name: lib\n    version: ^2.0.0\n    repository: file://../lib\n');
});

// Signing keys
refused('Signing keys', 'text that is not an OpenPGP key', /sign-key/, () => loadSigningKey({ armoredKey: 'not a key', label: 'sign-key' }));
refused('Signing keys', 'a public key instead of the private key', /sign-key/, async () => {
  const { publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'Release Bot' }], type: 'curve25519', format: 'armored' });
  return loadSigningKey({ armoredKey: publicKey, label: 'sign-key' });
});
refused('Signing keys', 'a protected key without its passphrase', /passphrase/, async () => {
  const { privateKey } = await openpgp.generateKey({ userIDs: [{ name: 'Release Bot' }], type: 'curve25519', passphrase: 'right', format: 'armored' });
  return loadSigningKey({ armoredKey: privateKey, label: 'sign-key' });
});
refused('Signing keys', 'a wrong passphrase', /passphrase/, async () => {
  const { privateKey } = await openpgp.generateKey({ userIDs: [{ name: 'Release Bot' }], type: 'curve25519', passphrase: 'right', format: 'armored' });
  return loadSigningKey({ armoredKey: privateKey, passphrase: 'wrong', label: 'sign-key' });
});
refused('Signing keys', 'a key on a curve chartship cannot sign with (Brainpool, secp256k1)', /sign-key.*brainpoolP256r1.*cannot sign with/, async () => {
  const home = await GpgHome.create();
  try {
    const key = await home.generateKey({ name: 'Release Bot', algo: 'brainpoolP256r1' });
    return await loadSigningKey({ armoredKey: key.armoredSecret, label: 'sign-key' });
  } finally {
    await home.close();
  }
});

// References
// As the registry input or --registry: the message names the setting (the parser alone knows no setting names).
refused('References', '`https://ghcr.io/acme/charts` (not oci://)', /^registry: "https:\/\/ghcr\.io\/acme\/charts" is not an OCI target/, () => settings({ registry: 'https://ghcr.io/acme/charts' }));
refused('References', 'one registry given twice (`oci://ghcr.io/acme` and `oci://ghcr.io/acme/`)', /registry: oci:\/\/ghcr\.io\/acme\/ is given twice \(also as oci:\/\/ghcr\.io\/acme\)/, () =>
  settings({ registry: 'oci://ghcr.io/acme\noci://ghcr.io/acme/' }),
);
refused('References', 'one registry given with and without capitals (`oci://ghcr.io/Acme` and `oci://ghcr.io/acme`)', /registry: oci:\/\/ghcr\.io\/acme is given twice \(also as oci:\/\/ghcr\.io\/Acme\)/, () =>
  settings({ registry: 'oci://ghcr.io/Acme\noci://ghcr.io/acme' }),
);
refused('References', '`ghcr.io/acme/charts` (no scheme)', /write oci:\/\/ghcr\.io\/acme\/charts/, () => settings({ registry: 'ghcr.io/acme/charts' }));
refused('References', '`bot:PASSWORD@ghcr.io/acme` (credentials without oci://; the password is never shown)', /bot:\*\*\*@ghcr\.io\/acme has credentials in it/, () =>
  settings({ registry: 'bot:s3cr3t-Pw@ghcr.io/acme' }),
);
refused('References', '`oci://ghcr.io/Acme/charts` given to push or pull (capitals; as the registry to publish to, it is taken in lowercase with a warning)', /lowercase/, () =>
  parseOciTarget('oci://ghcr.io/Acme/charts'),
);
refused('References', '`oci://ghcr.io/Acme_/charts` (not a repository path, even in lowercase)', /registry: namespace "Acme_\/charts" is not a valid repository path \(use lowercase letters/, () =>
  settings({ registry: 'oci://ghcr.io/Acme_/charts' }),
);
refused('References', '`oci://ghcr.io:99999/acme` (port out of range)', /99999/, () => openTarget('oci://ghcr.io:99999/acme'));
refused('References', '`oci://ghcr.io/acme//charts` (empty path segment)', /acme\/\/charts/, () => parseOciTarget('oci://ghcr.io/acme//charts'));
refused('References', '`oci://bot:PASSWORD@ghcr.io/acme` (credentials in the URL; the password is never shown)', /has credentials in it/, () =>
  parseOciTarget('oci://bot:s3cr3t-Pw@ghcr.io/acme'),
);
refused('References', '`oci://NAME-registry.cn-hangzhou.cr.aliyuncs.com/team/sub` (Alibaba Cloud ACR: three levels)', /no deeper nesting/, () =>
  openTarget('oci://acme-registry.cn-hangzhou.cr.aliyuncs.com/team/sub'),
);
refused('References', '`oci://NAME-registry.cn-hangzhou.cr.aliyuncs.com` (Alibaba Cloud ACR: no namespace)', /names no namespace/, () => openTarget('oci://acme-registry.cn-hangzhou.cr.aliyuncs.com'));
refused('References', '`oci-layout:/proc/self` (a directory that cannot hold a layout)', /cannot create the OCI layout/, () =>
  openTarget('oci-layout:/proc/self').pushChart({ archive: chartArchive({ name: 'web', version: '1.0.0' }) }),
);

refused('References', '`chartship verify oci://ghcr.io/acme/charts/web` (no version)', /not a chart reference/, () => parseChartReference('oci://ghcr.io/acme/charts/web'));

// Credentials files
refused('Credentials files', 'a config.json that is not JSON', /not valid JSON/, (dir) => {
  writeFileSync(join(dir, 'config.json'), '{ "auths": ');
  return lookupInConfig(join(dir, 'config.json'), 'ghcr.io', {});
});
refused('Credentials files', '`auth` that is not base64 of user:password', /auth/, (dir) => {
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('no-colon').toString('base64') } } }));
  return lookupInConfig(join(dir, 'config.json'), 'ghcr.io', {});
});
refused('Credentials files', 'a credential helper name with a path in it', /credential helper/, (dir) => {
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ credsStore: '../../bin/sh' }));
  return lookupInConfig(join(dir, 'config.json'), 'ghcr.io', {});
});
refused('Credentials files', 'a credential helper that is not installed', /not found on PATH/, (dir) => {
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ credsStore: 'chartship-catalogue-none' }));
  return lookupInConfig(join(dir, 'config.json'), 'ghcr.io', { PATH: dir });
});
refused('Credentials files', '`--registry-config` naming a missing file', /cannot read registry config/, (dir) => resolveCredential('ghcr.io', { registryConfig: join(dir, 'missing.json'), env: {} }));
refused('Credentials files', 'a config.json that is a directory', /cannot read registry config/, (dir) => {
  mkdirSync(join(dir, 'config.json'));
  symlinkSync(join(dir, 'config.json'), join(dir, 'linked.json'));
  return lookupInConfig(join(dir, 'linked.json'), 'ghcr.io', {});
});

// Action inputs and environment
/** Runs `run` with the action's inputs set as the runner sets them (INPUT_ variables), then takes them away. */
function withInputs<T>(inputs: Record<string, string>, run: () => T): T {
  const names = Object.keys(inputs).map((name) => `INPUT_${name.toUpperCase()}`);
  Object.keys(inputs).forEach((name, i) => (process.env[names[i]!] = inputs[name]));
  try {
    return run();
  } finally {
    for (const name of names) delete process.env[name];
  }
}
const settings = (raw: RawSettings) => resolveSettings({ registry: 'oci://ghcr.io/acme/charts', ...raw }, { sha: 'HEAD', cwd: '.' });
refused('Action inputs and environment', 'no `registry`', /registry/, () => resolveSettings({}, { sha: 'HEAD', cwd: '.' }));
refused('Action inputs and environment', '`dryrun: true` or `dry_run: true` in `with:` (the runner only warns about an input the action does not declare)', /dryrun: is not an input of chartship \(did you mean dry-run\?\)/, () =>
  start({ INPUT_DRYRUN: 'true' }),
);
refused('Action inputs and environment', '`version-bump: semver`', /version-bump/, () => settings({ 'version-bump': 'semver' }));
refused('Action inputs and environment', '`mode: relase-pr`', /did you mean "release-pr"/, () => settings({ mode: 'relase-pr' }));
refused('Action inputs and environment', '`release-pr: per-chat`', /did you mean "per-chart"/, () => settings({ 'release-pr': 'per-chat' }));
refused('Action inputs and environment', '`release-branch` git would refuse', /not a branch name git accepts/, () => settings({ 'release-branch': 'release..next' }));
refused('Action inputs and environment', '`app-version: folow`', /^app-version: must be keep, follow or value:TEXT, got "folow" \(did you mean "follow"\?\)$/, () => settings({ 'app-version': 'folow' }));
refused('Action inputs and environment', '`app-version: latest`', /keep, follow or value:TEXT/, () => settings({ 'app-version': 'latest' }));
refused('Action inputs and environment', '`shards: four`', /^shards: must be a whole number from 1, got "four"$/, () => settings({ shards: 'four' }));
refused('Action inputs and environment', '`shards: 300` (more jobs than GitHub runs of one matrix; the CLI takes it, for CIs with other limits)', /^shards: must be at most 256 \(GitHub's matrix job limit\)$/, () =>
  withInputs({ registry: 'oci://ghcr.io/acme/charts', shards: '300' }, () => start({})),
);
refused('Action inputs and environment', '`shard: 3/2` (the matrix entry written by hand)', /^shard: must be I\/N with 1 ≤ I ≤ N, got "3\/2" \(/, () => settings({ wave: '1', shard: '3/2' }));
refused('Action inputs and environment', '`wave: first`', /^wave: must be a whole number from 1, got "first"$/, () => settings({ wave: 'first', shard: '1/2' }));
refused('Action inputs and environment', '`dry-run: maybe`', /true or false/, () => settings({ 'dry-run': 'maybe' }));
refused('Action inputs and environment', '`classic-index: gh-page` (a directory of the checkout that nothing publishes)', /classic-index: "gh-page" is neither gh-pages nor a path \(did you mean gh-pages\?/, () => settings({ 'classic-index': 'gh-page' }));
refused('Action inputs and environment', '`prerelease: RC 1` (not one SemVer identifier)', /prerelease: must be one prerelease identifier/, () => settings({ prerelease: 'RC 1' }));
refused('Action inputs and environment', '`policy-allowed-registries: ghcr.io/*` (a glob: entries are host/path prefixes)', /policy-allowed-registries: "ghcr\.io\/\*" can match no image \(.*write ghcr\.io\)/, async () =>
  preparePolicy({ mode: 'warn', allowedRegistries: ['ghcr.io/*'] }, await config(''), {}),
);
refused('Action inputs and environment', '`sign-key-passphrase` with an empty `sign-key` (a secret name mistyped: the charts would go out unsigned)', /^sign-key: is empty, but sign-key-passphrase is given: the charts would go out unsigned/, () =>
  settings({ 'sign-key': '', 'sign-key-passphrase': 'secret-value' }),
);
refused('Action inputs and environment', '`password` without `username`', /username/, () => settings({ password: 'secret-value' }));
refused('Action inputs and environment', '`registry-auth` line without `=` (the line is never quoted)', /line 1 is not HOST=USERNAME:PASSWORD/, () => settings({ 'registry-auth': 'ghcr.io:bot:s3cret' }));
refused('Action inputs and environment', '`registry-auth` line whose host is not a host', /not a registry host/, () => settings({ 'registry-auth': 'bot:s3cret@ghcr.io=x:y' }));
refused('Action inputs and environment', '`registry-auth` line without `USERNAME:`', /needs USERNAME:PASSWORD/, () => settings({ 'registry-auth': 'ghcr.io=s3cret' }));
refused('Action inputs and environment', '`registry-auth` naming one host twice', /both name ghcr.io/, () => settings({ 'registry-auth': 'ghcr.io=bot:one\nghcr.io=bot:two' }));
refused('Action inputs and environment', '`registry-auth` with a JSON key cut short', /JSON key that never ends/, () => settings({ 'registry-auth': 'europe-docker.pkg.dev=_json_key:{"type": "service_account",' }));
refused('Action inputs and environment', '`username`/`password` and a `registry-auth` line for the same host', /given a login twice/, () =>
  settings({ username: 'bot', password: 's3cret', 'registry-auth': 'ghcr.io=bot:s3cret' }),
);
refused('Action inputs and environment', '`registry-tls` with an unknown option', /unknown option "verify=false"/, () => settings({ 'registry-tls': 'ghcr.io=verify=false' }));
refused('Action inputs and environment', '`registry-tls` with a client certificate but no key', /needs both cert-file and key-file/, () => settings({ 'registry-tls': 'ghcr.io=cert-file=client.pem' }));
refused('Action inputs and environment', '`charts` glob that matches no chart directory', /matches no chart directory/, (dir) => {
  const repo = openRepo(files(join(dir, 'repo'), { 'charts/web/Chart.yaml': chart() }), true);
  repo.commit('feat: web');
  return createPlan({ cwd: repo.dir, charts: ['chart/*'] });
});
refused('Action inputs and environment', '`release-tag-template` without `{name}` (`v{version}`) where several charts are selected', /^release-tag-template: tag template "v\{version\}" names no chart, and 2 charts are selected: their release tags could not be told apart \(add \{name\} \(e\.g\. \{name\}-v\{version\}\), or select the one chart it is for\)/, (dir) => {
  const repo = openRepo(files(join(dir, 'repo'), { 'charts/web/Chart.yaml': chart(), 'charts/api/Chart.yaml': chart('', 'api') }), true);
  repo.commit('feat: web and api');
  return createPlan({ cwd: repo.dir, tagTemplate: 'v{version}' });
});
refused('Action inputs and environment', '`exclude` naming no chart (a glob that matches none is a warning)', /exclude: "wbe" names no chart \(did you mean "web"\?\)/, (dir) => {
  const repo = openRepo(files(join(dir, 'repo'), { 'charts/web/Chart.yaml': chart() }), true);
  repo.commit('feat: web');
  return createPlan({ cwd: repo.dir, exclude: ['wbe'] });
});
refused('Action inputs and environment', 'a directory that is not a git clone (a step before the checkout)', /<dir>\/copy is not in a git repository \(chartship reads the charts' history/, (dir) =>
  createPlan({ cwd: files(join(dir, 'copy'), { 'charts/web/Chart.yaml': chart() }) }),
);
refused('Action inputs and environment', 'a repository with no commit yet', /unknown head revision "HEAD" \(the repository has no commit yet/, (dir) =>
  createPlan({ cwd: openRepo(files(join(dir, 'fresh'), { 'charts/web/Chart.yaml': chart() }), true).dir }),
);
refused('Action inputs and environment', '`HTTPS_PROXY` that is not a URL', /HTTPS_PROXY/, () =>
  openTarget('oci://ghcr.io/acme', { env: { HTTPS_PROXY: 'http://user:secret@[bad' } }),
);
refused('Action inputs and environment', '`HTTPS_PROXY` with an unsupported scheme', /unsupported scheme/, () =>
  openTarget('oci://ghcr.io/acme', { env: { HTTPS_PROXY: 'ftp://proxy.example.com' } }),
);
refused('Action inputs and environment', '`attest: maybe`', /attest: must be true or false/, () => settings({ attest: 'maybe' }));
refused('Action inputs and environment', '`sigstore: rekor`', /sigstore: must be "public-good" or "github"/, () => settings({ sigstore: 'rekor' }));
refused('Action inputs and environment', '`sigstore-signing-config` without `sigstore-trusted-root`', /sigstore-trusted-root/, (dir) => {
  files(dir, { 'signing.json': JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json', caUrls: [{ url: 'https://fulcio.example', majorApiVersion: 1 }] }) });
  return resolveInstance({ sigstore: 'public-good', serverUrl: 'https://github.com', signingConfigFile: join(dir, 'signing.json') });
});
refused('Action inputs and environment', '`sigstore-trusted-root` that is not JSON', /trusted root is not JSON/, (dir) => readTrustedRoot(files(dir, { 'root.json': '{ "mediaType": ' }) && join(dir, 'root.json')));
refused('Action inputs and environment', '`policy: enforced`', /policy: must be off, warn or enforce/, () => settings({ policy: 'enforced' }));
refused('Action inputs and environment', '`CHARTSHIP_PASSWORD` without `CHARTSHIP_USERNAME` (push, pull, migrate)', /CHARTSHIP_PASSWORD needs CHARTSHIP_USERNAME/, (dir) =>
  registryOptions({}, memoryIO({ cwd: dir, env: { CHARTSHIP_PASSWORD: 'p' } }), 'push'),
);
refused('Action inputs and environment', '`--password-stdin` with nothing piped in', /--password-stdin: standard input is empty \(pipe the password in/, (dir) =>
  registryOptions({ username: 'bot', 'password-stdin': true }, memoryIO({ cwd: dir, stdin: '\n' }), 'push'),
);

// .chartship.yaml
const config = (text: string) => parseConfig(text, '.chartship.yaml');
refused('.chartship.yaml', 'an allowed registry written as a URL', /allowed-registries\[0\]: "https:\/\/ghcr\.io\/acme" can match no image \(.*write ghcr\.io\/acme\)/, () =>
  config('policy:\n  rules:\n    no-external-registry:\n      allowed-registries: ["https://ghcr.io/acme"]\n'),
);
refused('.chartship.yaml', 'a `charts:` entry naming no chart (plan, publish; a glob that matches none is a warning)', /versioning\.charts\[0\]\.match: "wbe" names no chart \(did you mean "web"\?\)/, async (dir) => {
  const repo = openRepo(files(join(dir, 'repo'), { 'charts/web/Chart.yaml': chart() }), true);
  repo.commit('feat: web');
  return createPlan({ cwd: repo.dir, selectors: chartSelectors(await config('versioning:\n  charts:\n    - match: wbe\n      prerelease: rc\n')) });
});
refused('.chartship.yaml', 'an unknown section', /polcy: unknown key \(did you mean "policy"\?/, () => config('polcy:\n  rules: {}\n'));
refused('.chartship.yaml', 'an unknown rule', /policy\.rules\.immutable-tags: unknown key \(did you mean "immutable-image-tags"\?/, () => config('policy:\n  rules:\n    immutable-tags: error\n'));
refused('.chartship.yaml', 'a severity that does not exist', /must be one of error, warning, off/, () => config('policy:\n  rules:\n    values-schema: fatal\n'));
refused('.chartship.yaml', 'an option another rule takes', /values-schema\.allowed-registries: unknown key/, () => config('policy:\n  rules:\n    values-schema: {allowed-registries: [docker.io]}\n'));
refused('.chartship.yaml', 'an empty list of sentinel value paths (`image-registry-configurable: {values: []}`: every image would fail)', /image-registry-configurable\.values: must not be an empty list \(.*set its severity to off\)/, () =>
  config('policy:\n  rules:\n    image-registry-configurable: {values: []}\n'),
);
refused('.chartship.yaml', 'an allow-list given as text', /must be a list/, () => config('policy:\n  rules:\n    no-external-registry: {allowed-registries: docker.io}\n'));
refused('.chartship.yaml', 'a chart override without `match`', /policy\.charts\[0\]\.match: is required/, () => config('policy:\n  charts:\n    - rules: {}\n'));
refused('.chartship.yaml', 'a chart override with a bad glob', /bad glob/, async () => compilePolicy({ config: (await config('policy:\n  charts:\n    - match: "charts/[web"\n')).policy }));
refused('.chartship.yaml', 'a versioning key misspelt', /versioning\.bump-minor-pre-majr: unknown key \(did you mean "bump-minor-pre-major"\?/, () => config('versioning:\n  bump-minor-pre-majr: false\n'));
refused('.chartship.yaml', '`app-version: folow`', /\.chartship\.yaml:2:3: versioning\.app-version: must be keep, follow or value:TEXT, got "folow" \(did you mean "follow"\?\)$/, () => config('versioning:\n  app-version: folow\n'));
refused('.chartship.yaml', '`release-as` that is no version', /versioning\.charts\[0\]\.release-as: must be a SemVer version/, () => config('versioning:\n  charts:\n    - match: web\n      release-as: next\n'));
refused('.chartship.yaml', 'a tag template without `{version}`', /versioning\.release-tag-template: must contain \{version\} once, and \{name\} at most once/, () => config('versioning:\n  release-tag-template: "{name}"\n'));
refused('.chartship.yaml', 'a changelog type listed twice', /lists the type "fix" twice/, () => config('versioning:\n  changelog-types: [{type: fix}, {type: fix, hidden: true}]\n'));
refused('.chartship.yaml', 'a key given twice', /Map keys must be unique/, () => config('policy:\n  rules: {}\n  rules: {}\n'));
refused('.chartship.yaml', 'an alias (`*defaults`) with no anchor before it', /^\.chartship\.yaml:4:20: malformed YAML: alias \*defaults has no anchor &defaults before it$/, () =>
  config('versioning:\n  charts:\n    - match: web\n      other-types: *defaults\n'),
);
refused('.chartship.yaml', 'aliases that multiply into a huge document (a "billion laughs")', /^\.chartship\.yaml:\d+:\d+: malformed YAML: Excessive alias count/, () =>
  config(`a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`).join('\n')}\n`),
);
