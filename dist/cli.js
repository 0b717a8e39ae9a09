#!/usr/bin/env node
import { createRequire as __chartshipCreateRequire } from 'node:module';
const require = __chartshipCreateRequire(import.meta.url);
var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/errors.ts
function describeError(error) {
  if (error instanceof ChartshipError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}
var ChartshipError;
var init_errors = __esm({
  "src/errors.ts"() {
    "use strict";
    ChartshipError = class extends Error {
      file;
      field;
      line;
      column;
      hint;
      code;
      constructor(message, options = {}) {
        super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
        this.name = "ChartshipError";
        this.file = options.file;
        this.field = options.field;
        this.line = options.line;
        this.column = options.column;
        this.hint = options.hint;
        this.code = options.code;
      }
      /** `file:line:column: field: message (hint)`: the one line a user reads. */
      describe() {
        const where = [this.file, this.line, this.line === void 0 ? void 0 : this.column].filter((p) => p !== void 0).join(":");
        const field = this.field ? `${this.field}: ` : "";
        const hint = this.hint ? ` (${this.hint})` : "";
        return `${where ? `${where}: ` : ""}${field}${this.message}${hint}`;
      }
    };
  }
});

// src/cli/commands/publish.ts
var publish_exports = {};
__export(publish_exports, {
  run: () => run
});
async function run(_argv, _io) {
  throw new ChartshipError("chartship publish is not implemented yet");
}
var init_publish = __esm({
  "src/cli/commands/publish.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/commands/plan.ts
var plan_exports = {};
__export(plan_exports, {
  run: () => run2
});
async function run2(_argv, _io) {
  throw new ChartshipError("chartship plan is not implemented yet");
}
var init_plan = __esm({
  "src/cli/commands/plan.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/commands/package.ts
var package_exports = {};
__export(package_exports, {
  run: () => run3
});
async function run3(_argv, _io) {
  throw new ChartshipError("chartship package is not implemented yet");
}
var init_package = __esm({
  "src/cli/commands/package.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/commands/push.ts
var push_exports = {};
__export(push_exports, {
  run: () => run4
});
async function run4(_argv, _io) {
  throw new ChartshipError("chartship push is not implemented yet");
}
var init_push = __esm({
  "src/cli/commands/push.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/commands/verify.ts
var verify_exports = {};
__export(verify_exports, {
  run: () => run5
});
async function run5(_argv, _io) {
  throw new ChartshipError("chartship verify is not implemented yet");
}
var init_verify = __esm({
  "src/cli/commands/verify.ts"() {
    "use strict";
    init_errors();
  }
});

// src/cli/main.ts
init_errors();

// src/cli/io.ts
function processIO() {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks = [];
      for await (const chunk of process.stdin) chunks.push(chunk);
      return Buffer.concat(chunks);
    },
    env: process.env,
    cwd: process.cwd()
  };
}

// src/cli/main.ts
var commands = {
  publish: { summary: "plan, package, sign, push and report every changed chart", load: () => Promise.resolve().then(() => (init_publish(), publish_exports)) },
  plan: { summary: "show which charts change and their next versions", load: () => Promise.resolve().then(() => (init_plan(), plan_exports)) },
  package: { summary: "package a chart directory reproducibly (and sign it)", load: () => Promise.resolve().then(() => (init_package(), package_exports)) },
  push: { summary: "push a packaged chart to an OCI registry or image layout", load: () => Promise.resolve().then(() => (init_push(), push_exports)) },
  verify: { summary: "verify a chart archive against its .prov file", load: () => Promise.resolve().then(() => (init_verify(), verify_exports)) }
};
function usage() {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: chartship <command> [options]

commands:
${lines.join("\n")}

chartship <command> --help shows a command's options.
`;
}
async function main(argv, io) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`chartship: unknown command ${JSON.stringify(name)}

${usage()}`);
    return 2;
  }
  try {
    const { run: run6 } = await command.load();
    return await run6(rest, io);
  } catch (error) {
    io.stderr(`Error: ${describeError(error)}
`);
    return 1;
  }
}
var entry = process.argv[1] ?? "";
if (import.meta.url === `file://${entry}` || /(^|[/\\])(cli\.js|chartship)$/.test(entry)) {
  process.exitCode = await main(process.argv.slice(2), processIO());
}
export {
  main
};
