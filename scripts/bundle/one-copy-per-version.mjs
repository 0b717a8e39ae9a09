import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An esbuild plugin. npm installs a package twice when two dependants need the same version and a third one holds the
 * top-level name (minimatch 9 under glob and under @tufjs/models, beside minimatch 10). Identical versions are one
 * module in the bundle: a bare import that resolves into any copy of a name@version under `modules` is sent to one
 * chosen copy, the one with the shortest path (then the first in byte order). The choice must not depend on the order
 * esbuild resolves imports in, which varies from build to build: dist/ is checked to be what the sources build to.
 */
export function oneCopyPerVersion(modules) {
  const plugin = {
    name: 'one-copy-per-version',
    setup(build) {
      let chosen;
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === plugin || args.namespace !== 'file') return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: plugin });
        const at = /^(.*[/\\]node_modules[/\\](?:@[^/\\]+[/\\])?[^/\\]+)([/\\].*)$/.exec(resolved.path);
        if (resolved.errors.length > 0 || !at) return resolved.errors.length > 0 ? undefined : resolved;
        const [, packageRoot, inside] = at;
        chosen ??= installedCopies(modules);
        const { name, version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
        return { ...resolved, path: (chosen.get(`${name}@${version}`) ?? packageRoot) + inside };
      });
    },
  };
  return plugin;
}

/** Every package installed under `modules`, nested ones too: name@version → the copy oneCopyPerVersion keeps. */
export function installedCopies(modules, copies = new Map()) {
  let entries;
  try {
    entries = readdirSync(modules, { withFileTypes: true });
  } catch {
    return copies;
  }
  const packages = entries.flatMap((entry) => {
    if (entry.name.startsWith('.') || !(entry.isDirectory() || entry.isSymbolicLink())) return [];
    if (!entry.name.startsWith('@')) return [join(modules, entry.name)];
    return readdirSync(join(modules, entry.name)).map((name) => join(modules, entry.name, name));
  });
  for (const packageRoot of packages) {
    try {
      const { name, version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
      const key = `${name}@${version}`;
      const kept = copies.get(key);
      if (!kept || packageRoot.length < kept.length || (packageRoot.length === kept.length && packageRoot < kept)) copies.set(key, packageRoot);
    } catch {
      // Not a package (no package.json): nothing to choose.
    }
    installedCopies(join(packageRoot, 'node_modules'), copies);
  }
  return copies;
}
