import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{a as g}from"./chunk-MITFHSS3.js";import{a as l,c,d}from"./chunk-AVSAUZXX.js";import{n as h}from"./chunk-23LTOYTF.js";import"./chunk-PQUVZG5T.js";import"./chunk-IF5GNVQ6.js";import"./chunk-TR6SIV5R.js";import"./chunk-JNL4OBP2.js";import"./chunk-VT53CLAC.js";import"./chunk-M4HYBZOV.js";import"./chunk-TGSGL642.js";import"./chunk-CRFO4ITO.js";import"./chunk-DORHLSVB.js";import"./chunk-44YSZEWT.js";import{a as i}from"./chunk-DFNV5VGS.js";import"./chunk-JTO7CUDJ.js";import{resolve as y}from"node:path";var f=`usage: chartship plan [options]

Shows which charts changed and the versions they would be released as.

  --charts GLOB        chart directories (repeatable; default charts/*; ** spans directories)
  --exclude NAME|GLOB  leave charts out by name or directory glob (repeatable)
  --skip-deprecated    leave out charts marked deprecated
  --base REF           compare against merge-base(REF, head), as for a pull request or push
  --head REF           last commit to look at (default HEAD); charts are read as they are at REF, from git
                       when the work tree is elsewhere (--write and --registry need REF checked out)
  --since-tags         compare each chart against its newest release tag (the default without --base)
  --tag-template T     release tag naming (default {name}-{version})
  --registry oci://\u2026   target registry (repeatable): charts whose next version it already holds with the same
                       content are unchanged, with other content an error; dependencies on it are local
  --overwrite          accept a published version with different content (it will be replaced)
  --plain-http         talk HTTP, not HTTPS, to the registries
  --prerelease ID      prerelease channel, e.g. rc \u2192 1.3.0-rc.0
  --version-bump MODE  conventional (default) or none
  --other-types MODE   non-release commit types that change a chart: patch (default) or none
  --app-version MODE   keep (default), follow (the chart version), or value:TEXT
  --write              write the new versions into Chart.yaml
  --json               print the plan as JSON
  --cwd DIR            repository directory (default: current directory)
  --help               show this help
`;async function N(r,t){let s=g({name:"plan",help:f,positionals:{min:0,max:0,what:"no arguments"},options:{charts:{type:"string",multiple:!0},exclude:{type:"string",multiple:!0},"skip-deprecated":{type:"boolean"},base:{type:"string"},head:{type:"string"},"since-tags":{type:"boolean"},"tag-template":{type:"string"},registry:{type:"string",multiple:!0},overwrite:{type:"boolean"},"plain-http":{type:"boolean"},prerelease:{type:"string"},"version-bump":{type:"string"},"other-types":{type:"string"},"app-version":{type:"string"},write:{type:"boolean"},json:{type:"boolean"},cwd:{type:"string"}}},r,t);if(typeof s=="number")return s;let{values:e}=s,o=y(t.cwd,e.cwd??"."),m={cwd:o,charts:e.charts,exclude:e.exclude,skipDeprecated:e["skip-deprecated"],base:e.base,head:e.head,sinceTags:e["since-tags"],tagTemplate:e["tag-template"],prerelease:e.prerelease,versionBump:u("version-bump",e["version-bump"],["conventional","none"]),otherTypes:u("other-types",e["other-types"],["patch","none"]),appVersion:w(e["app-version"]),registryNamespaces:e.registry,onWarning:n=>t.stderr(`warning: ${n.describe()}
`)};for(let n of e.registry??[])if(!n.startsWith("oci://"))throw new i(`--registry ${JSON.stringify(n)} must start with oci://`,{field:"registry",code:"CONFIG_INVALID"});let a=await h({...m,registries:e.registry??[],target:{plainHttp:e["plain-http"],env:t.env,cwd:o},overwrite:e.overwrite,env:t.env,warn:n=>t.stderr(`warning: ${n}
`)}),p=e.write?await l(a):[];e.json?t.stdout(`${JSON.stringify(e.write?{...a,written:p}:a,null,2)}
`):t.stdout(c(a,p));for(let n of a.invalid)t.stderr(`error: ${d(n)}
`);return a.invalid.length>0?1:0}function u(r,t,s){if(t!==void 0){if(s.includes(t))return t;throw new i(`--${r} must be one of ${s.join(", ")}, got ${JSON.stringify(t)}`,{field:r,code:"CONFIG_INVALID"})}}function w(r){if(r===void 0||r==="keep"||r==="follow")return r;if(r.startsWith("value:")&&r.length>6)return{value:r.slice(6)};throw new i(`--app-version must be keep, follow or value:TEXT, got ${JSON.stringify(r)}`,{field:"app-version",code:"CONFIG_INVALID"})}export{N as run};
//# sourceMappingURL=plan-5VBPNVL7.js.map
