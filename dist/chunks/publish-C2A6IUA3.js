import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as A}from"./chunk-Z4WX3N2K.js";import{a as k,b as v}from"./chunk-LH2KUZAT.js";import{a as U}from"./chunk-MITFHSS3.js";import{a as S,b as E,c as T,d as _,e as R,f as O,g as f,h as w,n as N}from"./chunk-6PK2I5EI.js";import{n as b,t as g,v as C,w as m}from"./chunk-3VOCC252.js";import{c as d}from"./chunk-AVSAUZXX.js";import"./chunk-23LTOYTF.js";import"./chunk-PQUVZG5T.js";import"./chunk-IF5GNVQ6.js";import"./chunk-TR6SIV5R.js";import"./chunk-JNL4OBP2.js";import"./chunk-4H6NYO7X.js";import"./chunk-VT53CLAC.js";import"./chunk-M4HYBZOV.js";import"./chunk-TGSGL642.js";import"./chunk-CRFO4ITO.js";import"./chunk-DORHLSVB.js";import"./chunk-44YSZEWT.js";import{a as l}from"./chunk-DFNV5VGS.js";import{a as K}from"./chunk-RKEOQZOY.js";import{e as j}from"./chunk-JTO7CUDJ.js";import{writeFile as z}from"node:fs/promises";import{resolve as p}from"node:path";var P=j(K(),1);import{readFileSync as J}from"node:fs";function F(t,e,r){if(t.attest.enabled!==!0)return;let s=V(e,r);if(!s)throw new l("--attest needs an OIDC identity token",{field:"attest",code:"OIDC_TOKEN_MISSING",hint:"put the CI job's ID token (audience sigstore) in SIGSTORE_ID_TOKEN or name its variable with --oidc-token-env VAR; on GitHub Actions grant `id-token: write`"});let i=e.GITHUB_ACTIONS==="true"?Q(e):void 0,n=e.GITLAB_CI?{serverUrl:e.CI_SERVER_URL??"",repositoryUrl:e.CI_PROJECT_URL,ref:e.CI_COMMIT_REF_NAME,runUrl:e.CI_JOB_URL}:void 0,o=i??n,c=s.what==="ACTIONS_ID_TOKEN_REQUEST_URL";return{idToken:s.idToken,sigstore:t.attest.sigstore??(c&&i?.visibility!=="public"?"github":"public-good"),signingConfigFile:t.attest.signingConfigFile,trustedRootFile:t.attest.trustedRootFile,context:{serverUrl:o?.serverUrl??"",...o?.repositoryUrl?{repositoryUrl:o.repositoryUrl}:{},...o?.ref?{ref:o.ref}:{},...o?.runUrl?{runUrl:o.runUrl}:{}}}}function V(t,e){if(e!==void 0){let n=t[e]?.trim();if(!n)throw new l(`--oidc-token-env names ${e}, which is not set`,{field:"oidc-token-env",code:"OIDC_TOKEN_MISSING"});return{what:e,idToken:()=>Promise.resolve(n)}}let r=t.SIGSTORE_ID_TOKEN?.trim();if(r)return{what:"SIGSTORE_ID_TOKEN",idToken:()=>Promise.resolve(r)};let s=t.ACTIONS_ID_TOKEN_REQUEST_URL,i=t.ACTIONS_ID_TOKEN_REQUEST_TOKEN;if(s&&i)return{what:"ACTIONS_ID_TOKEN_REQUEST_URL",idToken:()=>q(s,i)}}async function q(t,e){let r=new URL(t);r.searchParams.set("audience","sigstore");let s=await(0,P.request)(r,{headers:{authorization:`Bearer ${e}`,accept:"application/json"},headersTimeout:3e4,bodyTimeout:3e4}),i=await s.body.text();if(s.statusCode!==200)throw new l(`the GitHub Actions token endpoint answered HTTP ${s.statusCode}`,{code:"OIDC_TOKEN_MISSING",hint:"grant the job `permissions: id-token: write`"});let n=JSON.parse(i).value;if(typeof n!="string"||n==="")throw new l("the GitHub Actions token endpoint answered no token",{code:"OIDC_TOKEN_MISSING"});return n}function Q(t){let e=(t.GITHUB_SERVER_URL||"https://github.com").replace(/\/+$/,""),r=t.GITHUB_REPOSITORY,s=t.GITHUB_RUN_ID,i;try{i=JSON.parse(J(t.GITHUB_EVENT_PATH??"","utf8")).repository?.visibility}catch{i=void 0}return{serverUrl:e,...r?{repositoryUrl:`${e}/${r}`}:{},...t.GITHUB_REF?{ref:t.GITHUB_REF}:{},...r&&s?{runUrl:`${e}/${r}/actions/runs/${s}`}:{},...i?{visibility:i}:{}}}import{resolve as W}from"node:path";var H={"sign-key":"sign-key-file","sign-key-passphrase":"sign-key-passphrase-file","registry-auth":"registry-auth-file"},Y=["sigstore-signing-config","sigstore-trusted-root"];function G(){let t={};for(let[e,r]of Object.entries(f))r.secret||"githubOnly"in r&&r.githubOnly||(t[e]={type:r.kind==="boolean"?"boolean":"string",multiple:r.kind==="list"||r.kind==="lines"});for(let e of Object.values(H))t[e]={type:"string"};return t}async function L(t,e){let r={};for(let s of Object.keys(f)){let i=t[s],n=Array.isArray(i)?i.join(`
`):typeof i=="boolean"?String(i):i;r[s]=n??e.env[`CHARTSHIP_${s.toUpperCase().replaceAll("-","_")}`]}for(let[s,i]of Object.entries(H)){let n=t[i];typeof n=="string"&&n&&(r[s]=(await k(e,n,`--${i}`)).trim())}t["password-stdin"]&&(r.password=(await v(e)).trim());for(let s of Y)r[s]&&(r[s]=W(e.cwd,r[s]));return r}function D(t,e){if(t.GITLAB_CI){let r=t.CI_PIPELINE_SOURCE==="merge_request_event";return{eventName:r?"pull_request":"push",sha:t.CI_COMMIT_SHA??"HEAD",base:r?t.CI_MERGE_REQUEST_DIFF_BASE_SHA:t.CI_COMMIT_BEFORE_SHA,cwd:e}}return t.JENKINS_URL&&t.GIT_PREVIOUS_SUCCESSFUL_COMMIT?{eventName:"push",sha:t.GIT_COMMIT??"HEAD",base:t.GIT_PREVIOUS_SUCCESSFUL_COMMIT,cwd:e}:{sha:"HEAD",cwd:e}}function M(t){return t.CI_COMMIT_BRANCH||t.BRANCH_NAME||t.GIT_BRANCH?.replace(/^origin\//,"")||void 0}var X=`usage: chartship publish [options]

Plans, packages, signs and pushes every changed chart, then prints the digests. Every option can also be set as an
environment variable CHARTSHIP_<NAME> (e.g. CHARTSHIP_PASSWORD), which keeps secrets out of the command line.

  --registry TARGET         oci://HOST[:PORT]/NAMESPACE or oci-layout:DIR (repeatable)
  --username USER           registry user for the first registry's host (default: docker/helm credential files)
  --password-stdin          read the registry password from standard input
  --registry-auth-file FILE logins per registry host, one HOST=USERNAME:PASSWORD per line (or CHARTSHIP_REGISTRY_AUTH)
  --registry-tls HOST=OPTS  TLS per registry host (repeatable): plain-http, insecure-skip-tls-verify, ca-file=F,
                            cert-file=F, key-file=F, comma-separated
  --create-repositories     ECR: create a chart's repository when it does not exist (AWS credential chain)
  --charts GLOB             chart directories (repeatable; default charts/*)
  --exclude NAME            chart name or path glob to leave out (repeatable)
  --skip-deprecated         leave out deprecated charts
  --base REF                compare against REF (default: the CI's range, else each chart's last release tag)
  --version-bump MODE       conventional (default) or none
  --prerelease ID           e.g. rc: 1.3.0-rc.0, then 1.3.0-rc.1
  --sign-key-file FILE      armored OpenPGP private key: sign every chart (.prov pushed as an OCI layer)
  --sign-key-passphrase-file FILE
  --attest                  sign every pushed chart keylessly with Sigstore (SLSA provenance, stored beside the
                            chart in each registry); needs an OIDC ID token: see --oidc-token-env
  --oidc-token-env VAR      the variable holding the ID token (default SIGSTORE_ID_TOKEN, else the GitHub
                            Actions token endpoint when the job grants id-token: write)
  --sigstore INSTANCE       public-good (default) or github (GitHub's instance for private repositories)
  --sigstore-signing-config FILE, --sigstore-trusted-root FILE
                            another Sigstore instance (a SigningConfig and its TrustedRoot, as cosign takes them)
  --release-tag-template T  default {name}-{version} (also how each chart's last release tag is found)
  --commit-bump             commit the Chart.yaml bumps and push them to the branch (after a full success)
  --classic-index DIR|gh-pages
                            also keep a classic index.yaml (with the archives) of every published version there;
                            gh-pages commits it to that branch of origin and pushes it
  --classic-index-url URL   the URL that directory or branch is served from (default: relative urls)
  --dry-run                 plan and report only
  --overwrite               replace tags that hold different content
  --fail-fast               stop at the first failing chart
  --policy MODE             chart policy: off, warn (default: report findings) or enforce (failing charts are not
                            published; the others are)
  --policy-allowed-registries HOST
                            image registries charts may pull from (repeatable; no-external-registry)
  --config FILE             configuration file (default: .chartship.yaml in --cwd)
  --plain-http, --ca-file FILE, --insecure-skip-tls-verify
  --summary-file FILE       write the markdown summary there too
  --cwd DIR                 repository to publish from (default: .)
  --json                    print the outcome as JSON
`;async function _e(t,e){let r=U({name:"publish",help:X,positionals:{min:0,max:0,what:"no arguments"},options:{...G(),"password-stdin":{type:"boolean"},"oidc-token-env":{type:"string"},"summary-file":{type:"string"},config:{type:"string"},cwd:{type:"string"},json:{type:"boolean"}}},t,e);if(typeof r=="number")return r;let s=r.values,i=p(e.cwd,s.cwd??"."),n=await L(s,e),o=w(n,D(e.env,i)),c=s.config,x=c?await m(p(e.cwd,c),c,{required:!0}):await m(p(i,g),g);o.publish.policy=await b(o.publish.policy,x,e.env);let h=A(e),B=o.publish.dryRun?void 0:F(o,e.env,s["oidc-token-env"]),a=await O({...o.publish,attest:B,onPlan:u=>e.stderr(`${d(u)}
`)},h);await E(a,{commitBump:o.commitBump,cwd:i,branch:()=>S(M(e.env),i),tagged:!1,remedy:`pass --commit-bump, or tag each release as ${o.tagTemplate}`,log:h});let $=a.policy?`
${C(a.policy)}`:"",y=a.dryRun?`${d(a.plan)}${$}`:N(a.results,{serverUrl:"",repository:""},a.policy),I=s["summary-file"];return I&&await z(p(e.cwd,I),y),s.json?e.stdout(`${JSON.stringify({dryRun:a.dryRun,charts:T(a.results),pushed:R(a.results),matrix:_(a.plan),...a.policy?{policy:a.policy}:{}},null,2)}
`):e.stdout(`${y}
`),a.results.some(u=>u.status==="failed")||a.classicIndex?.error?1:0}export{_e as run};
//# sourceMappingURL=publish-C2A6IUA3.js.map
