export { PcscCardReader, SERVICE_MISSING_MESSAGE, forkWorker } from './card-reader.js';
export type { PcscCardReaderOptions, WorkerHandle, WorkerSpawner } from './card-reader.js';
export { GET_UID_APDU, interpretUidResponse } from './apdu.js';
export type { UidResult } from './apdu.js';
export { defaultPcscdSocket, probeUnixSocket } from './service-probe.js';
export type { CardErrorEvent, CardEvent, CardReaderEvents, WorkerMessage } from './types.js';
export { DRIVER_MISSING_MESSAGE, pcscDriver } from './driver.js';
export type { DriverCheck } from './driver.js';
