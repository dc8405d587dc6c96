/** The page side of the engine in a Worker: the client and the wire protocol. */
export { createEngineClient, type EngineClient, type EngineClientOptions, type WorkerEndpoint } from './client.ts';
export type * from './protocol.ts';
export { packagedDataUrls, withPackagedData } from './packaged-data.ts';
