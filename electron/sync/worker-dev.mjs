// The sync worker when the till runs from its TypeScript sources (tests, bench): registers tsx in
// this thread, then loads worker.ts. A built app would start its bundled sync-worker.js instead.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
