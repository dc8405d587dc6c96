/**
 * Supply chain (issue 7): the runtime dependencies are a short, deliberate list; each is
 * imported only where the layering says; the lockfile is committed, complete and pinned by
 * hash; no install script runs unreviewed. Adding a runtime dependency means editing
 * {@link RUNTIME_DEPENDENCIES} here, with its reason.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../scripts/lib/node-engine.ts';

/** Every runtime dependency, why we have it, and the only src/ files that may import it. */
const RUNTIME_DEPENDENCIES: Record<string, { readonly why: string; readonly importedBy: RegExp }> = {
  comlink: { why: 'typed RPC between the page and the engine worker', importedBy: /^src\/worker\// },
  fflate: { why: 'inflates the data files (portable; Node lends zlib)', importedBy: /^src\/util\/container\.ts$/ },
  idb: { why: 'IndexedDB for the user history', importedBy: /^src\/user\/store\.ts$/ },
  'opencc-js': { why: 'traditional-character output (issue 8)', importedBy: /^src\/engine\/traditional\.ts$/ },
  'textarea-caret': { why: 'caret position for the keyboard’s candidate bar', importedBy: /^src\/keyboard\/text-target\.ts$/ },
};

/**
 * Optional peer dependencies (issue 14): installed by the consumer only when used, imported
 * only by the package entry that needs them, never by the default worker or keyboard.
 */
const OPTIONAL_PEER_DEPENDENCIES: Record<string, { readonly why: string; readonly importedBy: RegExp }> = {
  'onnxruntime-web': { why: 'runs the optional reranking model (hanzi-ime/reranker)', importedBy: /^src\/model\/onnx\.ts$/ },
  protobufjs: { why: 'reads and writes the ONNX model protobuf (already under onnxruntime-web)', importedBy: /^src\/model\/onnx-format\.ts$/ },
};

/**
 * Node built-ins src/ may use: only the Node worker entry point and src/node/ (the package
 * root under the `node` export condition); the core runs in browsers.
 */
const NODE_BUILTINS: Record<string, RegExp> = {
  'node:worker_threads': /^src\/worker\/node-worker\.ts$/,
  'node:fs': /^src\/node\//,
  'node:url': /^src\/node\//,
  'node:zlib': /^src\/node\//,
};

interface PackageJson {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}
interface LockEntry {
  version?: string;
  integrity?: string;
  resolved?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  link?: boolean;
  hasInstallScript?: boolean;
}
interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry & { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Bare module specifiers imported by each file of src/ (static, dynamic, type-only and re-exports). */
function bareImports(): { file: string; spec: string }[] {
  const out: { file: string; spec: string }[] = [];
  for (const path of filesUnder(join(ROOT, 'src')).filter((p) => /\.m?ts$/.test(p))) {
    const file = relative(ROOT, path).split('\\').join('/');
    const code = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (!spec.startsWith('.') && !spec.startsWith('/')) out.push({ file, spec });
    }
  }
  return out;
}

/** The package a specifier names (`@scope/name/sub` → `@scope/name`). */
const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

describe('runtime dependencies', () => {
  it('are exactly the allow-list', () => {
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(Object.keys(RUNTIME_DEPENDENCIES).sort());
  });

  it('are each used by src/, and only where the layering allows', () => {
    const imports = bareImports();
    const wrong: string[] = [];
    for (const { file, spec } of imports) {
      const name = packageOf(spec);
      const rule = (RUNTIME_DEPENDENCIES[name] ?? OPTIONAL_PEER_DEPENDENCIES[name])?.importedBy ?? NODE_BUILTINS[spec];
      if (!rule) wrong.push(`${file}: imports ${spec}, which is not a runtime dependency`);
      else if (!rule.test(file)) wrong.push(`${file}: may not import ${spec}`);
    }
    expect(wrong).toEqual([]);
    const used = new Set(imports.map((i) => packageOf(i.spec)));
    const unused = Object.keys(RUNTIME_DEPENDENCIES).filter((d) => !used.has(d));
    expect(unused, 'runtime dependencies nothing in src/ imports').toEqual([]);
  });

  it('optional peers are exactly the allow-list, marked optional, and installed for development only', () => {
    const peers = Object.keys(pkg.peerDependencies ?? {}).sort();
    expect(peers).toEqual(Object.keys(OPTIONAL_PEER_DEPENDENCIES).sort());
    for (const name of peers) {
      expect(pkg.peerDependenciesMeta?.[name]?.optional, `${name} is an optional peer`).toBe(true);
      expect(pkg.devDependencies?.[name], `${name} is a devDependency (tests)`).toBe(pkg.peerDependencies![name]);
      expect(pkg.dependencies?.[name]).toBeUndefined();
    }
  });

  it('no dependency is listed both as runtime and as development', () => {
    const both = Object.keys(pkg.dependencies ?? {}).filter((d) => d in (pkg.devDependencies ?? {}));
    expect(both).toEqual([]);
  });
});

describe('lockfile', () => {
  it('is committed', () => {
    const tracked = execFileSync('git', ['ls-files', '--error-unmatch', 'package-lock.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(tracked.trim()).toBe('package-lock.json');
  });

  it('matches package.json', () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
    const root = lock.packages['']!;
    expect(root.dependencies ?? {}).toEqual(pkg.dependencies ?? {});
    expect(root.devDependencies ?? {}).toEqual(pkg.devDependencies ?? {});
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry, `${name} is locked`).toBeDefined();
      expect(entry!.dev, `${name} is locked as a runtime package`).not.toBe(true);
    }
  });

  it('pins every package by a sha512 hash, from the registry only', () => {
    const problems: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (!path || entry.link) continue;
      if (!/^sha512-[A-Za-z0-9+/]+=*$/.test(entry.integrity ?? '')) problems.push(`${path}: no sha512 integrity`);
      if (entry.resolved !== undefined && !entry.resolved.startsWith('https://registry.npmjs.org/')) problems.push(`${path}: resolved from ${entry.resolved}`);
      if (!/^\d+\.\d+\.\d+/.test(entry.version ?? '')) problems.push(`${path}: version ${entry.version}`);
    }
    expect(problems).toEqual([]);
  });

  it('names every package with an install script in allowScripts (reviewed: approved or denied)', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([path, e]) => path && e.hasInstallScript)
      .map(([path]) => nameOf(path));
    const unreviewed = withScripts.filter((name) => !(name in (pkg.allowScripts ?? {})));
    expect(unreviewed).toEqual([]);
  });

  it('runs no install script of a runtime package', () => {
    const runtime = Object.entries(lock.packages).filter(([path, e]) => path && !e.dev && !e.devOptional && e.hasInstallScript);
    const approved = runtime.map(([path]) => nameOf(path)).filter((name) => pkg.allowScripts?.[name] !== false);
    expect(approved).toEqual([]);
  });
});
