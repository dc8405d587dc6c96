/**
 * Builds the library into dist/ (`npm run build`; `npm pack` and `npm publish` run it through
 * prepack): ESM JavaScript, .d.ts and source maps (the TypeScript inlined, so the maps work
 * without src/) from tsconfig.build.json, mirroring src/ so the packaged data files resolve
 * the same way from both (`new URL('../../models/ngram.bin', import.meta.url)`).
 *
 * tsc rewrites `.ts` import specifiers to `.js` in JavaScript but not in declarations, nor the
 * worker URL (`new URL('./worker.ts', import.meta.url)`); both are rewritten here, and the
 * build fails if a relative `.ts` specifier is left anywhere.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');

/** Relative specifiers ending in .ts: in import/export/import() and in `new URL(…, import.meta.url)`. */
const SPECIFIER = /((?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bnew URL\(\s*)(['"]))(\.\.?\/[^'"]*?)\.ts(?=\2)/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

rmSync(DIST, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });

let rewritten = 0;
for (const path of filesUnder(DIST).filter((p) => p.endsWith('.js') || p.endsWith('.d.ts'))) {
  const code = readFileSync(path, 'utf8');
  // `.ts` → `.js` keeps every column, so the source maps stay right.
  const out = code.replace(SPECIFIER, (_m, head: string, _q: string, stem: string) => `${head}${stem}.js`);
  if (out !== code) {
    writeFileSync(path, out);
    rewritten++;
  }
  const left = [...out.matchAll(SPECIFIER)].map((m) => m[0]);
  if (left.length > 0) throw new Error(`${path}: .ts specifiers left: ${left.join(', ')}`);
}
process.stderr.write(`dist/: ${filesUnder(DIST).length} files (${rewritten} with specifiers rewritten)\n`);
