import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as I}from"./chunk-TVUV7KU6.js";import{a as u,d as f,e as y,f as E,g as j,k as O}from"./chunk-ZXOXNP7F.js";import{a as b,c as v}from"./chunk-YQAAEGCI.js";import{o as w,q as l,r as h}from"./chunk-YJOEJVKR.js";import"./chunk-PSEU3ADR.js";import"./chunk-YXCUM63O.js";import"./chunk-IF5GNVQ6.js";import"./chunk-TR6SIV5R.js";import"./chunk-JNL4OBP2.js";import"./chunk-VT53CLAC.js";import"./chunk-M4HYBZOV.js";import"./chunk-TGSGL642.js";import"./chunk-CRFO4ITO.js";import"./chunk-DORHLSVB.js";import"./chunk-44YSZEWT.js";import{a as g}from"./chunk-DFNV5VGS.js";import"./chunk-JTO7CUDJ.js";import{resolve as c}from"node:path";var S=`usage: chartship plan [options]

Shows which charts changed and the versions they would be released as.

  --charts GLOB        chart directories (repeatable; default charts/*; ** spans directories)
  --exclude NAME|GLOB  leave charts out by name or directory glob (repeatable)
  --skip-deprecated    leave out charts marked deprecated
  --base REF           compare against merge-base(REF, head), as for a pull request or push
  --head REF           last commit to look at (default HEAD); charts are read as they are at REF, from git
                       when the work tree is elsewhere (--write and --registry need REF checked out)
  --since-tags         compare each chart against its newest release tag (the default without --base)
  --release-tag-template T
                       release tag naming (default {name}-{version}; --tag-template is the same)
  --registry oci://\u2026   target registry (repeatable): charts whose next version it already holds with the same
                       content are unchanged, with other content an error; dependencies on it are local
  --overwrite          accept a published version with different content (it will be replaced)
  --plain-http         talk HTTP, not HTTPS, to the registries
  --prerelease ID      prerelease channel, e.g. rc \u2192 1.3.0-rc.0
  --version-bump MODE  conventional (default) or none
  --other-types MODE   non-release commit types that change a chart: patch (default) or none
  --app-version MODE   keep (default), follow (the chart version), or value:TEXT
  --bump-minor-pre-major
                       below 1.0.0 a breaking change bumps the minor (the default; .chartship.yaml can
                       turn it off)
  --bump-patch-for-minor-pre-major
                       below 1.0.0 a feature bumps the patch
  --config FILE        configuration file (default: .chartship.yaml in --cwd); its versioning: section applies
  --write              write the new versions into Chart.yaml
  --shards N           split the charts to publish into dependency waves of at most N shards each (JSON: shards,
                       one matrix per wave; run each with publish --wave W --shard I/N)
  --json               print the plan as JSON
  --cwd DIR            repository directory (default: current directory)
  --help               show this help
`;async function G(a,t){let i=I({name:"plan",help:S,positionals:{min:0,max:0,what:"no arguments"},options:{charts:{type:"string",multiple:!0},exclude:{type:"string",multiple:!0},"skip-deprecated":{type:"boolean"},base:{type:"string"},head:{type:"string"},"since-tags":{type:"boolean"},"tag-template":{type:"string"},"release-tag-template":{type:"string"},"bump-minor-pre-major":{type:"boolean"},"bump-patch-for-minor-pre-major":{type:"boolean"},config:{type:"string"},registry:{type:"string",multiple:!0},overwrite:{type:"boolean"},"plain-http":{type:"boolean"},prerelease:{type:"string"},"version-bump":{type:"string"},"other-types":{type:"string"},"app-version":{type:"string"},write:{type:"boolean"},shards:{type:"string"},json:{type:"boolean"},cwd:{type:"string"}}},a,t);if(typeof i=="number")return i;let{values:e}=i,n=c(t.cwd,e.cwd??"."),o=j(O({prerelease:e.prerelease,"version-bump":e["version-bump"],"other-types":e["other-types"],"app-version":e["app-version"],"bump-minor-pre-major":N(e["bump-minor-pre-major"]),"bump-patch-for-minor-pre-major":N(e["bump-patch-for-minor-pre-major"]),"release-tag-template":e["release-tag-template"]??e["tag-template"]})),d=e.config?await h(c(t.cwd,e.config),e.config,{required:!0}):await h(c(n,l),l),k={cwd:n,charts:e.charts,exclude:e.exclude,skipDeprecated:e["skip-deprecated"],base:e.base,head:e.head,sinceTags:e["since-tags"],tagTemplate:o.tagTemplate??d.versioning["release-tag-template"],...o.given,versionBump:o.versionBump,rulesFor:E(d.versioning,o.given),registryNamespaces:e.registry,onWarning:r=>t.stderr(`warning: ${r.describe()}
`)};for(let r of e.registry??[])if(!r.startsWith("oci://"))throw new g(`--registry ${JSON.stringify(r)} must start with oci://`,{field:"registry",code:"CONFIG_INVALID"});let s=await w({...k,registries:e.registry??[],target:{plainHttp:e["plain-http"],env:t.env,cwd:n},overwrite:e.overwrite,env:t.env,warn:r=>t.stderr(`warning: ${r}
`)}),p=e.shards===void 0?void 0:b(s,v(e.shards)),m=e.write?await u(s):[];e.json?t.stdout(`${JSON.stringify({...s,...e.write?{written:m}:{},...p?{shards:p}:{}},null,2)}
`):t.stdout(`${f(s,m)}${p?$(p):""}`);for(let r of s.invalid)t.stderr(`error: ${y(r)}
`);return s.invalid.length>0?1:0}function N(a){return a===void 0?void 0:String(a)}function $(a){return`
shards (each wave after the one before):
${a.flatMap((i,e)=>i.map(n=>`  wave ${e+1} shard ${n.shard}: ${n.charts.join(", ")}`)).join(`
`)}
`}export{G as run};
//# sourceMappingURL=plan-R5562OOT.js.map
