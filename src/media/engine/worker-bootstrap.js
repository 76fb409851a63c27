// Entry of a media worker thread. Workers do not inherit the main thread's
// tsx loader, so this plain .js file registers tsx in the worker and then
// loads the TypeScript worker. Resolving 'tsx' from this file (not from the
// current directory) makes it work under vitest and under `node bin/hotline.js`
// from any directory.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
