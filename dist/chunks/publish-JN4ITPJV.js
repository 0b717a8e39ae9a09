import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as W}from"./chunk-Z4WX3N2K.js";import{a as Q,b as Y}from"./chunk-LH2KUZAT.js";import{a as V}from"./chunk-MITFHSS3.js";import{a as U,b as k,c as A,d as H,e as P,g as G,h as L,j as M,k as x,l as $,m as j,o as K,p as J,q}from"./chunk-ZNTTEOM7.js";import{m as v,s as D}from"./chunk-HTQU6IXF.js";import{d as I,h as B,i as R,j as F}from"./chunk-QLCZNYWV.js";import{a as w,b as N,x as T,y as S}from"./chunk-PNA3LLWE.js";import{a as C}from"./chunk-MQDBXVYM.js";import"./chunk-IF5GNVQ6.js";import"./chunk-TR6SIV5R.js";import"./chunk-JNL4OBP2.js";import"./chunk-4H6NYO7X.js";import"./chunk-VT53CLAC.js";import"./chunk-M4HYBZOV.js";import"./chunk-TGSGL642.js";import"./chunk-CRFO4ITO.js";import"./chunk-DORHLSVB.js";import"./chunk-44YSZEWT.js";import{a as u}from"./chunk-DFNV5VGS.js";import{a as le}from"./chunk-RKEOQZOY.js";import{e as ae}from"./chunk-JTO7CUDJ.js";import{writeFile as fe}from"node:fs/promises";import{resolve as y}from"node:path";var z=ae(le(),1);import{readFileSync as ue}from"node:fs";function X(e,t,r){if(e.attest.enabled!==!0)return;let n=pe(t,r);if(!n)throw new u("--attest needs an OIDC identity token",{field:"attest",code:"OIDC_TOKEN_MISSING",hint:"put the CI job's ID token (audience sigstore) in SIGSTORE_ID_TOKEN or name its variable with --oidc-token-env VAR; on GitHub Actions grant `id-token: write`"});let o=t.GITHUB_ACTIONS==="true"?de(t):void 0,i=t.GITLAB_CI?{serverUrl:t.CI_SERVER_URL??"",repositoryUrl:t.CI_PROJECT_URL,ref:t.CI_COMMIT_REF_NAME,runUrl:t.CI_JOB_URL}:void 0,l=o??i,s=n.what==="ACTIONS_ID_TOKEN_REQUEST_URL";return{idToken:n.idToken,sigstore:e.attest.sigstore??(s&&o?.visibility!=="public"?"github":"public-good"),signingConfigFile:e.attest.signingConfigFile,trustedRootFile:e.attest.trustedRootFile,context:{serverUrl:l?.serverUrl??"",...l?.repositoryUrl?{repositoryUrl:l.repositoryUrl}:{},...l?.ref?{ref:l.ref}:{},...l?.runUrl?{runUrl:l.runUrl}:{}}}}function pe(e,t){if(t!==void 0){let i=e[t]?.trim();if(!i)throw new u(`--oidc-token-env names ${t}, which is not set`,{field:"oidc-token-env",code:"OIDC_TOKEN_MISSING"});return{what:t,idToken:()=>Promise.resolve(i)}}let r=e.SIGSTORE_ID_TOKEN?.trim();if(r)return{what:"SIGSTORE_ID_TOKEN",idToken:()=>Promise.resolve(r)};let n=e.ACTIONS_ID_TOKEN_REQUEST_URL,o=e.ACTIONS_ID_TOKEN_REQUEST_TOKEN;if(n&&o)return{what:"ACTIONS_ID_TOKEN_REQUEST_URL",idToken:()=>ce(n,o)}}async function ce(e,t){let r=new URL(e);r.searchParams.set("audience","sigstore");let n=await(0,z.request)(r,{headers:{authorization:`Bearer ${t}`,accept:"application/json"},headersTimeout:3e4,bodyTimeout:3e4}),o=await n.body.text();if(n.statusCode!==200)throw new u(`the GitHub Actions token endpoint answered HTTP ${n.statusCode}`,{code:"OIDC_TOKEN_MISSING",hint:"grant the job `permissions: id-token: write`"});let i=JSON.parse(o).value;if(typeof i!="string"||i==="")throw new u("the GitHub Actions token endpoint answered no token",{code:"OIDC_TOKEN_MISSING"});return i}function de(e){let t=(e.GITHUB_SERVER_URL||"https://github.com").replace(/\/+$/,""),r=e.GITHUB_REPOSITORY,n=e.GITHUB_RUN_ID,o;try{o=JSON.parse(ue(e.GITHUB_EVENT_PATH??"","utf8")).repository?.visibility}catch{o=void 0}return{serverUrl:t,...r?{repositoryUrl:`${t}/${r}`}:{},...e.GITHUB_REF?{ref:e.GITHUB_REF}:{},...r&&n?{runUrl:`${t}/${r}/actions/runs/${n}`}:{},...o?{visibility:o}:{}}}import{resolve as me}from"node:path";var Z={"sign-key":"sign-key-file","sign-key-passphrase":"sign-key-passphrase-file","registry-auth":"registry-auth-file"},he=["sigstore-signing-config","sigstore-trusted-root"];function ee(){let e={};for(let[t,r]of Object.entries(R))r.secret||"githubOnly"in r&&r.githubOnly||(e[t]={type:r.kind==="boolean"?"boolean":"string",multiple:r.kind==="list"||r.kind==="lines"});for(let t of Object.values(Z))e[t]={type:"string"};return e}async function te(e,t){let r={};for(let n of Object.keys(R)){let o=e[n],i=Array.isArray(o)?o.join(`
`):typeof o=="boolean"?String(o):o;r[n]=i??t.env[`CHARTSHIP_${n.toUpperCase().replaceAll("-","_")}`]}for(let[n,o]of Object.entries(Z)){let i=e[o];typeof i=="string"&&i&&(r[n]=(await Q(t,i,`--${o}`)).trim())}e["password-stdin"]&&(r.password=(await Y(t)).trim());for(let n of he)r[n]&&(r[n]=me(t.cwd,r[n]));return r}function re(e,t){if(e.GITLAB_CI){let r=e.CI_PIPELINE_SOURCE==="merge_request_event";return{eventName:r?"pull_request":"push",sha:e.CI_COMMIT_SHA??"HEAD",base:r?e.CI_MERGE_REQUEST_DIFF_BASE_SHA:e.CI_COMMIT_BEFORE_SHA,cwd:t}}return e.JENKINS_URL&&e.GIT_PREVIOUS_SUCCESSFUL_COMMIT?{eventName:"push",sha:e.GIT_COMMIT??"HEAD",base:e.GIT_PREVIOUS_SUCCESSFUL_COMMIT,cwd:t}:{sha:"HEAD",cwd:t}}function g(e){return e.CI_COMMIT_BRANCH||e.BRANCH_NAME||e.GIT_BRANCH?.replace(/^origin\//,"")||void 0}async function ne(e,t,r,n,o){let i=t.env,l=i.GITHUB_REPOSITORY??"",s={serverUrl:(i.GITHUB_SERVER_URL||"https://github.com").replace(/\/$/,""),repository:l};if(e.mode==="publish")return{run:{kind:"publish"},sha:"HEAD",report:s};let d=e.githubToken??i.GITHUB_TOKEN,[m="",h=""]=l.split("/");if(!d||!m||!h)throw new u(`--mode ${e.mode} needs GitHub: set CHARTSHIP_GITHUB_TOKEN (or GITHUB_TOKEN) and GITHUB_REPOSITORY=OWNER/REPO`,{field:"mode"});let p=j({token:d,apiUrl:(i.GITHUB_API_URL||"https://api.github.com").replace(/\/$/,""),owner:m,repo:h}),c=C(r),f=await w(c,"HEAD");if(!f)throw new u("has no commit checked out",{field:"cwd"});let a=g(i)??await N(c);return{run:await q({...e,eventName:n.eventName??"push",sha:f,branch:a,github:p,log:o}),github:p,sha:f,...a?{branch:a}:{},report:s}}function ie(e,t){return e.run.kind!=="release"||!e.github?{}:{...J,releases:{client:e.github,tagTemplate:t.tagTemplate,sha:e.sha,render:r=>x(r,e.report)}}}async function oe(e,t,r){if(e.run.kind!=="release"||!e.github)return;let n=await e.github.upsertStickyComment(e.run.pull.number,L(),M(t.results,e.report));r.info(`${n.created?"created":"updated"} the comment on #${e.run.pull.number}: ${n.url}`)}async function se(e,t,r,n,o){if(!e.branch||!e.github)throw new u("needs the branch to open a release pull request into: check one out, or set CI_COMMIT_BRANCH",{field:"mode"});let i=await K({...t.releasePr,publish:t.publish,github:e.github,base:e.branch,sha:e.sha,report:e.report},o),l=i.pulls.map(s=>({number:s.number,url:s.url,created:s.created}));if(n)r.stdout(`${JSON.stringify({releasePr:l,closed:i.closed,kept:i.kept,plan:i.plan},null,2)}
`);else{for(let s of i.pulls)r.stdout(`${s.created?"opened":"updated"} release pull request #${s.number}: ${s.url}
`);for(let s of i.closed)r.stdout(`closed release pull request #${s}: nothing left to release
`);i.pulls.length===0&&i.closed.length===0&&r.stdout(`nothing to release
`)}return i.plan.invalid.length>0?1:0}var ge=`usage: chartship publish [options]

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
  --head REF                last commit to look at (default HEAD)
  --version-bump MODE       conventional (default) or none
  --prerelease ID           e.g. rc: 1.3.0-rc.0, then 1.3.0-rc.1
  --other-types MODE        non-release commit types that change a chart: patch (default) or none
  --app-version MODE        keep (default), follow (the chart version), or value:TEXT
  --bump-minor-pre-major    below 1.0.0 a breaking change bumps the minor (the default)
  --bump-patch-for-minor-pre-major
                            below 1.0.0 a feature bumps the patch
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
  --mode MODE               publish (default), release-pr or auto: open or update a release pull request
                            instead, and publish it once merged (CHARTSHIP_GITHUB_TOKEN or GITHUB_TOKEN, and
                            GITHUB_REPOSITORY=OWNER/REPO; GITHUB_API_URL for GitHub Enterprise Server)
  --release-pr single|per-chart
  --release-branch BRANCH   default chartship/release
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
`;async function ze(e,t){let r=V({name:"publish",help:ge,positionals:{min:0,max:0,what:"no arguments"},options:{...ee(),"password-stdin":{type:"boolean"},"oidc-token-env":{type:"string"},"summary-file":{type:"string"},head:{type:"string"},config:{type:"string"},cwd:{type:"string"},json:{type:"boolean"}}},e,t);if(typeof r=="number")return r;let n=r.values,o=y(t.cwd,n.cwd??"."),i=await te(n,t),l=re(t.env,o),s=F(i,l),d=n.config,m=d?await S(y(t.cwd,d),d,{required:!0}):await S(y(o,T),T);s.publish.policy=await v(s.publish.policy,m,t.env),B(s,m.versioning);let h=n.head;h!==void 0&&(s.publish.head=h);let p=W(t),c=await ne(s,t,o,l,p);if(c.run.kind==="release-pr")return se(c,s,t,!!n.json,p);let f=s.publish.dryRun?void 0:X(s,t.env,n["oidc-token-env"]),a=await G({...s.publish,...ie(c,s),attest:f,onPlan:b=>t.stderr(`${I(b)}
`)},p);await oe(c,a,p),await k(a,{commitBump:s.commitBump,cwd:o,branch:()=>U(g(t.env),o),tagged:!1,remedy:`pass --commit-bump, or tag each release as ${s.tagTemplate}`,log:p});let E=a.policy?`
${D(a.policy)}`:"",_=a.dryRun?`${I(a.plan)}${E}`:$(a.results,{serverUrl:"",repository:""},a.policy),O=n["summary-file"];return O&&await fe(y(t.cwd,O),_),n.json?t.stdout(`${JSON.stringify({dryRun:a.dryRun,charts:A(a.results),pushed:P(a.results),matrix:H(a.plan),...a.policy?{policy:a.policy}:{}},null,2)}
`):t.stdout(`${_}
`),a.results.some(b=>b.status==="failed")||a.classicIndex?.error?1:0}export{ze as run};
//# sourceMappingURL=publish-JN4ITPJV.js.map
