// @ts-check
'use strict';
// PC/SC worker, run as a child process by card-reader.ts.
//
// Why a separate process: @pokusew/pcsclite's constructor busy-loops on SCardEstablishContext
// while pcscd is absent, on the calling thread, forever. In the Electron main process that would
// freeze the whole till. Here it can only freeze this child, and the parent kills it when the
// heartbeat below stops.
//
// Why plain CommonJS: it must run unchanged under `node` (tests), under Electron-as-node
// (packaged app) and after electron-vite bundling, with no TypeScript loader in the child.
// It stays dumb on purpose: it only forwards raw facts (reader names, ATR, APDU response
// bytes); the parent interprets them in TypeScript where they are unit-tested.
//
// Messages to the parent (process.send):
//   {t:'hb'} · {t:'up'} · {t:'readers', names} · {t:'inserted', reader, atr, response?, error?}
//   {t:'removed', reader} · {t:'pcscError', message} · {t:'noService'} · {t:'loadError', message}
// From the parent: {t:'stop'}.

const fs = require('node:fs');
const path = require('node:path');

const HEARTBEAT_MS = Number(process.env.PCSC_HEARTBEAT_MS) || 500;
const SOCKET = process.env.PCSC_SOCKET || ''; // empty: do not check (Windows, or tests forcing the trap)
const GET_UID = Buffer.from([0xff, 0xca, 0x00, 0x00, 0x00]);

/** @param {Record<string, unknown>} msg */
function send(msg) {
  if (process.connected && process.send) process.send(msg);
}

// The parent is gone: nobody to talk to. Exit instead of lingering as an orphan holding the reader.
process.on('disconnect', () => process.exit(0));

setInterval(() => send({ t: 'hb' }), HEARTBEAT_MS);
send({ t: 'hb' });

// Second guard (the parent checked too, but pcscd may have gone in between).
if (SOCKET && !fs.existsSync(SOCKET)) {
  send({ t: 'noService' });
  process.exit(3);
}

// In the packaged app node_modules keeps the plain-Node build of pcsclite (for the tests) and the
// Electron-ABI build ships separately (native/electron/pcsclite.node). pcsclite loads its addon via
// require('bindings')('pcsclite'), so we answer that require with the file we were given.
const NATIVE = process.env.PCSC_NATIVE_BINDING || '';
if (NATIVE) {
  const Module = require('node:module');
  const pcscDir = path.dirname(require.resolve('@pokusew/pcsclite/package.json'));
  const bindingsPath = require.resolve('bindings', { paths: [pcscDir] });
  const fake = new Module(bindingsPath, module);
  fake.filename = bindingsPath;
  fake.loaded = true;
  fake.exports = () => require(NATIVE);
  require.cache[bindingsPath] = fake;
}

/** @type {any} */
let pcsclite;
try {
  pcsclite = require('@pokusew/pcsclite');
} catch (err) {
  // Wrong ABI or missing file: say so instead of dying with a stack trace nobody reads.
  send({ t: 'loadError', message: err instanceof Error ? err.message : String(err) });
  process.exit(4);
}

/** @type {any} */
const pcsc = pcsclite(); // may spin forever if pcscd vanished: the parent's watchdog handles that
let stopping = false;
/** @type {Map<string, any>} */
const readers = new Map();

function sendReaders() {
  send({ t: 'readers', names: [...readers.keys()].sort() });
}

send({ t: 'up' });

pcsc.on('error', (/** @type {Error} */ err) => {
  // close() cancels the pending SCardGetStatusChange: "Command cancelled" is expected then.
  if (stopping || /cancel/i.test(err.message)) return;
  send({ t: 'pcscError', message: err.message });
});

pcsc.on('reader', (/** @type {any} */ reader) => {
  readers.set(reader.name, reader);
  sendReaders();
  let present = false;

  reader.on('error', (/** @type {Error} */ err) => {
    if (stopping || /cancel/i.test(err.message)) return;
    send({ t: 'pcscError', message: `${reader.name}: ${err.message}` });
  });

  reader.on('status', (/** @type {{state: number, atr?: Buffer}} */ status) => {
    // Compare only the presence bit: the state word also carries an event counter and CHANGED bit,
    // and pcsclite reports the first state twice (get_status and the status thread).
    const nowPresent = (status.state & reader.SCARD_STATE_PRESENT) !== 0;
    if (nowPresent === present) return;
    present = nowPresent;
    const atr = status.atr ? status.atr.toString('hex').toUpperCase() : '';
    if (!nowPresent) {
      send({ t: 'removed', reader: reader.name });
      reader.disconnect(reader.SCARD_LEAVE_CARD, () => undefined);
      return;
    }
    if (status.state & reader.SCARD_STATE_MUTE) {
      send({ t: 'inserted', reader: reader.name, atr, error: 'mute' });
      return;
    }
    readUid(reader, atr);
  });

  reader.on('end', () => {
    readers.delete(reader.name);
    sendReaders();
  });
});

/** Connect shared, send FF CA 00 00 00, forward the raw response, disconnect. */
function readUid(/** @type {any} */ reader, /** @type {string} */ atr) {
  reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (/** @type {Error|null} */ err, /** @type {number} */ protocol) => {
    if (err) return send({ t: 'inserted', reader: reader.name, atr, error: err.message });
    reader.transmit(GET_UID, 258, protocol, (/** @type {Error|null} */ err2, /** @type {Buffer} */ data) => {
      if (err2) send({ t: 'inserted', reader: reader.name, atr, error: err2.message });
      else send({ t: 'inserted', reader: reader.name, atr, response: data.toString('hex').toUpperCase() });
      reader.disconnect(reader.SCARD_LEAVE_CARD, () => undefined);
    });
  });
}

process.on('message', (/** @type {any} */ msg) => {
  if (!msg || msg.t !== 'stop') return;
  stopping = true;
  try {
    for (const r of readers.values()) r.close();
    pcsc.close();
  } catch {
    // closing a half-dead context can throw; we are exiting anyway
  }
  // Give close() a moment to release the readers in pcscd, then leave.
  setTimeout(() => process.exit(0), 50);
});
