// comlink ships the Node adapter as node-adapter.mjs with types in node-adapter.d.ts, a
// pairing TypeScript does not make on its own for a .mjs import.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}
