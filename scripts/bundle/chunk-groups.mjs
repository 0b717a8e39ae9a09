import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An esbuild plugin that makes the modules of each group load as one chunk.
 *
 * esbuild puts a module in the chunk of the exact set of entry points (the two entries and every import() target) that
 * reach it. With some fifty of them crossing, `chartship plan` read its code from 39 files, and node's ESM loader
 * pays for every file it reads (resolve, read, compile, link): half of the time before plan's first git call went
 * there, and the same code in 5 files reached it some 30 ms sooner. A group is named by the entry points that all reach its modules. Every entry
 * point that reaches one module of a group is made to import all of them (a wrapper module stands in for it: its
 * source is left as it is), so they all have one set of entry points and esbuild writes them to one chunk. No module is
 * written twice; an entry point that needed part of a group evaluates all of it, which costs far less than the files
 * it no longer reads (these modules only define things as they load).
 *
 * A module an entry point in node_modules reaches stays out of every group: that entry's source is a package's.
 * `metafile` is esbuild's account of a build of the same sources without this plugin: the import graph.
 */
export function chunkGroups(root, metafile, groups) {
  const inputs = metafile.inputs;
  const isStatic = (kind) => kind === 'import-statement' || kind === 'require-call';
  const edges = (file) => (inputs[file]?.imports ?? []).filter((i) => !i.external);
  const entryPoints = [
    ...new Set([...Object.values(metafile.outputs).flatMap((o) => (o.entryPoint ? [o.entryPoint] : [])), ...Object.keys(inputs).flatMap((f) => edges(f).filter((i) => i.kind === 'dynamic-import').map((i) => i.path))]),
  ];
  const reach = (starts) => {
    const seen = new Set();
    const stack = [...starts];
    while (stack.length > 0) {
      const file = stack.pop();
      if (seen.has(file)) continue;
      seen.add(file);
      for (const i of edges(file)) if (isStatic(i.kind)) stack.push(i.path);
    }
    return seen;
  };
  const own = (file) => /^src\/.*\.ts$/.test(file);
  const outOfReach = reach(entryPoints.filter((e) => !own(e)));
  // An entry point no module imports is the file of its own chunk; one that is imported too (a module some command
  // reads at once and another later) may be in a group like any module.
  const imported = new Set(Object.keys(inputs).flatMap((f) => edges(f).filter((i) => isStatic(i.kind)).map((i) => i.path)));
  const taken = new Set(entryPoints.filter((e) => !imported.has(e)));
  const members = new Map();
  for (const { name, reachedBy, apartFrom = [] } of groups) {
    const unknown = [...reachedBy, ...apartFrom].filter((e) => !entryPoints.includes(e));
    if (unknown.length > 0) throw new Error(`chunk group ${name}: ${unknown.join(', ')} is not an entry point of the build`);
    const [first, ...rest] = reachedBy.map((e) => reach([e]));
    const apart = reach(apartFrom);
    // In byte order: the graph lists modules in the order esbuild resolved them, which varies from build to build.
    const modules = [...first].filter((f) => own(f) && !taken.has(f) && !outOfReach.has(f) && !apart.has(f) && rest.every((r) => r.has(f))).sort();
    if (modules.length === 0) throw new Error(`chunk group ${name}: no module is reached by ${reachedBy.join(' and ')} alone`);
    for (const f of modules) taken.add(f);
    members.set(name, modules);
  }
  // What each entry point imports: every group it reaches, also through the groups it imports.
  const wrapped = new Map();
  for (const entry of entryPoints.filter(own)) {
    const joined = new Set();
    for (let grew = true; grew; ) {
      const reached = reach([entry, ...[...joined].flatMap((g) => members.get(g))]);
      grew = false;
      for (const [name, modules] of members) {
        if (!joined.has(name) && modules.some((f) => reached.has(f))) {
          joined.add(name);
          grew = true;
        }
      }
    }
    if (joined.size > 0) wrapped.set(entry, [...joined]);
  }

  const plugin = {
    name: 'chunk-groups',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        // Only entry points and import() targets in this repository are wrapped (a package name never is).
        if (args.pluginData === plugin || !(args.kind === 'entry-point' || (args.kind === 'dynamic-import' && /^\./.test(args.path)))) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: plugin });
        const file = resolved.errors.length === 0 ? relativeTo(root, resolved.path) : undefined;
        // The wrapper is named as the module it stands for: the chunk keeps the module's name.
        return file && wrapped.has(file) ? { path: file, namespace: 'chunk-group-entry' } : resolved;
      });
      build.onLoad({ filter: /.*/, namespace: 'chunk-group-entry' }, (args) => {
        const source = readFileSync(join(root, args.path), 'utf8');
        const at = JSON.stringify(`./${args.path}`);
        return {
          resolveDir: root,
          loader: 'js',
          contents: [
            // The CLI's entry is run as a command: its `#!` line stays the first of the file.
            ...(source.startsWith('#!') ? [source.slice(0, source.indexOf('\n'))] : []),
            ...wrapped.get(args.path).map((name) => `import ${JSON.stringify(`chunk-group:${name}`)};`),
            `export * from ${at};`,
            ...(/\bexport\s+default\b|\bas\s+default\b/.test(source) ? [`export { default } from ${at};`] : []),
          ].join('\n'),
        };
      });
      build.onResolve({ filter: /^chunk-group:/ }, (args) => ({ path: args.path.slice('chunk-group:'.length), namespace: 'chunk-group' }));
      build.onLoad({ filter: /.*/, namespace: 'chunk-group' }, (args) => ({
        resolveDir: root,
        loader: 'js',
        contents: members
          .get(args.path)
          .map((f) => `import ${JSON.stringify(`./${f}`)};`)
          .join('\n'),
      }));
    },
  };
  return plugin;
}

function relativeTo(root, path) {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : undefined;
}
