/**
 * The demo's Content-Security-Policy: everything from the page's own origin only, plus
 * 'wasm-unsafe-eval' so onnxruntime's WebAssembly can compile. No inline script or style,
 * no third-party hosts, no connections anywhere else.
 */
export const DEMO_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * The policy as the demo's server sends it, on every response (the page, the worker script,
 * the data): the meta tag's policy plus `frame-ancestors 'none'` (no other page may frame the
 * keyboard; browsers take that directive only from a header). A header, unlike the meta tag,
 * also binds the engine's Web Worker, whose own policy comes from its script's response.
 */
export const DEMO_CSP_HEADER = `${DEMO_CSP}; frame-ancestors 'none'`;
