import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as E}from"./chunk-MITFHSS3.js";import{a as d,d as u,e as f,f as w,g as b,k as v}from"./chunk-QLCZNYWV.js";import{q as y,x as p,y as l}from"./chunk-PNA3LLWE.js";import"./chunk-MQDBXVYM.js";import"./chunk-IF5GNVQ6.js";import"./chunk-TR6SIV5R.js";import"./chunk-JNL4OBP2.js";import"./chunk-VT53CLAC.js";import"./chunk-M4HYBZOV.js";import"./chunk-TGSGL642.js";import"./chunk-CRFO4ITO.js";import"./chunk-DORHLSVB.js";import"./chunk-44YSZEWT.js";import{a as g}from"./chunk-DFNV5VGS.js";import"./chunk-JTO7CUDJ.js";import{resolve as c}from"node:path";var k=`usage: chartship plan [options]

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
  --json               print the plan as JSON
  --cwd DIR            repository directory (default: current directory)
  --help               show this help
`;async function H(n,t){let o=E({name:"plan",help:k,positionals:{min:0,max:0,what:"no arguments"},options:{charts:{type:"string",multiple:!0},exclude:{type:"string",multiple:!0},"skip-deprecated":{type:"boolean"},base:{type:"string"},head:{type:"string"},"since-tags":{type:"boolean"},"tag-template":{type:"string"},"release-tag-template":{type:"string"},"bump-minor-pre-major":{type:"boolean"},"bump-patch-for-minor-pre-major":{type:"boolean"},config:{type:"string"},registry:{type:"string",multiple:!0},overwrite:{type:"boolean"},"plain-http":{type:"boolean"},prerelease:{type:"string"},"version-bump":{type:"string"},"other-types":{type:"string"},"app-version":{type:"string"},write:{type:"boolean"},json:{type:"boolean"},cwd:{type:"string"}}},n,t);if(typeof o=="number")return o;let{values:e}=o,s=c(t.cwd,e.cwd??"."),i=b(v({prerelease:e.prerelease,"version-bump":e["version-bump"],"other-types":e["other-types"],"app-version":e["app-version"],"bump-minor-pre-major":O(e["bump-minor-pre-major"]),"bump-patch-for-minor-pre-major":O(e["bump-patch-for-minor-pre-major"]),"release-tag-template":e["release-tag-template"]??e["tag-template"]})),m=e.config?await l(c(t.cwd,e.config),e.config,{required:!0}):await l(c(s,p),p),j={cwd:s,charts:e.charts,exclude:e.exclude,skipDeprecated:e["skip-deprecated"],base:e.base,head:e.head,sinceTags:e["since-tags"],tagTemplate:i.tagTemplate??m.versioning["release-tag-template"],...i.given,versionBump:i.versionBump,rulesFor:w(m.versioning,i.given),registryNamespaces:e.registry,onWarning:r=>t.stderr(`warning: ${r.describe()}
`)};for(let r of e.registry??[])if(!r.startsWith("oci://"))throw new g(`--registry ${JSON.stringify(r)} must start with oci://`,{field:"registry",code:"CONFIG_INVALID"});let a=await y({...j,registries:e.registry??[],target:{plainHttp:e["plain-http"],env:t.env,cwd:s},overwrite:e.overwrite,env:t.env,warn:r=>t.stderr(`warning: ${r}
`)}),h=e.write?await d(a):[];e.json?t.stdout(`${JSON.stringify(e.write?{...a,written:h}:a,null,2)}
`):t.stdout(u(a,h));for(let r of a.invalid)t.stderr(`error: ${f(r)}
`);return a.invalid.length>0?1:0}function O(n){return n===void 0?void 0:String(n)}export{H as run};
//# sourceMappingURL=plan-HJ55FJGD.js.map
