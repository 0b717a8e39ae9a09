import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{b as p}from"./chunk-A2RXNSKC.js";import{b as s}from"./chunk-L32SHWFS.js";import{resolve as n}from"node:path";var g={"plain-http":{type:"boolean"},"ca-file":{type:"string"},"cert-file":{type:"string"},"key-file":{type:"string"},"insecure-skip-tls-verify":{type:"boolean"},username:{type:"string"},"password-stdin":{type:"boolean"},"registry-config":{type:"string"}},y={username:{type:"string"},"password-stdin":{type:"boolean"},"registry-auth-file":{type:"string"},"registry-tls":{type:"string",multiple:!0},"plain-http":{type:"boolean"},"ca-file":{type:"string"},"insecure-skip-tls-verify":{type:"boolean"}},l=`  --plain-http                 use HTTP instead of HTTPS
  --ca-file FILE               trust this CA for the registry
  --cert-file FILE             client certificate
  --key-file FILE              client key
  --insecure-skip-tls-verify   do not verify the registry's certificate
  --username USER              with --password-stdin; otherwise CHARTSHIP_USERNAME and CHARTSHIP_PASSWORD,
                               else helm's and docker's config.json
  --password-stdin             read the password (or token) from standard input
  --registry-config FILE       registry config.json instead of helm's default`;async function m(e,t,r){if(e["password-stdin"]&&e.username===void 0)throw new s("--password-stdin needs --username",{code:"USAGE"});if(e.username!==void 0&&!e["password-stdin"])throw new s("--username needs --password-stdin",{code:"USAGE",hint:`pipe the password: echo "$PASSWORD" | chartship ${r} \u2026 --username USER --password-stdin`});let i={plainHttp:e["plain-http"],caFile:e["ca-file"]&&n(t.cwd,e["ca-file"]),certFile:e["cert-file"]&&n(t.cwd,e["cert-file"]),keyFile:e["key-file"]&&n(t.cwd,e["key-file"]),insecureSkipTlsVerify:e["insecure-skip-tls-verify"],registryConfig:e["registry-config"]&&n(t.cwd,e["registry-config"]),env:t.env,cwd:t.cwd};return e.username!==void 0?(i.username=e.username,i.password=await p(t)):Object.assign(i,d(t.env,"CHARTSHIP_USERNAME","CHARTSHIP_PASSWORD")),i}function d(e,t,r){let i=e[t],o=e[r];if(o!==void 0){if(i===void 0)throw new s(`${r} needs ${t}`,{code:"USAGE"});return{username:i,password:o}}}export{g as a,y as b,l as c,m as d};
//# sourceMappingURL=chunk-4GUPX3CC.js.map
