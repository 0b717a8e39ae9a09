import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{b as n}from"./chunk-D2IY2XQK.js";import{a as s}from"./chunk-C5D5W6JD.js";import{resolve as i}from"node:path";var d={"plain-http":{type:"boolean"},"ca-file":{type:"string"},"cert-file":{type:"string"},"key-file":{type:"string"},"insecure-skip-tls-verify":{type:"boolean"},username:{type:"string"},"password-stdin":{type:"boolean"},"registry-config":{type:"string"}},f={username:{type:"string"},"password-stdin":{type:"boolean"},"registry-auth-file":{type:"string"},"registry-tls":{type:"string",multiple:!0},"plain-http":{type:"boolean"},"ca-file":{type:"string"},"insecure-skip-tls-verify":{type:"boolean"}},y=`  --plain-http                 use HTTP instead of HTTPS
  --ca-file FILE               trust this CA for the registry
  --cert-file FILE             client certificate
  --key-file FILE              client key
  --insecure-skip-tls-verify   do not verify the registry's certificate
  --username USER              with --password-stdin; otherwise helm's and docker's config.json are used
  --password-stdin             read the password (or token) from standard input
  --registry-config FILE       registry config.json instead of helm's default`;async function g(e,t,o){if(e["password-stdin"]&&e.username===void 0)throw new s("--password-stdin needs --username",{code:"USAGE"});if(e.username!==void 0&&!e["password-stdin"])throw new s("--username needs --password-stdin",{code:"USAGE",hint:`pipe the password: echo "$PASSWORD" | chartship ${o} \u2026 --username USER --password-stdin`});let r={plainHttp:e["plain-http"],caFile:e["ca-file"]&&i(t.cwd,e["ca-file"]),certFile:e["cert-file"]&&i(t.cwd,e["cert-file"]),keyFile:e["key-file"]&&i(t.cwd,e["key-file"]),insecureSkipTlsVerify:e["insecure-skip-tls-verify"],registryConfig:e["registry-config"]&&i(t.cwd,e["registry-config"]),env:t.env,cwd:t.cwd};return e.username!==void 0&&(r.username=e.username,r.password=await n(t)),r}export{d as a,f as b,y as c,g as d};
//# sourceMappingURL=chunk-K72CVJJC.js.map
