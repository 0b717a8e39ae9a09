import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as Y,c as Q,d as Z,e as ee,f as te,g as re,h as ne,i as se}from"./chunk-NBOCVJV7.js";import{b as K,d as j,e as M,j as J,k as q,n as E,q as z,r as X,s as S}from"./chunk-JYX7FU2X.js";import{g as V}from"./chunk-6ZFF5EBY.js";import{b as I}from"./chunk-WPYRMJTA.js";import"./chunk-N5UYJY5U.js";import"./chunk-PWITVZMB.js";import"./chunk-KQ6DVN5B.js";import{a as A,c as G,e as L,h as $,i as B,k as D,m as F,n as R,y as T}from"./chunk-TKEKUT4Y.js";import"./chunk-ZOSYIEDY.js";import"./chunk-6UXKZ5Y2.js";import"./chunk-YTLGE7RG.js";import"./chunk-MM2TEU3N.js";import"./chunk-CRS3R37M.js";import"./chunk-Z3ZZDWEJ.js";import{f as W}from"./chunk-BFGWPJE3.js";import"./chunk-CEM2RK2Q.js";import"./chunk-PZ3MONUN.js";import{d as x}from"./chunk-XRWPEEV6.js";import"./chunk-EB56I4CH.js";import"./chunk-BIZOIWA5.js";import"./chunk-GQTCG6QK.js";import"./chunk-E62TDGS2.js";import"./chunk-RWSPDFGL.js";import"./chunk-MLI4WYAW.js";import"./chunk-INTZSCW5.js";import"./chunk-LQ7TSBHJ.js";import{B as H,R as N,X as P,x as U,y as k}from"./chunk-TXIGZPSC.js";import{S as v,o as C}from"./chunk-3ZVB2U6R.js";import{j as c}from"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";import{writeFile as pe}from"node:fs/promises";import{resolve as O}from"node:path";import{readFileSync as me}from"node:fs";function oe(e,t,s){if(e.attest.enabled!==!0)return;let n=he(t,s)??{what:"",idToken:()=>Promise.reject(new c("--attest needs an OIDC identity token",{field:"attest",code:"OIDC_TOKEN_MISSING",hint:"put the CI job's ID token (audience sigstore) in SIGSTORE_ID_TOKEN or name its variable with --oidc-token-env VAR; on GitHub Actions grant `id-token: write`"}))},i=t.GITHUB_ACTIONS==="true"?fe(t):void 0,o=t.GITLAB_CI?{serverUrl:t.CI_SERVER_URL??"",repositoryUrl:t.CI_PROJECT_URL,ref:t.CI_COMMIT_REF_NAME,runUrl:t.CI_JOB_URL}:void 0,l=i??o,r=n.what==="ACTIONS_ID_TOKEN_REQUEST_URL";return{idToken:n.idToken,...n.atHand?{tokenAtHand:!0}:{},...i?{signer:ee(t,i.serverUrl,e.attest.signingConfigFile!==void 0)}:{},sigstore:e.attest.sigstore??(r&&i?.visibility!=="public"?"github":"public-good"),signingConfigFile:e.attest.signingConfigFile,trustedRootFile:e.attest.trustedRootFile,context:{serverUrl:l?.serverUrl??"",...l?.repositoryUrl?{repositoryUrl:l.repositoryUrl}:{},...l?.ref?{ref:l.ref}:{},...l?.runUrl?{runUrl:l.runUrl}:{}}}}function he(e,t){if(t!==void 0){let o=e[t]?.trim();if(!o)throw new c(`--oidc-token-env names ${t}, which is not set`,{field:"oidc-token-env",code:"OIDC_TOKEN_MISSING"});return{what:t,idToken:()=>Promise.resolve(o),atHand:!0}}let s=e.SIGSTORE_ID_TOKEN?.trim();if(s)return{what:"SIGSTORE_ID_TOKEN",idToken:()=>Promise.resolve(s),atHand:!0};let n=e.ACTIONS_ID_TOKEN_REQUEST_URL,i=e.ACTIONS_ID_TOKEN_REQUEST_TOKEN;if(n&&i)return{what:"ACTIONS_ID_TOKEN_REQUEST_URL",idToken:()=>Z(n,i,e)}}function fe(e){let t=(e.GITHUB_SERVER_URL||"https://github.com").replace(/\/+$/,""),s=e.GITHUB_REPOSITORY,n=e.GITHUB_RUN_ID,i;try{i=JSON.parse(me(e.GITHUB_EVENT_PATH??"","utf8")).repository?.visibility}catch{i=void 0}return{serverUrl:t,...s?{repositoryUrl:`${t}/${s}`}:{},...e.GITHUB_REF?{ref:e.GITHUB_REF}:{},...s&&n?{runUrl:`${t}/${s}/actions/runs/${n}`}:{},...i?{visibility:i}:{}}}async function ie(e,t,s,n,i){let o=t.env,l=o.GITHUB_REPOSITORY??"",r={serverUrl:(o.GITHUB_SERVER_URL||"https://github.com").replace(/\/$/,""),repository:l};if(e.mode==="publish")return{run:{kind:"publish"},sha:"HEAD",report:r};let h=e.githubToken??o.GITHUB_TOKEN,[f="",u=""]=l.split("/");if(!h||!f||!u)throw new c(`--mode ${e.mode} needs GitHub: set CHARTSHIP_GITHUB_TOKEN (or GITHUB_TOKEN) and GITHUB_REPOSITORY=OWNER/REPO`,{field:"mode"});let d=te({token:h,apiUrl:(o.GITHUB_API_URL||"https://api.github.com").replace(/\/$/,""),owner:f,repo:u,onRetry:b=>i.info(b),fetch:W(o)}),g=C(s),y=await A(g,"HEAD");if(!y)throw new c("has no commit checked out",{field:"cwd"});let m=R(o)??await G(g);return{run:await se({...e,eventName:n.eventName??"push",sha:y,branch:m,github:d,git:g,log:i}),github:d,sha:y,...m?{branch:m}:{},report:r}}function ae(e,t){return e.run.kind!=="release"||!e.github?{}:{...ne,releases:{client:e.github,tagTemplate:t.tagTemplate,sha:e.sha,render:s=>X(s,e.report)}}}async function le(e,t,s){if(e.run.kind!=="release"||!e.github)return;let n=e.run.pull.number,i=await e.github.upsertStickyComment(n,N(),o=>z(o,t.results,e.report));s.info(Q(n,i))}async function ue(e,t,s,n,i){if(!e.branch||!e.github)throw new c("needs the branch to open a release pull request into: check one out, or set CI_COMMIT_BRANCH",{field:"mode"});let o=await re({...t.releasePr,publish:t.publish,github:e.github,base:e.branch,sha:e.sha,report:e.report},i),l=o.pulls.map(r=>({number:r.number,url:r.url,created:r.created}));if(n)s.stdout(`${JSON.stringify({releasePr:l,closed:o.closed,kept:o.kept.map(r=>r.head),plan:o.plan},null,2)}
`);else{for(let r of o.pulls)s.stdout(`${r.created?"opened":"updated"} release pull request #${r.number}: ${r.url}
`);for(let r of o.closed)s.stdout(`closed release pull request #${r}: nothing left to release
`);o.pulls.length===0&&o.closed.length===0&&s.stdout(`nothing to release
`)}return o.plan.invalid.length>0?1:0}var ge=`usage: chartship publish [options]

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
`;async function Ze(e,t){let s=await x({name:"publish",help:ge,positionals:{min:0,max:0,what:"no arguments"},options:{...B(),"password-stdin":{type:"boolean"},"oidc-token-env":{type:"string"},"summary-file":{type:"string"},head:{type:"string"},config:{type:"string"},cwd:{type:"string"},json:{type:"boolean"}}},e,t);if(typeof s=="number")return s;let n=s.values,i=O(t.cwd,n.cwd??"."),o=await D(n,t),l=F(t.env,i),r=P(o,l),h=await $(t,i,n.config);r.publish.policy=V(r.publish.policy,h,t.env),U(r,h);let f=n.head;f!==void 0&&(r.publish.head=f);let u=v(t);for(let p of r.notices)u.warning(p.message,{field:p.field});ye(L(t.env),o["dry-run"]===void 0,r.publish.dryRun===!0,u);let d=await ie(r,t,i,l,u);if(d.run.kind==="release-pr")return ue(d,r,t,!!n.json,u);let g=r.publish.dryRun?void 0:oe(r,t.env,n["oidc-token-env"]),y=new Date,m=R(t.env),a=await Y({...r.publish,...ae(d,r),...m?{branch:m}:{},attest:g,onPlan:(p,ce)=>t.stderr(`${T(p,[],ce)}
`)},u);await le(d,a,u);let{shard:b}=r.publish;r.outcomeFile&&b&&await pe(O(t.cwd,r.outcomeFile),H(b,a,y));let de=a.policy?`
${I(a.policy)}`:"",w=a.dryRun?`${T(a.plan)}
${E(a.results)}
${de}`:S(a.results,{serverUrl:"",repository:""},a.policy),_=n["summary-file"];if(_&&await pe(O(t.cwd,_),w),n.json)t.stdout(`${JSON.stringify({dryRun:a.dryRun,charts:K(a.results),pushed:M(a.results),matrix:j(a.plan),...r.shards?{shards:k(a.plan,r.shards)}:{},...a.policy?{policy:a.policy}:{}},null,2)}
`);else if(t.oneOutput?.()){let p=a.policy?I(a.policy,{findings:!1}):"";t.stdout(a.dryRun?`${p}${E(a.results)}
`:`${S(a.results,{serverUrl:"",repository:""})}
${p&&`
${p}`}`)}else t.stdout(`${w}
`);return b||await q(a,{commitBump:r.commitBump,cwd:i,branch:()=>J(R(t.env),i),tagged:!1,remedy:`pass --commit-bump, or tag each release as ${r.tagTemplate}`,log:u}),a.results.some(p=>p.status==="failed")||a.classicIndex?.error?1:0}function ye(e,t,s,n){e?.changeRequest&&(t?n.info(`${e.name} runs this for ${e.changeRequest}: planning only, since publishing unmerged code would release what was never merged (--no-dry-run publishes anyway)`):s||n.warning(`${e.name} runs this for ${e.changeRequest}, and dry-run is false: publishing unmerged code`,{field:"dry-run"}))}export{Ze as run};
//# sourceMappingURL=publish-6HYUXOM7.js.map
