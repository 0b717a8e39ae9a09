import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as Z,b as ee,c as te,d as T}from"./chunk-2KVASFSI.js";import{b as x,d as q,f as V,g as Y,h as Q}from"./chunk-KHPP5WOF.js";import"./chunk-DDTAJDOH.js";import{a as H,b as A,c as G,f as B,g as F,i as K,l as M,m as J,n as W}from"./chunk-UQVIWXLA.js";import{i as $}from"./chunk-MSRB5XGO.js";import{k as j}from"./chunk-UIQSSKCT.js";import{a as S}from"./chunk-HJEHZOWX.js";import"./chunk-VT53CLAC.js";import"./chunk-7QSUQEO2.js";import{a as w}from"./chunk-LVCFLS4C.js";import{a as X}from"./chunk-URMLBNZK.js";import"./chunk-WGIUWNKK.js";import{a as z}from"./chunk-GK22KKBN.js";import"./chunk-GCR5TG3E.js";import"./chunk-VNHHVVCA.js";import"./chunk-M4HYBZOV.js";import"./chunk-QYJS4TKE.js";import"./chunk-EA5VTMKA.js";import"./chunk-FSBNUQQC.js";import"./chunk-H4HSTSLT.js";import"./chunk-6PCAYKQH.js";import"./chunk-ZHYZP552.js";import"./chunk-OYTCTS27.js";import"./chunk-XNDTIYUD.js";import"./chunk-KKLESVR6.js";import{a as D,g as L}from"./chunk-IBG4VV4C.js";import{a as P}from"./chunk-RQKJLTVA.js";import"./chunk-GRHADQZ3.js";import"./chunk-NEGFKG4F.js";import"./chunk-3XNOML53.js";import{b as k}from"./chunk-CHEETL6R.js";import{c as U,f as v,j as N}from"./chunk-WJZ3RJCW.js";import{i as E}from"./chunk-CPCXO3FH.js";import"./chunk-NJTXWXX6.js";import"./chunk-JPS4BA3W.js";import"./chunk-GFH3N2LE.js";import{a as I,c as C}from"./chunk-BYESX7YB.js";import"./chunk-LXDHP64L.js";import"./chunk-VPCAKDHY.js";import"./chunk-44YRM6Z6.js";import"./chunk-4SBU7V5N.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import{a as p}from"./chunk-YUR25DCB.js";import"./chunk-JTO7CUDJ.js";import{writeFile as ae}from"node:fs/promises";import{resolve as y}from"node:path";import{readFileSync as ue}from"node:fs";C();function re(e,t,o){if(e.attest.enabled!==!0)return;let s=pe(t,o);if(!s)throw new p("--attest needs an OIDC identity token",{field:"attest",code:"OIDC_TOKEN_MISSING",hint:"put the CI job's ID token (audience sigstore) in SIGSTORE_ID_TOKEN or name its variable with --oidc-token-env VAR; on GitHub Actions grant `id-token: write`"});let i=t.GITHUB_ACTIONS==="true"?de(t):void 0,n=t.GITLAB_CI?{serverUrl:t.CI_SERVER_URL??"",repositoryUrl:t.CI_PROJECT_URL,ref:t.CI_COMMIT_REF_NAME,runUrl:t.CI_JOB_URL}:void 0,a=i??n,r=s.what==="ACTIONS_ID_TOKEN_REQUEST_URL";return{idToken:s.idToken,sigstore:e.attest.sigstore??(r&&i?.visibility!=="public"?"github":"public-good"),signingConfigFile:e.attest.signingConfigFile,trustedRootFile:e.attest.trustedRootFile,context:{serverUrl:a?.serverUrl??"",...a?.repositoryUrl?{repositoryUrl:a.repositoryUrl}:{},...a?.ref?{ref:a.ref}:{},...a?.runUrl?{runUrl:a.runUrl}:{}}}}function pe(e,t){if(t!==void 0){let n=e[t]?.trim();if(!n)throw new p(`--oidc-token-env names ${t}, which is not set`,{field:"oidc-token-env",code:"OIDC_TOKEN_MISSING"});return{what:t,idToken:()=>Promise.resolve(n)}}let o=e.SIGSTORE_ID_TOKEN?.trim();if(o)return{what:"SIGSTORE_ID_TOKEN",idToken:()=>Promise.resolve(o)};let s=e.ACTIONS_ID_TOKEN_REQUEST_URL,i=e.ACTIONS_ID_TOKEN_REQUEST_TOKEN;if(s&&i)return{what:"ACTIONS_ID_TOKEN_REQUEST_URL",idToken:()=>ce(s,i)}}async function ce(e,t){let o=new URL(e);o.searchParams.set("audience","sigstore");let{request:s}=await I(),i=await s(o,{headers:{authorization:`Bearer ${t}`,accept:"application/json"},headersTimeout:3e4,bodyTimeout:3e4}),n=await i.body.text();if(i.statusCode!==200)throw new p(`the GitHub Actions token endpoint answered HTTP ${i.statusCode}`,{code:"OIDC_TOKEN_MISSING",hint:"grant the job `permissions: id-token: write`"});let a=JSON.parse(n).value;if(typeof a!="string"||a==="")throw new p("the GitHub Actions token endpoint answered no token",{code:"OIDC_TOKEN_MISSING"});return a}function de(e){let t=(e.GITHUB_SERVER_URL||"https://github.com").replace(/\/+$/,""),o=e.GITHUB_REPOSITORY,s=e.GITHUB_RUN_ID,i;try{i=JSON.parse(ue(e.GITHUB_EVENT_PATH??"","utf8")).repository?.visibility}catch{i=void 0}return{serverUrl:t,...o?{repositoryUrl:`${t}/${o}`}:{},...e.GITHUB_REF?{ref:e.GITHUB_REF}:{},...o&&s?{runUrl:`${t}/${o}/actions/runs/${s}`}:{},...i?{visibility:i}:{}}}C();async function oe(e,t,o,s,i){let n=t.env,a=n.GITHUB_REPOSITORY??"",r={serverUrl:(n.GITHUB_SERVER_URL||"https://github.com").replace(/\/$/,""),repository:a};if(e.mode==="publish")return{run:{kind:"publish"},sha:"HEAD",report:r};let d=e.githubToken??n.GITHUB_TOKEN,[m="",f=""]=a.split("/");if(!d||!m||!f)throw new p(`--mode ${e.mode} needs GitHub: set CHARTSHIP_GITHUB_TOKEN (or GITHUB_TOKEN) and GITHUB_REPOSITORY=OWNER/REPO`,{field:"mode"});let u=q({token:d,apiUrl:(n.GITHUB_API_URL||"https://api.github.com").replace(/\/$/,""),owner:m,repo:f},{load:I}),c=P(o),g=await D(c,"HEAD");if(!g)throw new p("has no commit checked out",{field:"cwd"});let b=T(n)??await L(c);return{run:await Q({...e,eventName:s.eventName??"push",sha:g,branch:b,github:u,log:i}),github:u,sha:g,...b?{branch:b}:{},report:r}}function se(e,t){return e.run.kind!=="release"||!e.github?{}:{...Y,releases:{client:e.github,tagTemplate:t.tagTemplate,sha:e.sha,render:o=>J(o,e.report)}}}async function ie(e,t,o){if(e.run.kind!=="release"||!e.github)return;let s=await e.github.upsertStickyComment(e.run.pull.number,K(),M(t.results,e.report));o.info(`${s.created?"created":"updated"} the comment on #${e.run.pull.number}: ${s.url}`)}async function ne(e,t,o,s,i){if(!e.branch||!e.github)throw new p("needs the branch to open a release pull request into: check one out, or set CI_COMMIT_BRANCH",{field:"mode"});let n=await V({...t.releasePr,publish:t.publish,github:e.github,base:e.branch,sha:e.sha,report:e.report},i),a=n.pulls.map(r=>({number:r.number,url:r.url,created:r.created}));if(s)o.stdout(`${JSON.stringify({releasePr:a,closed:n.closed,kept:n.kept,plan:n.plan},null,2)}
`);else{for(let r of n.pulls)o.stdout(`${r.created?"opened":"updated"} release pull request #${r.number}: ${r.url}
`);for(let r of n.closed)o.stdout(`closed release pull request #${r}: nothing left to release
`);n.pulls.length===0&&n.closed.length===0&&o.stdout(`nothing to release
`)}return n.plan.invalid.length>0?1:0}var he=`usage: chartship publish [options]

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
`;async function qe(e,t){let o=await z({name:"publish",help:he,positionals:{min:0,max:0,what:"no arguments"},options:{...Z(),"password-stdin":{type:"boolean"},"oidc-token-env":{type:"string"},"summary-file":{type:"string"},head:{type:"string"},config:{type:"string"},cwd:{type:"string"},json:{type:"boolean"}}},e,t);if(typeof o=="number")return o;let s=o.values,i=y(t.cwd,s.cwd??"."),n=await ee(s,t),a=te(t.env,i),r=k(n,a),d=s.config,m=d?await w(y(t.cwd,d),d,{required:!0}):await w(y(i,E),E);r.publish.policy=await $(r.publish.policy,m,t.env),U(r,m);let f=s.head;f!==void 0&&(r.publish.head=f);let u=X(t);for(let h of r.notices)u.warning(h.message,{field:h.field});let c=await oe(r,t,i,a,u);if(c.run.kind==="release-pr")return ne(c,r,t,!!s.json,u);let g=r.publish.dryRun?void 0:re(r,t.env,s["oidc-token-env"]),b=new Date,l=await x({...r.publish,...se(c,r),attest:g,onPlan:h=>t.stderr(`${S(h)}
`)},u);await ie(c,l,u);let{shard:R}=r.publish;r.outcomeFile&&R&&await ae(y(t.cwd,r.outcomeFile),N(R,l,b)),R||await F(l,{commitBump:r.commitBump,cwd:i,branch:()=>B(T(t.env),i),tagged:!1,remedy:`pass --commit-bump, or tag each release as ${r.tagTemplate}`,log:u});let le=l.policy?`
${j(l.policy)}`:"",O=l.dryRun?`${S(l.plan)}${le}`:W(l.results,{serverUrl:"",repository:""},l.policy),_=s["summary-file"];return _&&await ae(y(t.cwd,_),O),s.json?t.stdout(`${JSON.stringify({dryRun:l.dryRun,charts:H(l.results),pushed:G(l.results),matrix:A(l.plan),...r.shards?{shards:v(l.plan,r.shards)}:{},...l.policy?{policy:l.policy}:{}},null,2)}
`):t.stdout(`${O}
`),l.results.some(h=>h.status==="failed")||l.classicIndex?.error?1:0}export{qe as run};
//# sourceMappingURL=publish-MH4SYIA4.js.map
