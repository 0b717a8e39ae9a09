import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as $,c as J,e as W,f as V,g as q}from"./chunk-7ORKVFSR.js";import{b as P,c as H,d as A,i as L,j as B,n as K,o as j,p as M}from"./chunk-TJ7TEYDI.js";import{e as F}from"./chunk-R7BK73LL.js";import{f as x}from"./chunk-4VBMQX57.js";import{a as Q}from"./chunk-XEK3KB75.js";import{a as X,c as Z,d as ee,e as y}from"./chunk-P5O4RF3W.js";import{a as R}from"./chunk-LXETNMLD.js";import"./chunk-VT53CLAC.js";import"./chunk-3BIMSVTA.js";import"./chunk-CKDOQZEB.js";import{a as z}from"./chunk-URMLBNZK.js";import{a as Y}from"./chunk-4QWYSXHQ.js";import"./chunk-VDWL4OMC.js";import"./chunk-XNUB4MO7.js";import"./chunk-PMHZI63X.js";import"./chunk-QYJS4TKE.js";import"./chunk-M4HYBZOV.js";import"./chunk-Y5ZVJAPW.js";import"./chunk-XAT32GOT.js";import"./chunk-ROCGOHG6.js";import"./chunk-AAFOTXJ4.js";import"./chunk-M3B62AW6.js";import"./chunk-G2VN4QXY.js";import"./chunk-KPCKFAKT.js";import"./chunk-TZ5UPJSO.js";import"./chunk-JGOJUZ7R.js";import"./chunk-RDXKGUE2.js";import"./chunk-6DGFVGP6.js";import{a as G,g as D}from"./chunk-IAEI62GH.js";import{a as k}from"./chunk-5QARNXAB.js";import"./chunk-GRHADQZ3.js";import"./chunk-F4HVGA7N.js";import"./chunk-NEGFKG4F.js";import"./chunk-3XNOML53.js";import{b as N}from"./chunk-2OBNQ35Z.js";import{d as _,g as C,k as v,o as U}from"./chunk-RFGUZ3MP.js";import"./chunk-E6FBVZRZ.js";import"./chunk-MKFTITKW.js";import"./chunk-NJTXWXX6.js";import"./chunk-N5DHKOKY.js";import"./chunk-4NZOWQI4.js";import{a as T,c as O}from"./chunk-JXELH2WX.js";import"./chunk-LXDHP64L.js";import"./chunk-VPCAKDHY.js";import"./chunk-44YRM6Z6.js";import"./chunk-PUOXQ2RR.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import{a as p}from"./chunk-BSA2U277.js";import"./chunk-JTO7CUDJ.js";import{writeFile as ie}from"node:fs/promises";import{resolve as E}from"node:path";import{readFileSync as le}from"node:fs";O();function te(t,e,o){if(t.attest.enabled!==!0)return;let s=ue(e,o);if(!s)throw new p("--attest needs an OIDC identity token",{field:"attest",code:"OIDC_TOKEN_MISSING",hint:"put the CI job's ID token (audience sigstore) in SIGSTORE_ID_TOKEN or name its variable with --oidc-token-env VAR; on GitHub Actions grant `id-token: write`"});let n=e.GITHUB_ACTIONS==="true"?ce(e):void 0,i=e.GITLAB_CI?{serverUrl:e.CI_SERVER_URL??"",repositoryUrl:e.CI_PROJECT_URL,ref:e.CI_COMMIT_REF_NAME,runUrl:e.CI_JOB_URL}:void 0,a=n??i,r=s.what==="ACTIONS_ID_TOKEN_REQUEST_URL";return{idToken:s.idToken,sigstore:t.attest.sigstore??(r&&n?.visibility!=="public"?"github":"public-good"),signingConfigFile:t.attest.signingConfigFile,trustedRootFile:t.attest.trustedRootFile,context:{serverUrl:a?.serverUrl??"",...a?.repositoryUrl?{repositoryUrl:a.repositoryUrl}:{},...a?.ref?{ref:a.ref}:{},...a?.runUrl?{runUrl:a.runUrl}:{}}}}function ue(t,e){if(e!==void 0){let i=t[e]?.trim();if(!i)throw new p(`--oidc-token-env names ${e}, which is not set`,{field:"oidc-token-env",code:"OIDC_TOKEN_MISSING"});return{what:e,idToken:()=>Promise.resolve(i)}}let o=t.SIGSTORE_ID_TOKEN?.trim();if(o)return{what:"SIGSTORE_ID_TOKEN",idToken:()=>Promise.resolve(o)};let s=t.ACTIONS_ID_TOKEN_REQUEST_URL,n=t.ACTIONS_ID_TOKEN_REQUEST_TOKEN;if(s&&n)return{what:"ACTIONS_ID_TOKEN_REQUEST_URL",idToken:()=>pe(s,n)}}async function pe(t,e){let o=new URL(t);o.searchParams.set("audience","sigstore");let{request:s}=await T(),n=await s(o,{headers:{authorization:`Bearer ${e}`,accept:"application/json"},headersTimeout:3e4,bodyTimeout:3e4}),i=await n.body.text();if(n.statusCode!==200)throw new p(`the GitHub Actions token endpoint answered HTTP ${n.statusCode}`,{code:"OIDC_TOKEN_MISSING",hint:"grant the job `permissions: id-token: write`"});let a=JSON.parse(i).value;if(typeof a!="string"||a==="")throw new p("the GitHub Actions token endpoint answered no token",{code:"OIDC_TOKEN_MISSING"});return a}function ce(t){let e=(t.GITHUB_SERVER_URL||"https://github.com").replace(/\/+$/,""),o=t.GITHUB_REPOSITORY,s=t.GITHUB_RUN_ID,n;try{n=JSON.parse(le(t.GITHUB_EVENT_PATH??"","utf8")).repository?.visibility}catch{n=void 0}return{serverUrl:e,...o?{repositoryUrl:`${e}/${o}`}:{},...t.GITHUB_REF?{ref:t.GITHUB_REF}:{},...o&&s?{runUrl:`${e}/${o}/actions/runs/${s}`}:{},...n?{visibility:n}:{}}}O();async function re(t,e,o,s,n){let i=e.env,a=i.GITHUB_REPOSITORY??"",r={serverUrl:(i.GITHUB_SERVER_URL||"https://github.com").replace(/\/$/,""),repository:a};if(t.mode==="publish")return{run:{kind:"publish"},sha:"HEAD",report:r};let m=t.githubToken??i.GITHUB_TOKEN,[f="",u=""]=a.split("/");if(!m||!f||!u)throw new p(`--mode ${t.mode} needs GitHub: set CHARTSHIP_GITHUB_TOKEN (or GITHUB_TOKEN) and GITHUB_REPOSITORY=OWNER/REPO`,{field:"mode"});let c=J({token:m,apiUrl:(i.GITHUB_API_URL||"https://api.github.com").replace(/\/$/,""),owner:f,repo:u},{load:T}),g=k(o),b=await G(g,"HEAD");if(!b)throw new p("has no commit checked out",{field:"cwd"});let d=y(i)??await D(g);return{run:await q({...t,eventName:s.eventName??"push",sha:b,branch:d,github:c,git:g,log:n}),github:c,sha:b,...d?{branch:d}:{},report:r}}function oe(t,e){return t.run.kind!=="release"||!t.github?{}:{...V,releases:{client:t.github,tagTemplate:e.tagTemplate,sha:t.sha,render:o=>j(o,t.report)}}}async function se(t,e,o){if(t.run.kind!=="release"||!t.github)return;let s=await t.github.upsertStickyComment(t.run.pull.number,U(),K(e.results,t.report));o.info(`${s.created?"created":"updated"} the comment on #${t.run.pull.number}: ${s.url}`)}async function ne(t,e,o,s,n){if(!t.branch||!t.github)throw new p("needs the branch to open a release pull request into: check one out, or set CI_COMMIT_BRANCH",{field:"mode"});let i=await W({...e.releasePr,publish:e.publish,github:t.github,base:t.branch,sha:t.sha,report:t.report},n),a=i.pulls.map(r=>({number:r.number,url:r.url,created:r.created}));if(s)o.stdout(`${JSON.stringify({releasePr:a,closed:i.closed,kept:i.kept,plan:i.plan},null,2)}
`);else{for(let r of i.pulls)o.stdout(`${r.created?"opened":"updated"} release pull request #${r.number}: ${r.url}
`);for(let r of i.closed)o.stdout(`closed release pull request #${r}: nothing left to release
`);i.pulls.length===0&&i.closed.length===0&&o.stdout(`nothing to release
`)}return i.plan.invalid.length>0?1:0}var de=`usage: chartship publish [options]

Plans, packages, signs and pushes every changed chart, then prints the digests. Every option can also be set as an
environment variable CHARTSHIP_<NAME> (e.g. CHARTSHIP_PASSWORD), which keeps secrets out of the command line
(a flag wins; --no-FLAG sets one false).

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
  --config FILE             configuration file (default: .chartship.yaml at the root of the repository)
  --plain-http, --ca-file FILE, --insecure-skip-tls-verify
  --summary-file FILE       write the markdown summary there too
  --shards N                with --json: the charts to publish as dependency waves of at most N shards each
  --wave W --shard I/N      publish only shard I of N of dependency wave W (plan --shards N lists them)
  --outcome-file FILE       write the outcome as JSON there, for chartship merge (with --shard)
  --cwd DIR                 repository to publish from (default: .)
  --json                    print the outcome as JSON
`;async function Je(t,e){let o=await Y({name:"publish",help:de,positionals:{min:0,max:0,what:"no arguments"},options:{...X(),"password-stdin":{type:"boolean"},"oidc-token-env":{type:"string"},"summary-file":{type:"string"},head:{type:"string"},config:{type:"string"},cwd:{type:"string"},json:{type:"boolean"}}},t,e);if(typeof o=="number")return o;let s=o.values,n=E(e.cwd,s.cwd??"."),i=await Z(s,e),a=ee(e.env,n),r=N(i,a),m=await Q(e,n,s.config);r.publish.policy=await F(r.publish.policy,m,e.env),_(r,m);let f=s.head;f!==void 0&&(r.publish.head=f);let u=z(e);for(let h of r.notices)u.warning(h.message,{field:h.field});let c=await re(r,e,n,a,u);if(c.run.kind==="release-pr")return ne(c,r,e,!!s.json,u);let g=r.publish.dryRun?void 0:te(r,e.env,s["oidc-token-env"]),b=new Date,d=y(e.env),l=await $({...r.publish,...oe(c,r),...d?{branch:d}:{},attest:g,onPlan:h=>e.stderr(`${R(h)}
`)},u);await se(c,l,u);let{shard:I}=r.publish;r.outcomeFile&&I&&await ie(E(e.cwd,r.outcomeFile),v(I,l,b));let ae=l.policy?`
${x(l.policy)}`:"",S=l.dryRun?`${R(l.plan)}${ae}`:M(l.results,{serverUrl:"",repository:""},l.policy),w=s["summary-file"];return w&&await ie(E(e.cwd,w),S),s.json?e.stdout(`${JSON.stringify({dryRun:l.dryRun,charts:P(l.results),pushed:A(l.results),matrix:H(l.plan),...r.shards?{shards:C(l.plan,r.shards)}:{},...l.policy?{policy:l.policy}:{}},null,2)}
`):e.stdout(`${S}
`),I||await B(l,{commitBump:r.commitBump,cwd:n,branch:()=>L(y(e.env),n),tagged:!1,remedy:`pass --commit-bump, or tag each release as ${r.tagTemplate}`,log:u}),l.results.some(h=>h.status==="failed")||l.classicIndex?.error?1:0}export{Je as run};
//# sourceMappingURL=publish-I2FP73U3.js.map
