/**
 * The package as a consumer gets it (issue 14): `npm pack`; the tarball's contents; the tarball
 * installed into a fresh app made from create-vite's vanilla-ts template (its own strict
 * tsconfig, with `skipLibCheck` off) whose main.ts is the README's embedding snippet as
 * written; `npm run build` there (`tsc && vite build`); the build served and typed into in
 * Chromium; and a Node script that imports the installed package and converts.
 *
 * npm reads from its cache first (`--prefer-offline`): the template and the app's vite and
 * typescript come from the registry only the first time on a machine.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS } from './environment.ts';
import { launchChromium, ROOT } from './harness.ts';

/** The create-vite release whose vanilla-ts template the app is made from. */
const CREATE_VITE = 'create-vite@9.3.0';
const NPM_QUIET = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

interface PackedFile {
  readonly path: string;
  readonly size: number;
}
interface Packed {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly PackedFile[];
}

let work: string;
let app: string;
let packed: Packed;
let buildLog: string;
let browser: Browser;

function run(command: string, args: readonly string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
}

/** The first ```ts block after the README heading `heading`. */
function readmeBlock(heading: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const from = readme.indexOf(`## ${heading}`);
  expect(from, `README section ${heading}`).toBeGreaterThanOrEqual(0);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(from));
  expect(block, `a ts block under ${heading}`).not.toBeNull();
  return block![1]!;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hanzi-ime-package-'));
  // prepack builds dist/ first.
  const out = run('npm', ['pack', '--json', '--pack-destination', work, ...NPM_QUIET], ROOT);
  packed = (JSON.parse(out.slice(out.indexOf('['))) as Packed[])[0]!;

  // A fresh app from Vite's own template, strict checks of the package's types switched on.
  const template = JSON.parse(run('npm', ['pack', CREATE_VITE, '--json', '--pack-destination', work, ...NPM_QUIET], work)) as Packed[];
  run('tar', ['-xzf', template[0]!.filename], work);
  app = join(work, 'app');
  cpSync(join(work, 'package', 'template-vanilla-ts'), app, { recursive: true });
  const tsconfigPath = join(app, 'tsconfig.json');
  const tsconfig = readFileSync(tsconfigPath, 'utf8');
  expect(tsconfig).toContain('"skipLibCheck": true');
  writeFileSync(tsconfigPath, tsconfig.replace('"skipLibCheck": true', '"skipLibCheck": false, "strict": true'));
  const html = readFileSync(join(app, 'index.html'), 'utf8');
  writeFileSync(join(app, 'index.html'), html.replace('<div id="app"></div>', '<textarea id="message" rows="3" cols="40"></textarea>'));
  writeFileSync(join(app, 'src', 'main.ts'), readmeBlock('Embedding the keyboard in a chat client'));
  writeFileSync(join(app, 'node-check.mjs'), readmeBlock('Using the engine in Node').replace(/^session\.candidates\(\);.*$/m, 'console.log(session.candidates()[0]?.text);'));

  run('npm', ['install', ...NPM_QUIET, join(work, packed.filename)], app);
  buildLog = run('npm', ['run', 'build'], app);
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (work && !process.env.KEEP_PACKAGE_TEST) rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('holds the built library, the data files and their notes, and nothing else', () => {
    const paths = packed.files.map((f) => f.path).sort();
    const allowed = /^(dist\/.+\.(js|js\.map|d\.ts)|dictionaries\/(lexicon\.bin|README\.md)|models\/(ngram\.bin|ngram-first\.bin|README\.md)|README\.md|LICENSE|package\.json)$/;
    expect(paths.filter((p) => !allowed.test(p))).toEqual([]);
    expect(paths.filter((p) => /(^|\/)(test|bench|scripts|src|demo)\/|\.test\.|reranker\.onnx/.test(p))).toEqual([]);
    for (const entry of ['dist/index.js', 'dist/node/index.js', 'dist/worker/index.js', 'dist/worker/worker.js', 'dist/keyboard/index.js', 'dist/reranker.js']) {
      expect(paths).toContain(entry);
      expect(paths).toContain(entry.replace(/\.js$/, '.d.ts'));
      expect(paths).toContain(`${entry}.map`);
    }
    expect(paths).toContain('dictionaries/lexicon.bin');
    expect(paths).toContain('models/ngram.bin');
    expect(paths).toContain('models/ngram-first.bin');
    expect(packed.size).toBeLessThan(10_000_000);
  });

  it('installs without onnxruntime-web or protobufjs (optional peers)', () => {
    expect(existsSync(join(app, 'node_modules', 'hanzi-ime', 'package.json'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'onnxruntime-web'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'protobufjs'))).toBe(false);
  });
});

describe('in a fresh Vite + TypeScript app', () => {
  it('`tsc && vite build` passes, copies the data files and the worker, and bundles no ONNX runtime', () => {
    const assets = join(app, 'dist', 'assets');
    const files = readdirSync(assets);
    const sizes = Object.fromEntries(files.map((f) => [f, statSync(join(assets, f)).size]));
    console.log(`package test: tarball ${packed.size} B; build:\n${buildLog.trim()}`);
    expect(files.some((f) => /^lexicon-.*\.bin$/.test(f))).toBe(true);
    expect(files.some((f) => /^ngram-.*\.bin$/.test(f))).toBe(true);
    expect(files.some((f) => /^worker-.*\.js$/.test(f))).toBe(true);
    expect(files.filter((f) => f.endsWith('.wasm'))).toEqual([]);
    for (const f of files.filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(join(assets, f), 'utf8'), f).not.toMatch(/onnxruntime|InferenceSession/);
    }
    const page = files.find((f) => /^index-.*\.js$/.test(f))!;
    expect(sizes[page]).toBeLessThan(400_000);
  });

  it('typing nihao in Chromium, even before the engine has loaded, shows 你好 first; space puts it in the box', async () => {
    const served = await serve(join(app, 'dist'), { holdData: true });
    try {
      const page = await browser.newPage();
      const problems = watch(page);
      await page.goto(served.url);
      await page.locator('#message').click();
      await page.keyboard.type('nihao'); // the data files are held back: the engine is not ready
      expect(await page.locator('[data-hanzi-ime] .preedit').textContent()).toBe('nihao');
      expect(await page.locator('#message').inputValue()).toBe('');
      served.release();
      const first = page.locator('[data-hanzi-ime] [role="option"]:not([hidden]) .text').first();
      await expect.poll(() => first.textContent(), { timeout: 30_000 }).toBe('你好');
      await page.screenshot({ path: join(SHOTS, 'package-vite-app.png') });
      await page.keyboard.press('Space');
      await expect.poll(() => page.locator('#message').inputValue()).toBe('你好');
      // The lexicon and the small first model; the full model follows the first answer.
      const kind = (r: string) => (/\/ngram-first-[^/]*$/.test(r) ? 'ngram-first' : /\/ngram-[^/]*$/.test(r) ? 'ngram' : /\/lexicon-[^/]*$/.test(r) ? 'lexicon' : r);
      const bins = () => served.requests.filter((r) => r.endsWith('.bin')).map(kind);
      await expect.poll(() => bins().sort(), { timeout: 30_000 }).toEqual(['lexicon', 'ngram', 'ngram-first']);
      expect(bins().slice(0, 2).sort()).toEqual(['lexicon', 'ngram-first']);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await served.close();
    }
  });

  it('a data file missing: the error event reports the 404 as an ImeError and the box takes letters as a plain box', async () => {
    const served = await serve(join(app, 'dist'), { missing: /^\/assets\/ngram-/ });
    try {
      const page = await browser.newPage();
      const warnings: string[] = [];
      page.on('console', (m) => void (m.type() === 'warning' && warnings.push(m.text())));
      const problems = watch(page);
      await page.goto(served.url);
      await page.locator('#message').click();
      await page.keyboard.type('nihao');
      await expect.poll(() => warnings.join('\n'), { timeout: 30_000 }).toMatch(/pinyin keyboard:.*ngram.*404.*ImeError/s);
      await expect.poll(() => page.locator('#message').inputValue()).toBe('nihao');
      await page.keyboard.type(' ma');
      expect(await page.locator('#message').inputValue()).toBe('nihao ma');
      expect(problems.filter((p) => !/404/.test(p))).toEqual([]);
      await page.close();
    } finally {
      await served.close();
    }
  });
});

describe('in Node', () => {
  it('the README snippet imports the installed package, loads the packaged data and converts', () => {
    expect(run(process.execPath, ['node-check.mjs'], app).trim()).toBe('你好');
  });

  it('the same snippet type-checks in a strict NodeNext project without the DOM library, skipLibCheck off', () => {
    writeFileSync(join(app, 'node-check.ts'), readFileSync(join(app, 'node-check.mjs')));
    const compilerOptions = {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2022'],
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      noEmit: true,
    };
    writeFileSync(join(app, 'tsconfig.node.json'), JSON.stringify({ compilerOptions, files: ['node-check.ts'] }));
    // This repository's TypeScript (the app's own is the template's).
    expect(run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.node.json'], app)).toBe('');
  });
});

/** Console errors and uncaught exceptions of a page. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.bin': 'application/octet-stream',
};

interface Served {
  readonly url: string;
  readonly requests: string[];
  /** Lets held data files go. */
  release(): void;
  close(): Promise<void>;
}

/** A static server for the built app: can hold the .bin files back, or answer 404 for some. */
async function serve(dir: string, options: { holdData?: boolean; missing?: RegExp } = {}): Promise<Served> {
  const requests: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  if (!options.holdData) release();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory() || options.missing?.test(path)) {
      res.writeHead(404).end('not found');
      return;
    }
    const send = () => {
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    };
    if (extname(file) === '.bin') void released.then(send);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    release,
    close: () => {
      release();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
