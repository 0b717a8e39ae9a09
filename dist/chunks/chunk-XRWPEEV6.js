import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{j as i}from"./chunk-MB5RYZB3.js";import{parseArgs as g}from"node:util";async function b(e,t,s){let r;try{r=g({args:t,options:{...e.options,help:{type:"boolean",short:"h"}},allowPositionals:!0,strict:!0,allowNegative:!0})}catch(a){return p(e,await h(a,Object.keys(e.options)),s)}if(r.values.help)return s.stdout(e.help),0;let n=r.positionals.length;return n<e.positionals.min||n>e.positionals.max?p(e,`expected ${e.positionals.what}, got ${n} argument(s)`,s):r}async function h(e,t){let s=e.code==="ERR_PARSE_ARGS_UNKNOWN_OPTION"?/^Unknown option '--([^'=]+)'/.exec(e.message)?.[1]:void 0;if(s===void 0)return e.message;let r=(await import("./keys-I7TBSJ5P.js")).didYouMean(s,[...t,"help"]);return`unknown option --${s}${r?` (did you mean --${r}?)`:""}`}function p(e,t,s){return s.stderr(`chartship ${e.name}: ${t}

${e.help}`),2}import{resolve as o}from"node:path";import{readFile as m}from"node:fs/promises";import{resolve as f}from"node:path";async function l(e,t,s){let r=f(e.cwd,t);try{return await m(r,"utf8")}catch(n){throw new i(`cannot read ${r}: ${n.code??n.message}`,{field:s,file:r})}}async function d(e){let t=(await e.readStdin()).toString("utf8").replace(/\r?\n$/,"");if(t.trim()==="")throw new i("standard input is empty",{field:"--password-stdin",code:"USAGE",hint:'pipe the password in: echo "$PASSWORD" | chartship … --password-stdin'});return t}async function A(e,t,s,r){let n=await l(e,t,r.key),a=s?(await l(e,s,r.passphrase)).replace(/\r?\n$/,""):void 0;return{armoredKey:n,passphrase:a,label:t}}var x={"plain-http":{type:"boolean"},"ca-file":{type:"string"},"cert-file":{type:"string"},"key-file":{type:"string"},"insecure-skip-tls-verify":{type:"boolean"},username:{type:"string"},"password-stdin":{type:"boolean"},"registry-config":{type:"string"}},c={username:{type:"string"},"password-stdin":{type:"boolean"},"registry-auth-file":{type:"string"},"registry-tls":{type:"string",multiple:!0},"plain-http":{type:"boolean"},"ca-file":{type:"string"},"insecure-skip-tls-verify":{type:"boolean"}},u=[["--plain-http","use HTTP instead of HTTPS"],["--ca-file FILE","trust this CA for the registry"],["--cert-file FILE","client certificate"],["--key-file FILE","client key"],["--insecure-skip-tls-verify","do not verify the registry's certificate"],["--username USER",`with --password-stdin; otherwise CHARTSHIP_USERNAME and CHARTSHIP_PASSWORD,
else helm's and docker's config.json`],["--password-stdin","read the password (or token) from standard input"],["--registry-config FILE","registry config.json instead of helm's default"]];function y(e=31){return u.map(([t,s])=>`  ${t.padEnd(e-2)}${s.replaceAll(`
`,`
${" ".repeat(e)}`)}`).join(`
`)}var H=y();async function F(e,t,s){if(e["password-stdin"]&&e.username===void 0)throw new i("--password-stdin needs --username",{code:"USAGE"});if(e.username!==void 0&&!e["password-stdin"])throw new i("--username needs --password-stdin",{code:"USAGE",hint:`pipe the password: echo "$PASSWORD" | chartship ${s} … --username USER --password-stdin`});let r={plainHttp:e["plain-http"],caFile:e["ca-file"]&&o(t.cwd,e["ca-file"]),certFile:e["cert-file"]&&o(t.cwd,e["cert-file"]),keyFile:e["key-file"]&&o(t.cwd,e["key-file"]),insecureSkipTlsVerify:e["insecure-skip-tls-verify"],registryConfig:e["registry-config"]&&o(t.cwd,e["registry-config"]),env:t.env,cwd:t.cwd};return e.username!==void 0?(r.username=e.username,r.password=await d(t)):Object.assign(r,w(t.env,"CHARTSHIP_USERNAME","CHARTSHIP_PASSWORD")),r}function w(e,t,s){let r=e[t],n=e[s];if(n!==void 0){if(r===void 0)throw new i(`${s} needs ${t}`,{code:"USAGE"});return{username:r,password:n}}}var _=`usage: chartship plan [options]

Shows which charts changed and the versions they would be released as. As for publish, a setting also comes from
CHARTSHIP_<NAME> (a flag wins; --registry is a flag only; --no-FLAG sets one false), and GitLab's and Jenkins'
variables give the range.

  --charts GLOB        chart directories (repeatable; default charts/*; ** spans directories)
  --exclude NAME|GLOB  leave charts out by name or directory glob (repeatable)
  --skip-deprecated    leave out charts marked deprecated
  --base REF           compare against merge-base(REF, head), as for a pull request or push
  --head REF           last commit to look at (default HEAD); charts are read as they are at REF, from git
                       when the work tree is elsewhere (--write and --registry need REF checked out)
  --since-tags         compare each chart against its newest release tag (the default without --base)
  --release-tag-template T
                       release tag naming (default {name}-{version}; --tag-template is the same)
  --registry oci://…   target registry or oci-layout:DIR (repeatable): charts whose next version it already holds
                       with the same content are unchanged, with other content an error; dependencies on it are local
  --overwrite          accept a published version with different content (it will be replaced)
  --plain-http         talk HTTP, not HTTPS, to the registries
  --username USER --password-stdin
                       login for the first registry's host (or CHARTSHIP_USERNAME and CHARTSHIP_PASSWORD; without
                       one, the docker/helm credential files)
  --registry-auth-file FILE
                       logins per registry host, one HOST=USERNAME:PASSWORD per line (or CHARTSHIP_REGISTRY_AUTH)
  --registry-tls HOST=OPTION,…
                       TLS per registry host (repeatable), as publish takes it
  --ca-file FILE, --insecure-skip-tls-verify
  --prerelease ID      prerelease channel, e.g. rc → 1.3.0-rc.0
  --version-bump MODE  conventional (default) or none
  --other-types MODE   non-release commit types that change a chart: patch (default) or none
  --app-version MODE   keep (default), follow (the chart version), or value:TEXT
  --bump-minor-pre-major
                       below 1.0.0 a breaking change bumps the minor (the default; --no-… turns it off)
  --bump-patch-for-minor-pre-major
                       below 1.0.0 a feature bumps the patch
  --config FILE        configuration file (default: .chartship.yaml at the repository's root); its versioning:
                       section applies
  --write              write the new versions into Chart.yaml
  --shards N           split the charts to publish into dependency waves of at most N shards each (JSON: shards,
                       one matrix per wave; run each with publish --wave W --shard I/N)
  --json               print the plan as JSON
  --cwd DIR            repository directory (default: current directory)
  --help               show this help
`,$={charts:{type:"string",multiple:!0},exclude:{type:"string",multiple:!0},"skip-deprecated":{type:"boolean"},base:{type:"string"},head:{type:"string"},"since-tags":{type:"boolean"},"tag-template":{type:"string"},"release-tag-template":{type:"string"},"bump-minor-pre-major":{type:"boolean"},"bump-patch-for-minor-pre-major":{type:"boolean"},config:{type:"string"},registry:{type:"string",multiple:!0},overwrite:{type:"boolean"},...c,prerelease:{type:"string"},"version-bump":{type:"string"},"other-types":{type:"string"},"app-version":{type:"string"},write:{type:"boolean"},shards:{type:"string"},json:{type:"boolean"},cwd:{type:"string"}};export{l as a,d as b,A as c,b as d,p as e,x as f,c as g,y as h,H as i,F as j,_ as k,$ as l};
//# sourceMappingURL=chunk-XRWPEEV6.js.map
