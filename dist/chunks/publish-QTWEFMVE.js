import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as F,c as M,d as W,e as J,f as q,g as V,h as Y}from"./chunk-6HJRRIS2.js";import{b as H,d as N,e as P,j as L,k as B,o as x,p as K,q as j}from"./chunk-R43BZOFV.js";import{e as D}from"./chunk-RZNQPBS4.js";import{f as $}from"./chunk-QSASGPRN.js";import{a as z}from"./chunk-ABYCDPMU.js";import{a as ee,c as te,d as re,e as R}from"./chunk-VWF6OPOZ.js";import{a as X}from"./chunk-5GP6G57E.js";import{a as T}from"./chunk-GISDGV7B.js";import"./chunk-VT53CLAC.js";import"./chunk-TWYQNBIW.js";import"./chunk-JUV7BBH4.js";import{a as Z}from"./chunk-Q7ESTRZE.js";import{a as Q}from"./chunk-4QWYSXHQ.js";import"./chunk-A2RXNSKC.js";import"./chunk-YSHSU7G2.js";import"./chunk-OCB7NTOH.js";import"./chunk-35LHBNZJ.js";import"./chunk-2NIE6IDW.js";import"./chunk-M4HYBZOV.js";import"./chunk-J3ZBX5ND.js";import"./chunk-UETC2FH5.js";import"./chunk-PL6KNSMK.js";import"./chunk-3KVS3CZK.js";import"./chunk-MEU6RMN2.js";import"./chunk-E5TEUXHI.js";import"./chunk-N7FYROBT.js";import"./chunk-BIZOIWA5.js";import"./chunk-BZGZQG46.js";import"./chunk-BDGXM5KZ.js";import"./chunk-EI64G5RN.js";import"./chunk-K6QSMDBB.js";import{a as A,j as G}from"./chunk-NXVMQOCO.js";import"./chunk-R7NS4E5P.js";import"./chunk-QVEWC76K.js";import{a as k}from"./chunk-FPXJVBKM.js";import"./chunk-6EXMK26Y.js";import"./chunk-F4HVGA7N.js";import"./chunk-NEGFKG4F.js";import"./chunk-3XNOML53.js";import{b as U}from"./chunk-APP6FRZY.js";import{c as w,f as _,j as C,n as v}from"./chunk-JZB43AUG.js";import"./chunk-Q435LJEC.js";import"./chunk-M5MB623F.js";import"./chunk-TVIJWVPR.js";import{a as O,c as pe}from"./chunk-JXELH2WX.js";import"./chunk-NJTXWXX6.js";import"./chunk-SNKUQV2G.js";import"./chunk-LXDHP64L.js";import"./chunk-BBW5L5RP.js";import"./chunk-COJYXYHZ.js";import"./chunk-44YRM6Z6.js";import"./chunk-VY4SJE6H.js";import"./chunk-QBF2U7B2.js";import"./chunk-3XPAOOYO.js";import{b as d}from"./chunk-L32SHWFS.js";import"./chunk-JTO7CUDJ.js";import{writeFile as le}from"node:fs/promises";import{resolve as I}from"node:path";import{readFileSync as de}from"node:fs";function ne(e,t,s){if(e.attest.enabled!==!0)return;let n=ce(t,s)??{what:"",idToken:()=>Promise.reject(new d("--attest needs an OIDC identity token",{field:"attest",code:"OIDC_TOKEN_MISSING",hint:"put the CI job's ID token (audience sigstore) in SIGSTORE_ID_TOKEN or name its variable with --oidc-token-env VAR; on GitHub Actions grant `id-token: write`"}))},o=t.GITHUB_ACTIONS==="true"?he(t):void 0,i=t.GITLAB_CI?{serverUrl:t.CI_SERVER_URL??"",repositoryUrl:t.CI_PROJECT_URL,ref:t.CI_COMMIT_REF_NAME,runUrl:t.CI_JOB_URL}:void 0,l=o??i,r=n.what==="ACTIONS_ID_TOKEN_REQUEST_URL";return{idToken:n.idToken,...n.atHand?{tokenAtHand:!0}:{},...o?{signer:W(t,o.serverUrl,e.attest.signingConfigFile!==void 0)}:{},sigstore:e.attest.sigstore??(r&&o?.visibility!=="public"?"github":"public-good"),signingConfigFile:e.attest.signingConfigFile,trustedRootFile:e.attest.trustedRootFile,context:{serverUrl:l?.serverUrl??"",...l?.repositoryUrl?{repositoryUrl:l.repositoryUrl}:{},...l?.ref?{ref:l.ref}:{},...l?.runUrl?{runUrl:l.runUrl}:{}}}}function ce(e,t){if(t!==void 0){let i=e[t]?.trim();if(!i)throw new d(`--oidc-token-env names ${t}, which is not set`,{field:"oidc-token-env",code:"OIDC_TOKEN_MISSING"});return{what:t,idToken:()=>Promise.resolve(i),atHand:!0}}let s=e.SIGSTORE_ID_TOKEN?.trim();if(s)return{what:"SIGSTORE_ID_TOKEN",idToken:()=>Promise.resolve(s),atHand:!0};let n=e.ACTIONS_ID_TOKEN_REQUEST_URL,o=e.ACTIONS_ID_TOKEN_REQUEST_TOKEN;if(n&&o)return{what:"ACTIONS_ID_TOKEN_REQUEST_URL",idToken:()=>M(n,o,e)}}function he(e){let t=(e.GITHUB_SERVER_URL||"https://github.com").replace(/\/+$/,""),s=e.GITHUB_REPOSITORY,n=e.GITHUB_RUN_ID,o;try{o=JSON.parse(de(e.GITHUB_EVENT_PATH??"","utf8")).repository?.visibility}catch{o=void 0}return{serverUrl:t,...s?{repositoryUrl:`${t}/${s}`}:{},...e.GITHUB_REF?{ref:e.GITHUB_REF}:{},...s&&n?{runUrl:`${t}/${s}/actions/runs/${n}`}:{},...o?{visibility:o}:{}}}pe();async function se(e,t,s,n,o){let i=t.env,l=i.GITHUB_REPOSITORY??"",r={serverUrl:(i.GITHUB_SERVER_URL||"https://github.com").replace(/\/$/,""),repository:l};if(e.mode==="publish")return{run:{kind:"publish"},sha:"HEAD",report:r};let m=e.githubToken??i.GITHUB_TOKEN,[f="",u=""]=l.split("/");if(!m||!f||!u)throw new d(`--mode ${e.mode} needs GitHub: set CHARTSHIP_GITHUB_TOKEN (or GITHUB_TOKEN) and GITHUB_REPOSITORY=OWNER/REPO`,{field:"mode"});let p=J({token:m,apiUrl:(i.GITHUB_API_URL||"https://api.github.com").replace(/\/$/,""),owner:f,repo:u,onRetry:b=>o.info(b)},{load:O}),g=k(s),y=await A(g,"HEAD");if(!y)throw new d("has no commit checked out",{field:"cwd"});let c=R(i)??await G(g);return{run:await Y({...e,eventName:n.eventName??"push",sha:y,branch:c,github:p,git:g,log:o}),github:p,sha:y,...c?{branch:c}:{},report:r}}function oe(e,t){return e.run.kind!=="release"||!e.github?{}:{...V,releases:{client:e.github,tagTemplate:t.tagTemplate,sha:e.sha,render:s=>K(s,e.report)}}}async function ie(e,t,s){if(e.run.kind!=="release"||!e.github)return;let n=await e.github.upsertStickyComment(e.run.pull.number,v(),x(t.results,e.report));s.info(`${n.created?"created":"updated"} the comment on #${e.run.pull.number}: ${n.url}`)}async function ae(e,t,s,n,o){if(!e.branch||!e.github)throw new d("needs the branch to open a release pull request into: check one out, or set CI_COMMIT_BRANCH",{field:"mode"});let i=await q({...t.releasePr,publish:t.publish,github:e.github,base:e.branch,sha:e.sha,report:e.report},o),l=i.pulls.map(r=>({number:r.number,url:r.url,created:r.created}));if(n)s.stdout(`${JSON.stringify({releasePr:l,closed:i.closed,kept:i.kept,plan:i.plan},null,2)}
`);else{for(let r of i.pulls)s.stdout(`${r.created?"opened":"updated"} release pull request #${r.number}: ${r.url}
`);for(let r of i.closed)s.stdout(`closed release pull request #${r}: nothing left to release
`);i.pulls.length===0&&i.closed.length===0&&s.stdout(`nothing to release
`)}return i.plan.invalid.length>0?1:0}var me=`usage: chartship publish [options]

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
`;async function Ye(e,t){let s=await Q({name:"publish",help:me,positionals:{min:0,max:0,what:"no arguments"},options:{...ee(),"password-stdin":{type:"boolean"},"oidc-token-env":{type:"string"},"summary-file":{type:"string"},head:{type:"string"},config:{type:"string"},cwd:{type:"string"},json:{type:"boolean"}}},e,t);if(typeof s=="number")return s;let n=s.values,o=I(t.cwd,n.cwd??"."),i=await te(n,t),l=re(t.env,o),r=U(i,l),m=await z(t,o,n.config);r.publish.policy=await D(r.publish.policy,m,t.env),w(r,m);let f=n.head;f!==void 0&&(r.publish.head=f);let u=X(t);for(let h of r.notices)u.warning(h.message,{field:h.field});fe(Z(t.env),i["dry-run"]===void 0,r.publish.dryRun===!0,u);let p=await se(r,t,o,l,u);if(p.run.kind==="release-pr")return ae(p,r,t,!!n.json,u);let g=r.publish.dryRun?void 0:ne(r,t.env,n["oidc-token-env"]),y=new Date,c=R(t.env),a=await F({...r.publish,...oe(p,r),...c?{branch:c}:{},attest:g,onPlan:h=>t.stderr(`${T(h)}
`)},u);await ie(p,a,u);let{shard:b}=r.publish;r.outcomeFile&&b&&await le(I(t.cwd,r.outcomeFile),C(b,a,y));let ue=a.policy?`
${$(a.policy)}`:"",E=a.dryRun?`${T(a.plan)}${ue}`:j(a.results,{serverUrl:"",repository:""},a.policy),S=n["summary-file"];return S&&await le(I(t.cwd,S),E),n.json?t.stdout(`${JSON.stringify({dryRun:a.dryRun,charts:H(a.results),pushed:P(a.results),matrix:N(a.plan),...r.shards?{shards:_(a.plan,r.shards)}:{},...a.policy?{policy:a.policy}:{}},null,2)}
`):t.stdout(`${E}
`),b||await B(a,{commitBump:r.commitBump,cwd:o,branch:()=>L(R(t.env),o),tagged:!1,remedy:`pass --commit-bump, or tag each release as ${r.tagTemplate}`,log:u}),a.results.some(h=>h.status==="failed")||a.classicIndex?.error?1:0}function fe(e,t,s,n){e?.changeRequest&&(t?n.info(`${e.name} runs this for ${e.changeRequest}: planning only, since publishing unmerged code would release what was never merged (--no-dry-run publishes anyway)`):s||n.warning(`${e.name} runs this for ${e.changeRequest}, and dry-run is false: publishing unmerged code`,{field:"dry-run"}))}export{Ye as run};
//# sourceMappingURL=publish-QTWEFMVE.js.map
