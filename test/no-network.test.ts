/**
 * No keystroke, candidate or history may leave the device (issue 7). Three layers:
 * 1. a static scan of every file under src/ (TypeScript syntax trees, so comments and names
 *    of our own properties do not count) for network APIs; the one asset loader
 *    src/engine/assets.ts is the only exception, and the scan must find its fetch;
 * 2. the asset loader's URL policy under random URLs (worker-assets.test.ts has the cases);
 * 3. a run of the engine, the worker host and the user history with every network entry point
 *    of the runtime replaced by a recorder: typing must make no call at all.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadAsset, resolveAssetUrl } from '../src/engine/assets.ts';
import { isImeError, ImeErrorCode } from '../src/util/errors.ts';
import { createEngineHost } from '../src/worker/engine-host.ts';
import { createEngine } from '../src/engine/engine.ts';
import { loadEngineData } from '../src/engine/load.ts';
import { attachHistory } from '../src/user/attach-history.ts';
import { HistoryStore } from '../src/user/store.ts';
import { UserLearning } from '../src/user/user-learning.ts';
import { nodeCodec, readAssets, ROOT } from '../scripts/lib/node-engine.ts';

/** The one file in src/ allowed to make requests. */
const ASSET_LOADER = 'src/engine/assets.ts';

// ---------------------------------------------------------------------------------------------
// 1. Static scan

/** Globals that open a connection (called, constructed or passed around). */
const NETWORK_GLOBALS = new Set([
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'EventSource',
  'RTCPeerConnection',
  'RTCDataChannel',
  'WebTransport',
  'importScripts',
  'sendBeacon',
]);
/** Objects the globals above are reached through (`globalThis.fetch`, `navigator.sendBeacon`). */
const GLOBAL_OBJECTS = new Set(['globalThis', 'self', 'window', 'navigator', 'top', 'parent', 'frames', 'global']);
/** Modules that talk to the network. */
const NETWORK_MODULES = /^(node:)?(http|https|http2|net|tls|dgram|dns)(\/.*)?$|^(undici|ws|node-fetch|axios|got|socket\.io-client|cross-fetch)$/;
/** A URL that leaves the machine (protocol-relative included). */
const REMOTE_URL = /(^|[^a-z])(https?|wss?|ftp):\/\/|^\/\/[^/]/i;
/** XML namespace names look like URLs but are never fetched. */
const NAMESPACE = /^http:\/\/www\.w3\.org\/(1999|2000)\//;

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

function isNameOfDeclarationOrMember(node: ts.Identifier): boolean {
  const p = node.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === node) return true;
  if (ts.isQualifiedName(p) && p.right === node) return true;
  if (
    (ts.isPropertyAssignment(p) ||
      ts.isPropertySignature(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isMethodSignature(p) ||
      ts.isGetAccessorDeclaration(p) ||
      ts.isSetAccessorDeclaration(p) ||
      ts.isEnumMember(p)) &&
    p.name === node
  ) {
    return true;
  }
  return false;
}

function inTypePosition(node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isTypeNode(p) && !ts.isExpressionWithTypeArguments(p)) return true;
    if (ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p)) return true;
  }
  return false;
}

function literalText(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  // new URL('https://…', base)
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') return literalText(node.arguments?.[0]);
  return undefined;
}

/** Network uses in one source file. */
function findNetworkUses(code: string, file: string): Finding[] {
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Finding[] = [];
  const report = (node: ts.Node, what: string) =>
    found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, what });

  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && NETWORK_GLOBALS.has(node.text) && !isNameOfDeclarationOrMember(node) && !inTypePosition(node)) {
      report(node, node.text);
    } else if (ts.isPropertyAccessExpression(node) && NETWORK_GLOBALS.has(node.name.text)) {
      const base = node.expression;
      if (node.name.text === 'sendBeacon' || (ts.isIdentifier(base) && GLOBAL_OBJECTS.has(base.text))) report(node, node.getText(sf));
    } else if (ts.isElementAccessExpression(node)) {
      const key = literalText(node.argumentExpression);
      if (key !== undefined && NETWORK_GLOBALS.has(key)) report(node, node.getText(sf));
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /^(Shared)?Worker$/.test(node.expression.text)) {
      const url = literalText(node.arguments?.[0]);
      if (url !== undefined && REMOTE_URL.test(url)) report(node, `new ${node.expression.text}('${url}')`);
    } else if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      const spec = node.moduleSpecifier && literalText(node.moduleSpecifier);
      if (spec !== undefined && (NETWORK_MODULES.test(spec) || REMOTE_URL.test(spec))) report(node, `import '${spec}'`);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const spec = literalText(node.arguments[0]);
      if (spec === undefined) report(node, 'import() of a computed module name');
      else if (NETWORK_MODULES.test(spec) || REMOTE_URL.test(spec)) report(node, `import('${spec}')`);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      const spec = literalText(node.arguments[0]);
      if (spec === undefined || NETWORK_MODULES.test(spec)) report(node, `require(${spec ?? '…'})`);
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const text = node.text;
      if (REMOTE_URL.test(text) && !NAMESPACE.test(text)) report(node, `remote URL ${JSON.stringify(text.slice(0, 60))}`);
      if (/@import\b|url\(\s*['"]?(https?:)?\/\//i.test(text)) report(node, `CSS that loads ${JSON.stringify(text.slice(0, 60))}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('static scan of src/', () => {
  const files = filesUnder(join(ROOT, 'src')).map((p) => relative(ROOT, p).split('\\').join('/'));

  it('holds only files the scan can read', () => {
    expect(files.length).toBeGreaterThan(20);
    const unknown = files.filter((f) => !/\.(ts|mts|md)$/.test(f));
    expect(unknown, 'a new kind of file in src/: extend the scan to it').toEqual([]);
  });

  it(`uses no network API outside ${ASSET_LOADER}`, () => {
    const findings = files
      .filter((f) => /\.m?ts$/.test(f) && f !== ASSET_LOADER)
      .flatMap((f) => findNetworkUses(readFileSync(join(ROOT, f), 'utf8'), f));
    expect(findings.map((x) => `${x.file}:${x.line}: ${x.what}`)).toEqual([]);
  });

  it('finds the asset loader’s fetch (the scan sees what it must)', () => {
    const uses = findNetworkUses(readFileSync(join(ROOT, ASSET_LOADER), 'utf8'), ASSET_LOADER);
    expect(uses.map((x) => x.what)).toEqual(['fetch']);
  });

  it('no markdown file under src/ carries a script', () => {
    for (const f of files.filter((x) => x.endsWith('.md'))) expect(readFileSync(join(ROOT, f), 'utf8'), f).not.toMatch(/<script|<iframe|<img\s/i);
  });

  // The scanner itself, on snippets: every network use is found, our own names are not.
  it.each([
    ['fetch(url)', 'fetch'],
    ['await fetch("/x")', 'fetch'],
    ['const f = fetch; f(u)', 'fetch'],
    ['globalThis.fetch(u)', 'globalThis.fetch'],
    ['self["fetch"](u)', 'self["fetch"]'],
    ['window.fetch.call(null, u)', 'window.fetch'],
    ['new XMLHttpRequest()', 'XMLHttpRequest'],
    ['new WebSocket("wss://a.example")', 'WebSocket'],
    ['new EventSource("/events")', 'EventSource'],
    ['navigator.sendBeacon("/log", data)', 'navigator.sendBeacon'],
    ['const nav = navigator; nav.sendBeacon(u)', 'nav.sendBeacon'],
    ['new RTCPeerConnection()', 'RTCPeerConnection'],
    ['importScripts("https://cdn.example/x.js")', 'importScripts'],
    ['new Worker("https://evil.example/w.js")', "new Worker('https://evil.example/w.js')"],
    ['new Worker(new URL("//evil.example/w.js"))', "new Worker('//evil.example/w.js')"],
    ['import x from "https://esm.example/x.js"', "import 'https://esm.example/x.js'"],
    ['import http from "node:http"', "import 'node:http'"],
    ['const m = await import("https://x.example/m.js")', "import('https://x.example/m.js')"],
    ['const m = await import(name)', 'import() of a computed module name'],
    ['const u = "https://tracker.example/p"', 'remote URL "https://tracker.example/p"'],
    ['const css = `@import url(https://fonts.example/a.css);`', 'CSS that loads "@import url(https://fonts.example/a.css);"'],
  ])('the scan finds %s', (code, what) => {
    expect(findNetworkUses(code, 'snippet.ts').map((x) => x.what)).toContain(what);
  });

  it.each([
    '// fetch(url) in a comment',
    '/** Uses no XMLHttpRequest or WebSocket. */ const a = 1;',
    'interface O { readonly fetch?: (u: string) => Promise<Response> }',
    'type F = typeof fetch;',
    'const host = { fetch: options.fetch }; loadAsset(u, p, options.fetch);',
    'const s = "refused to fetch the file";',
    'const ns = "http://www.w3.org/2000/svg";',
    'new Worker(new URL("./worker.ts", import.meta.url), { type: "module" })',
    'const m = await import("../model/onnx.ts")',
  ])('the scan passes %s', (code) => {
    expect(findNetworkUses(code, 'snippet.ts')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. The asset loader's policy under random URLs

describe('asset loader policy (random URLs)', () => {
  const PAGE = 'https://chat.example.org/app/index.html';
  const ALLOWED = 'https://static.example.net/ime/';
  const refused = (url: string, policy: Parameters<typeof resolveAssetUrl>[1]) => {
    try {
      resolveAssetUrl(url, policy);
      return false;
    } catch (e) {
      if (!isImeError(e, ImeErrorCode.AssetRefused)) throw e;
      return true;
    }
  };

  it('refuses every URL of another origin, and never calls fetch for it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.webUrl({ withQueryParameters: true, withFragments: true }), async (url) => {
        const target = new URL(url);
        fc.pre(target.origin !== 'https://chat.example.org' && target.origin !== 'https://static.example.net');
        expect(refused(url, { base: PAGE, allowed: [ALLOWED] })).toBe(true);
        const fetchFn = vi.fn(async () => new Response('x'));
        await expect(loadAsset(url, { base: PAGE, allowed: [ALLOWED] }, fetchFn)).rejects.toMatchObject({ code: ImeErrorCode.AssetRefused });
        expect(fetchFn).not.toHaveBeenCalled();
      }),
      { numRuns: 300 },
    );
  });

  it('allows any path of its own origin and under a configured prefix, nothing beside it', () => {
    const segment = fc.stringMatching(/^[a-z0-9._-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (parts) => {
        const path = parts.join('/');
        expect(resolveAssetUrl(`/${path}`, { base: PAGE }).origin).toBe('https://chat.example.org');
        expect(resolveAssetUrl(path, { base: PAGE }).href.startsWith('https://chat.example.org/app/')).toBe(true);
        expect(resolveAssetUrl(`${ALLOWED}${path}`, { base: PAGE, allowed: [ALLOWED] }).href).toBe(`${ALLOWED}${path}`);
        expect(refused(`https://static.example.net/${path}`, { base: PAGE, allowed: [ALLOWED] })).toBe(parts[0] !== 'ime');
        expect(refused(`https://static.example.net.attacker.example/ime/${path}`, { base: PAGE, allowed: [ALLOWED] })).toBe(true);
        expect(refused(`https://chat.example.org.attacker.example/${path}`, { base: PAGE })).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 3. At run time: typing makes no call to any network entry point

describe('typing makes no request', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('through the engine, the worker host and the user history', async () => {
    const calls: string[] = [];
    const recorder = (name: string) =>
      function (this: unknown, ...args: unknown[]) {
        calls.push(`${name}(${args.map((a) => String(a).slice(0, 40)).join(', ')})`);
        throw new Error(`${name} called`);
      };
    for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'RTCPeerConnection', 'WebTransport', 'importScripts']) {
      vi.stubGlobal(name, vi.fn(recorder(name)));
    }
    vi.stubGlobal('navigator', { ...globalThis.navigator, sendBeacon: vi.fn(recorder('sendBeacon')) });
    const connect = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(recorder('net.Socket.connect') as never);

    const assets = readAssets();
    const data = loadEngineData(assets, nodeCodec);
    const learning = new UserLearning(data.lexicon);
    const engine = createEngine(data, learning.engineOptions);
    const store = await HistoryStore.open(learning.history, { name: 'no-network', writeInterval: 0, broadcast: false });
    const controls = attachHistory(engine, learning, store);
    const session = engine.createSession();
    const inputs = ['nihao', 'woaibeijingtiananmen', 'zhongguorenmin', "xi'an", 'bjdx', 'hm', 'x'.repeat(200)];
    for (const input of inputs) {
      for (const key of input) {
        session.type(key);
        session.candidates();
        session.preedit();
      }
      session.select(0);
      session.commit();
    }
    await controls.flush();
    expect(learning.history.unitCount, 'the history learned the commits').toBeGreaterThan(0);
    expect(store.writeCount, 'and wrote them').toBeGreaterThan(0);
    await store.close();

    const host = createEngineHost();
    await host.init({ lexicon: assets.lexicon, model: assets.model });
    let seq = 0;
    for (const key of 'nihaoshijie') await host.type(++seq, key);
    await host.select(++seq, 0);
    await host.commit(++seq);

    expect(calls).toEqual([]);
    expect(connect).not.toHaveBeenCalled();
  });
});
