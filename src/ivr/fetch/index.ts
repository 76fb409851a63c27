/** The IVR fetch layer's public surface: what application servers and composition roots use. */
export { FetchError, resolveUrl } from './resource-fetcher.ts';
export type { FetchErrorCode, FetchRequest, FetchedResource, ResourceFetcher } from './resource-fetcher.ts';
export { HttpFileFetcher } from './http-file-fetcher.ts';
export { MountingFetcher, type FetchMount } from './mounting-fetcher.ts';
