import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as j,c as V,e as Y,f as Q,g as z}from"./chunk-RLMG53FT.js";import{b as G,c as D,d as L,i as $,j as x,n as J,o as W,p as q}from"./chunk-R3YUJ4AB.js";import"./chunk-OA472W7X.js";import{e as K}from"./chunk-7RVLGYXB.js";import{f as M}from"./chunk-7A6IUN6U.js";import{a as ee,c as te,d as re,e as y}from"./chunk-HHTB5SQR.js";import{a as w}from"./chunk-YYQP6E6E.js";import"./chunk-VT53CLAC.js";import"./chunk-3BIMSVTA.js";import{a as O}from"./chunk-YCTGKEJB.js";import{a as Z}from"./chunk-URMLBNZK.js";import{a as X}from"./chunk-GK22KKBN.js";import"./chunk-D2IY2XQK.js";import"./chunk-6LP7F4BM.js";import"./chunk-6LAUZGPB.js";import"./chunk-QYJS4TKE.js";import"./chunk-M4HYBZOV.js";import"./chunk-BSIQ7LNC.js";import"./chunk-SF2PYNIH.js";import"./chunk-N4V5M4AS.js";import"./chunk-ELZQBXDS.js";import"./chunk-3GQLOTXJ.js";import"./chunk-NA4SAA4T.js";import"./chunk-PTQNNPRE.js";import"./chunk-3QRHXEXB.js";import{a as B,g as F}from"./chunk-4BEDTVX6.js";import{a as A}from"./chunk-UFEMWOPB.js";import"./chunk-GRHADQZ3.js";import"./chunk-F4HVGA7N.js";import"./chunk-NEGFKG4F.js";import"./chunk-3XNOML53.js";import{b as H}from"./chunk-2JYBVPUH.js";import{d as U,g as N,k,o as P}from"./chunk-WUY3YX7H.js";import"./chunk-E6FBVZRZ.js";import{i as S}from"./chunk-3HLPJ2JU.js";import"./chunk-NJTXWXX6.js";import"./chunk-EVXBIEL6.js";import"./chunk-2O7QPWCH.js";import{a as T,c as v}from"./chunk-BYESX7YB.js";import"./chunk-LXDHP64L.js";import"./chunk-VPCAKDHY.js";import"./chunk-44YRM6Z6.js";import"./chunk-SBQGRVXV.js";import"./chunk-TCXCTBIQ.js";import"./chunk-3XPAOOYO.js";import{a as p}from"./chunk-C5D5W6JD.js";import"./chunk-JTO7CUDJ.js";import{writeFile as le}from"node:fs/promises";import{resolve as I}from"node:path";import{readFileSync as pe}from"node:fs";v();function oe(t,e,o){if(t.attest.enabled!==!0)return;let n=ce(e,o);if(!n)throw new p("--attest needs an OIDC identity token",{field:"attest",code:"OIDC_TOKEN_MISSING",hint:"put the CI job's ID token (audience sigstore) in SIGSTORE_ID_TOKEN or name its variable with --oidc-token-env VAR; on GitHub Actions grant `id-token: write`"});let s=e.GITHUB_ACTIONS==="true"?he(e):void 0,i=e.GITLAB_CI?{serverUrl:e.CI_SERVER_URL??"",repositoryUrl:e.CI_PROJECT_URL,ref:e.CI_COMMIT_REF_NAME,runUrl:e.CI_JOB_URL}:void 0,a=s??i,r=n.what==="ACTIONS_ID_TOKEN_REQUEST_URL";return{idToken:n.idToken,sigstore:t.attest.sigstore??(r&&s?.visibility!=="public"?"github":"public-good"),signingConfigFile:t.attest.signingConfigFile,trustedRootFile:t.attest.trustedRootFile,context:{serverUrl:a?.serverUrl??"",...a?.repositoryUrl?{repositoryUrl:a.repositoryUrl}:{},...a?.ref?{ref:a.ref}:{},...a?.runUrl?{runUrl:a.runUrl}:{}}}}function ce(t,e){if(e!==void 0){let i=t[e]?.trim();if(!i)throw new p(`--oidc-token-env names ${e}, which is not set`,{field:"oidc-token-env",code:"OIDC_TOKEN_MISSING"});return{what:e,idToken:()=>Promise.resolve(i)}}let o=t.SIGSTORE_ID_TOKEN?.trim();if(o)return{what:"SIGSTORE_ID_TOKEN",idToken:()=>Promise.resolve(o)};let n=t.ACTIONS_ID_TOKEN_REQUEST_URL,s=t.ACTIONS_ID_TOKEN_REQUEST_TOKEN;if(n&&s)return{what:"ACTIONS_ID_TOKEN_REQUEST_URL",idToken:()=>de(n,s)}}async function de(t,e){let o=new URL(t);o.searchParams.set("audience","sigstore");let{request:n}=await T(),s=await n(o,{headers:{authorization:`Bearer ${e}`,accept:"application/json"},headersTimeout:3e4,bodyTimeout:3e4}),i=await s.body.text();if(s.statusCode!==200)throw new p(`the GitHub Actions token endpoint answered HTTP ${s.statusCode}`,{code:"OIDC_TOKEN_MISSING",hint:"grant the job `permissions: id-token: write`"});let a=JSON.parse(i).value;if(typeof a!="string"||a==="")throw new p("the GitHub Actions token endpoint answered no token",{code:"OIDC_TOKEN_MISSING"});return a}function he(t){let e=(t.GITHUB_SERVER_URL||"https://github.com").replace(/\/+$/,""),o=t.GITHUB_REPOSITORY,n=t.GITHUB_RUN_ID,s;try{s=JSON.parse(pe(t.GITHUB_EVENT_PATH??"","utf8")).repository?.visibility}catch{s=void 0}return{serverUrl:e,...o?{repositoryUrl:`${e}/${o}`}:{},...t.GITHUB_REF?{ref:t.GITHUB_REF}:{},...o&&n?{runUrl:`${e}/${o}/actions/runs/${n}`}:{},...s?{visibility:s}:{}}}v();async function ne(t,e,o,n,s){let i=e.env,a=i.GITHUB_REPOSITORY??"",r={serverUrl:(i.GITHUB_SERVER_URL||"https://github.com").replace(/\/$/,""),repository:a};if(t.mode==="publish")return{run:{kind:"publish"},sha:"HEAD",report:r};let d=t.githubToken??i.GITHUB_TOKEN,[m="",f=""]=a.split("/");if(!d||!m||!f)throw new p(`--mode ${t.mode} needs GitHub: set CHARTSHIP_GITHUB_TOKEN (or GITHUB_TOKEN) and GITHUB_REPOSITORY=OWNER/REPO`,{field:"mode"});let u=V({token:d,apiUrl:(i.GITHUB_API_URL||"https://api.github.com").replace(/\/$/,""),owner:m,repo:f},{load:T}),c=A(o),g=await B(c,"HEAD");if(!g)throw new p("has no commit checked out",{field:"cwd"});let b=y(i)??await F(c);return{run:await z({...t,eventName:n.eventName??"push",sha:g,branch:b,github:u,log:s}),github:u,sha:g,...b?{branch:b}:{},report:r}}function se(t,e){return t.run.kind!=="release"||!t.github?{}:{...Q,releases:{client:t.github,tagTemplate:e.tagTemplate,sha:t.sha,render:o=>W(o,t.report)}}}async function ie(t,e,o){if(t.run.kind!=="release"||!t.github)return;let n=await t.github.upsertStickyComment(t.run.pull.number,P(),J(e.results,t.report));o.info(`${n.created?"created":"updated"} the comment on #${t.run.pull.number}: ${n.url}`)}async function ae(t,e,o,n,s){if(!t.branch||!t.github)throw new p("needs the branch to open a release pull request into: check one out, or set CI_COMMIT_BRANCH",{field:"mode"});let i=await Y({...e.releasePr,publish:e.publish,github:t.github,base:t.branch,sha:t.sha,report:t.report},s),a=i.pulls.map(r=>({number:r.number,url:r.url,created:r.created}));if(n)o.stdout(`${JSON.stringify({releasePr:a,closed:i.closed,kept:i.kept,plan:i.plan},null,2)}
`);else{for(let r of i.pulls)o.stdout(`${r.created?"opened":"updated"} release pull request #${r.number}: ${r.url}
`);for(let r of i.closed)o.stdout(`closed release pull request #${r}: nothing left to release
`);i.pulls.length===0&&i.closed.length===0&&o.stdout(`nothing to release
`)}return i.plan.invalid.length>0?1:0}var me=`usage: chartship publish [options]

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
`;async function Ve(t,e){let o=await X({name:"publish",help:me,positionals:{min:0,max:0,what:"no arguments"},options:{...ee(),"password-stdin":{type:"boolean"},"oidc-token-env":{type:"string"},"summary-file":{type:"string"},head:{type:"string"},config:{type:"string"},cwd:{type:"string"},json:{type:"boolean"}}},t,e);if(typeof o=="number")return o;let n=o.values,s=I(e.cwd,n.cwd??"."),i=await te(n,e),a=re(e.env,s),r=H(i,a),d=n.config,m=d?await O(I(e.cwd,d),d,{required:!0}):await O(I(s,S),S);r.publish.policy=await K(r.publish.policy,m,e.env),U(r,m);let f=n.head;f!==void 0&&(r.publish.head=f);let u=Z(e);for(let h of r.notices)u.warning(h.message,{field:h.field});let c=await ne(r,e,s,a,u);if(c.run.kind==="release-pr")return ae(c,r,e,!!n.json,u);let g=r.publish.dryRun?void 0:oe(r,e.env,n["oidc-token-env"]),b=new Date,R=y(e.env),l=await j({...r.publish,...se(c,r),...R?{branch:R}:{},attest:g,onPlan:h=>e.stderr(`${w(h)}
`)},u);await ie(c,l,u);let{shard:E}=r.publish;r.outcomeFile&&E&&await le(I(e.cwd,r.outcomeFile),k(E,l,b));let ue=l.policy?`
${M(l.policy)}`:"",_=l.dryRun?`${w(l.plan)}${ue}`:q(l.results,{serverUrl:"",repository:""},l.policy),C=n["summary-file"];return C&&await le(I(e.cwd,C),_),n.json?e.stdout(`${JSON.stringify({dryRun:l.dryRun,charts:G(l.results),pushed:L(l.results),matrix:D(l.plan),...r.shards?{shards:N(l.plan,r.shards)}:{},...l.policy?{policy:l.policy}:{}},null,2)}
`):e.stdout(`${_}
`),E||await x(l,{commitBump:r.commitBump,cwd:s,branch:()=>$(y(e.env),s),tagged:!1,remedy:`pass --commit-bump, or tag each release as ${r.tagTemplate}`,log:u}),l.results.some(h=>h.status==="failed")||l.classicIndex?.error?1:0}export{Ve as run};
//# sourceMappingURL=publish-7NHZWIES.js.map
