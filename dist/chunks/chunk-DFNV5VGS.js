import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
var r=class extends Error{file;field;line;column;hint;code;constructor(i,e={}){super(i,e.cause===void 0?void 0:{cause:e.cause}),this.name="ChartshipError",this.file=e.file,this.field=e.field,this.line=e.line,this.column=e.column,this.hint=e.hint,this.code=e.code}describe(){let i=[this.file,this.line,this.line===void 0?void 0:this.column].filter(s=>s!==void 0).join(":"),e=this.field?`${this.field}: `:"",t=this.hint?` (${this.hint})`:"";return`${i?`${i}: `:""}${e}${this.message}${t}`}};function d(n){return n instanceof r?n.describe():n instanceof Error?n.message:String(n)}export{r as a,d as b};
//# sourceMappingURL=chunk-DFNV5VGS.js.map
