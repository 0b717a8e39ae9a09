import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as F,b as B,c as $,e as V,g as Q,h as Y,i as z}from"./chunk-WGNL75NS.js";import"./chunk-DDTAJDOH.js";import{a as L,b as D,c as M,f as j,i as J,j as q,k as W}from"./chunk-Q7G5CBMC.js";import{e as x}from"./chunk-LJLCJHNX.js";import{k as K}from"./chunk-XIYJUVPL.js";import{a as E}from"./chunk-DMXODDBJ.js";import"./chunk-VT53CLAC.js";import{a as _}from"./chunk-FOVXY4O7.js";import{a as Z}from"./chunk-URMLBNZK.js";import{a as ee,b as te}from"./chunk-WGIUWNKK.js";import{a as X}from"./chunk-LZIZII5J.js";import"./chunk-UFFFUGN6.js";import"./chunk-YIYUDCSW.js";import"./chunk-KINCECZQ.js";import"./chunk-M4HYBZOV.js";import"./chunk-QYJS4TKE.js";import"./chunk-H7RC76YO.js";import"./chunk-FSBNUQQC.js";import"./chunk-RESZISYF.js";import"./chunk-6PCAYKQH.js";import"./chunk-ZHYZP552.js";import"./chunk-ADQSINY2.js";import"./chunk-XNDTIYUD.js";import{a as v,g as G}from"./chunk-AJMTQVHJ.js";import{a as P}from"./chunk-F47RHR6L.js";import"./chunk-GRHADQZ3.js";import"./chunk-NEGFKG4F.js";import"./chunk-3XNOML53.js";import{a as S,b as H}from"./chunk-ROQC5BWP.js";import{c as U}from"./chunk-MWAEZ5HJ.js";import{a as k,e as A}from"./chunk-6GAN23RC.js";import{a as R}from"./chunk-4TGYK7LD.js";import"./chunk-GEVGTG4N.js";import"./chunk-EX7XTJND.js";import"./chunk-NJTXWXX6.js";import"./chunk-YNNEILZX.js";import"./chunk-GFH3N2LE.js";import"./chunk-LXDHP64L.js";import"./chunk-VPCAKDHY.js";import{a as b,c as N}from"./chunk-BYESX7YB.js";import"./chunk-JWISYX7L.js";import"./chunk-4SBU7V5N.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import{a as u}from"./chunk-YUR25DCB.js";import"./chunk-JTO7CUDJ.js";import{writeFile as ce}from"node:fs/promises";import{resolve as y}from"node:path";import{readFileSync as me}from"node:fs";N();function re(e,t,r){if(e.attest.enabled!==!0)return;let n=he(t,r);if(!n)throw new u("--attest needs an OIDC identity token",{field:"attest",code:"OIDC_TOKEN_MISSING",hint:"put the CI job's ID token (audience sigstore) in SIGSTORE_ID_TOKEN or name its variable with --oidc-token-env VAR; on GitHub Actions grant `id-token: write`"});let s=t.GITHUB_ACTIONS==="true"?ge(t):void 0,i=t.GITLAB_CI?{serverUrl:t.CI_SERVER_URL??"",repositoryUrl:t.CI_PROJECT_URL,ref:t.CI_COMMIT_REF_NAME,runUrl:t.CI_JOB_URL}:void 0,a=s??i,o=n.what==="ACTIONS_ID_TOKEN_REQUEST_URL";return{idToken:n.idToken,sigstore:e.attest.sigstore??(o&&s?.visibility!=="public"?"github":"public-good"),signingConfigFile:e.attest.signingConfigFile,trustedRootFile:e.attest.trustedRootFile,context:{serverUrl:a?.serverUrl??"",...a?.repositoryUrl?{repositoryUrl:a.repositoryUrl}:{},...a?.ref?{ref:a.ref}:{},...a?.runUrl?{runUrl:a.runUrl}:{}}}}function he(e,t){if(t!==void 0){let i=e[t]?.trim();if(!i)throw new u(`--oidc-token-env names ${t}, which is not set`,{field:"oidc-token-env",code:"OIDC_TOKEN_MISSING"});return{what:t,idToken:()=>Promise.resolve(i)}}let r=e.SIGSTORE_ID_TOKEN?.trim();if(r)return{what:"SIGSTORE_ID_TOKEN",idToken:()=>Promise.resolve(r)};let n=e.ACTIONS_ID_TOKEN_REQUEST_URL,s=e.ACTIONS_ID_TOKEN_REQUEST_TOKEN;if(n&&s)return{what:"ACTIONS_ID_TOKEN_REQUEST_URL",idToken:()=>fe(n,s)}}async function fe(e,t){let r=new URL(e);r.searchParams.set("audience","sigstore");let{request:n}=await b(),s=await n(r,{headers:{authorization:`Bearer ${t}`,accept:"application/json"},headersTimeout:3e4,bodyTimeout:3e4}),i=await s.body.text();if(s.statusCode!==200)throw new u(`the GitHub Actions token endpoint answered HTTP ${s.statusCode}`,{code:"OIDC_TOKEN_MISSING",hint:"grant the job `permissions: id-token: write`"});let a=JSON.parse(i).value;if(typeof a!="string"||a==="")throw new u("the GitHub Actions token endpoint answered no token",{code:"OIDC_TOKEN_MISSING"});return a}function ge(e){let t=(e.GITHUB_SERVER_URL||"https://github.com").replace(/\/+$/,""),r=e.GITHUB_REPOSITORY,n=e.GITHUB_RUN_ID,s;try{s=JSON.parse(me(e.GITHUB_EVENT_PATH??"","utf8")).repository?.visibility}catch{s=void 0}return{serverUrl:t,...r?{repositoryUrl:`${t}/${r}`}:{},...e.GITHUB_REF?{ref:e.GITHUB_REF}:{},...r&&n?{runUrl:`${t}/${r}/actions/runs/${n}`}:{},...s?{visibility:s}:{}}}import{resolve as ye}from"node:path";var ne={"sign-key":"sign-key-file","sign-key-passphrase":"sign-key-passphrase-file","registry-auth":"registry-auth-file"},be=["sigstore-signing-config","sigstore-trusted-root"];function se(){let e={};for(let[t,r]of Object.entries(S))r.secret||"githubOnly"in r&&r.githubOnly||(e[t]={type:r.kind==="boolean"?"boolean":"string",multiple:r.kind==="list"||r.kind==="lines"});for(let t of Object.values(ne))e[t]={type:"string"};return e}async function oe(e,t){let r={};for(let n of Object.keys(S)){let s=e[n],i=Array.isArray(s)?s.join(`
`):typeof s=="boolean"?String(s):s;r[n]=i??t.env[`CHARTSHIP_${n.toUpperCase().replaceAll("-","_")}`]}for(let[n,s]of Object.entries(ne)){let i=e[s];typeof i=="string"&&i&&(r[n]=(await ee(t,i,`--${s}`)).trim())}e["password-stdin"]&&(r.password=(await te(t)).trim());for(let n of be)r[n]&&(r[n]=ye(t.cwd,r[n]));return r}function ie(e,t){if(e.GITLAB_CI){let r=e.CI_PIPELINE_SOURCE==="merge_request_event";return{eventName:r?"pull_request":"push",sha:e.CI_COMMIT_SHA??"HEAD",base:r?e.CI_MERGE_REQUEST_DIFF_BASE_SHA:e.CI_COMMIT_BEFORE_SHA,cwd:t}}return e.JENKINS_URL&&e.GIT_PREVIOUS_SUCCESSFUL_COMMIT?{eventName:"push",sha:e.GIT_COMMIT??"HEAD",base:e.GIT_PREVIOUS_SUCCESSFUL_COMMIT,cwd:t}:{sha:"HEAD",cwd:t}}function I(e){return e.CI_COMMIT_BRANCH||e.BRANCH_NAME||e.GIT_BRANCH?.replace(/^origin\//,"")||void 0}N();async function ae(e,t,r,n,s){let i=t.env,a=i.GITHUB_REPOSITORY??"",o={serverUrl:(i.GITHUB_SERVER_URL||"https://github.com").replace(/\/$/,""),repository:a};if(e.mode==="publish")return{run:{kind:"publish"},sha:"HEAD",report:o};let d=e.githubToken??i.GITHUB_TOKEN,[m="",h=""]=a.split("/");if(!d||!m||!h)throw new u(`--mode ${e.mode} needs GitHub: set CHARTSHIP_GITHUB_TOKEN (or GITHUB_TOKEN) and GITHUB_REPOSITORY=OWNER/REPO`,{field:"mode"});let p=V({token:d,apiUrl:(i.GITHUB_API_URL||"https://api.github.com").replace(/\/$/,""),owner:m,repo:h},{load:b}),c=P(r),f=await v(c,"HEAD");if(!f)throw new u("has no commit checked out",{field:"cwd"});let g=I(i)??await G(c);return{run:await z({...e,eventName:n.eventName??"push",sha:f,branch:g,github:p,log:s}),github:p,sha:f,...g?{branch:g}:{},report:o}}function le(e,t){return e.run.kind!=="release"||!e.github?{}:{...Y,releases:{client:e.github,tagTemplate:t.tagTemplate,sha:e.sha,render:r=>q(r,e.report)}}}async function ue(e,t,r){if(e.run.kind!=="release"||!e.github)return;let n=await e.github.upsertStickyComment(e.run.pull.number,j(),J(t.results,e.report));r.info(`${n.created?"created":"updated"} the comment on #${e.run.pull.number}: ${n.url}`)}async function pe(e,t,r,n,s){if(!e.branch||!e.github)throw new u("needs the branch to open a release pull request into: check one out, or set CI_COMMIT_BRANCH",{field:"mode"});let i=await Q({...t.releasePr,publish:t.publish,github:e.github,base:e.branch,sha:e.sha,report:e.report},s),a=i.pulls.map(o=>({number:o.number,url:o.url,created:o.created}));if(n)r.stdout(`${JSON.stringify({releasePr:a,closed:i.closed,kept:i.kept,plan:i.plan},null,2)}
`);else{for(let o of i.pulls)r.stdout(`${o.created?"opened":"updated"} release pull request #${o.number}: ${o.url}
`);for(let o of i.closed)r.stdout(`closed release pull request #${o}: nothing left to release
`);i.pulls.length===0&&i.closed.length===0&&r.stdout(`nothing to release
`)}return i.plan.invalid.length>0?1:0}var Ie=`usage: chartship publish [options]

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
  --shards N                with --json: the charts to publish as dependency waves of at most N shards each
  --wave W --shard I/N      publish only shard I of N of dependency wave W (plan --shards N lists them)
  --outcome-file FILE       write the outcome as JSON there, for chartship merge (with --shard)
  --cwd DIR                 repository to publish from (default: .)
  --json                    print the outcome as JSON
`;async function nt(e,t){let r=await X({name:"publish",help:Ie,positionals:{min:0,max:0,what:"no arguments"},options:{...se(),"password-stdin":{type:"boolean"},"oidc-token-env":{type:"string"},"summary-file":{type:"string"},head:{type:"string"},config:{type:"string"},cwd:{type:"string"},json:{type:"boolean"}}},e,t);if(typeof r=="number")return r;let n=r.values,s=y(t.cwd,n.cwd??"."),i=await oe(n,t),a=ie(t.env,s),o=H(i,a),d=n.config,m=d?await _(y(t.cwd,d),d,{required:!0}):await _(y(s,R),R);o.publish.policy=await x(o.publish.policy,m,t.env),U(o,m.versioning);let h=n.head;h!==void 0&&(o.publish.head=h);let p=Z(t),c=await ae(o,t,s,a,p);if(c.run.kind==="release-pr")return pe(c,o,t,!!n.json,p);let f=o.publish.dryRun?void 0:re(o,t.env,n["oidc-token-env"]),g=new Date,l=await $({...o.publish,...le(c,o),attest:f,onPlan:T=>t.stderr(`${E(T)}
`)},p);await ue(c,l,p);let{shard:O}=o.publish;o.outcomeFile&&O&&await ce(y(t.cwd,o.outcomeFile),A(O,l,g)),await B(l,{commitBump:o.commitBump,cwd:s,branch:()=>F(I(t.env),s),tagged:!1,remedy:`pass --commit-bump, or tag each release as ${o.tagTemplate}`,log:p});let de=l.policy?`
${K(l.policy)}`:"",w=l.dryRun?`${E(l.plan)}${de}`:W(l.results,{serverUrl:"",repository:""},l.policy),C=n["summary-file"];return C&&await ce(y(t.cwd,C),w),n.json?t.stdout(`${JSON.stringify({dryRun:l.dryRun,charts:L(l.results),pushed:M(l.results),matrix:D(l.plan),...o.shards?{shards:k(l.plan,o.shards)}:{},...l.policy?{policy:l.policy}:{}},null,2)}
`):t.stdout(`${w}
`),l.results.some(T=>T.status==="failed")||l.classicIndex?.error?1:0}export{nt as run};
//# sourceMappingURL=publish-B5QZQUVM.js.map
