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
