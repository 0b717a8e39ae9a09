import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{b as n}from"./chunk-WGIUWNKK.js";import{a as s}from"./chunk-YUR25DCB.js";import{resolve as r}from"node:path";var c={"plain-http":{type:"boolean"},"ca-file":{type:"string"},"cert-file":{type:"string"},"key-file":{type:"string"},"insecure-skip-tls-verify":{type:"boolean"},username:{type:"string"},"password-stdin":{type:"boolean"},"registry-config":{type:"string"}},f=`  --plain-http                 use HTTP instead of HTTPS
  --ca-file FILE               trust this CA for the registry
  --cert-file FILE             client certificate
  --key-file FILE              client key
  --insecure-skip-tls-verify   do not verify the registry's certificate
  --username USER              with --password-stdin; otherwise helm's and docker's config.json are used
  --password-stdin             read the password (or token) from standard input
  --registry-config FILE       registry config.json instead of helm's default`;async function g(e,i,o){if(e["password-stdin"]&&e.username===void 0)throw new s("--password-stdin needs --username",{code:"USAGE"});if(e.username!==void 0&&!e["password-stdin"])throw new s("--username needs --password-stdin",{code:"USAGE",hint:`pipe the password: echo "$PASSWORD" | chartship ${o} \u2026 --username USER --password-stdin`});let t={plainHttp:e["plain-http"],caFile:e["ca-file"]&&r(i.cwd,e["ca-file"]),certFile:e["cert-file"]&&r(i.cwd,e["cert-file"]),keyFile:e["key-file"]&&r(i.cwd,e["key-file"]),insecureSkipTlsVerify:e["insecure-skip-tls-verify"],registryConfig:e["registry-config"]&&r(i.cwd,e["registry-config"]),env:i.env,cwd:i.cwd};return e.username!==void 0&&(t.username=e.username,t.password=await n(i)),t}export{c as a,f as b,g as c};
//# sourceMappingURL=chunk-E6WTZQPZ.js.map
