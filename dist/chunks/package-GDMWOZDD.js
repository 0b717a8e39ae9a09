import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
import{k as c}from"./chunk-FBC44YP2.js";import"./chunk-RZ4M5IX2.js";import"./chunk-2BTE4EVX.js";import"./chunk-7XXQW2QN.js";import"./chunk-IMSMYDS3.js";import"./chunk-AFA3DQAK.js";import"./chunk-CBH4GW2G.js";import"./chunk-PJMNB22K.js";import"./chunk-TISKCBMZ.js";import{c as p,d as h}from"./chunk-2YXVPT7A.js";import"./chunk-BIZOIWA5.js";import"./chunk-WMX7K2PJ.js";import"./chunk-4JBVRQLL.js";import"./chunk-KSMEETM6.js";import"./chunk-6MQQGIMF.js";import{g as n}from"./chunk-YGEQYHBV.js";import"./chunk-JTO7CUDJ.js";import{resolve as l}from"node:path";var u=`usage: chartship package <chart-dir> [options]

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
//# sourceMappingURL=package-GDMWOZDD.js.map
