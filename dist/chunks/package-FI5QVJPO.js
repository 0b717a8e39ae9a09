import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{k as c}from"./chunk-ZOSYIEDY.js";import"./chunk-6UXKZ5Y2.js";import"./chunk-YTLGE7RG.js";import"./chunk-MM2TEU3N.js";import"./chunk-CRS3R37M.js";import"./chunk-Z3ZZDWEJ.js";import"./chunk-BFGWPJE3.js";import"./chunk-CEM2RK2Q.js";import"./chunk-PZ3MONUN.js";import{c as p,d as h}from"./chunk-XRWPEEV6.js";import"./chunk-BIZOIWA5.js";import"./chunk-MLI4WYAW.js";import"./chunk-INTZSCW5.js";import"./chunk-LQ7TSBHJ.js";import"./chunk-3ZVB2U6R.js";import{j as n}from"./chunk-MB5RYZB3.js";import"./chunk-3YDHQIRY.js";import{resolve as l}from"node:path";var u=`usage: chartship package <chart-dir> [options]

Packages a chart directory into <name>-<version>.tgz, byte for byte reproducible: every entry is stamped with
SOURCE_DATE_EPOCH, else the time of the last commit touching the chart, else 1980-01-01T00:00:00Z.
Dependencies missing from charts/ are fetched (file://, oci://, https://) and Chart.lock is written into the archive.
Like helm, the archive holds Chart.yaml and Chart.lock re-serialised from their fields (comments and key order are
not kept); every other file is copied as is.

options:
  -d, --destination DIR     where to write the archive (default: current directory)
      --version V           set the chart version in the archive (the chart directory is not changed)
      --app-version A       set appVersion in the archive
      --sign                write a provenance file <archive>.prov next to the archive
      --key-file KEY.asc    armored OpenPGP secret key to sign with (with --sign)
      --passphrase-file F   file holding the key's passphrase
      --plain-http          fetch oci:// dependencies over plain HTTP (loopback registries)
      --json                print the result as JSON
  -h, --help                show this help
`;async function D(d,t){let r=await h({name:"package",help:u,positionals:{min:1,max:1,what:"one chart directory"},options:{destination:{type:"string",short:"d"},version:{type:"string"},"app-version":{type:"string"},sign:{type:"boolean"},"key-file":{type:"string"},"passphrase-file":{type:"string"},"plain-http":{type:"boolean"},json:{type:"boolean"}}},d,t);if(typeof r=="number")return r;let{values:e,positionals:f}=r;if(!e.sign&&(e["key-file"]||e["passphrase-file"]))throw new n("--key-file and --passphrase-file need --sign",{field:"--sign"});if(e.sign&&!e["key-file"])throw new n("--sign needs --key-file KEY.asc",{field:"--key-file"});let a=e.sign?e["key-file"]:void 0,{packaged:y,path:o,provPath:i}=await c(l(t.cwd,f[0]),{destination:l(t.cwd,e.destination??"."),version:e.version,appVersion:e["app-version"],signKey:a?await p(t,a,e["passphrase-file"],{key:"--key-file",passphrase:"--passphrase-file"}):void 0,plainHttp:e["plain-http"],env:t.env,warn:s=>t.stderr(`warning: ${s}
`)});if(e.json){let{name:s,version:m,sha256:g,sourceDate:v,sourceDateOrigin:k}=y;t.stdout(`${JSON.stringify({name:s,version:m,path:o,sha256:g,sourceDate:v.toISOString(),sourceDateOrigin:k,...i?{prov:i}:{}},null,2)}
`)}else t.stdout(`Successfully packaged chart and saved it to: ${o}
`),i&&t.stdout(`Provenance file saved to: ${i}
`);return 0}export{D as run};
//# sourceMappingURL=package-FI5QVJPO.js.map
