// Merchant secrets at rest (payment private keys, the WeChat APIv3 key): encrypted before they reach
// the database, by the best cipher this machine has:
// 1. the Electron shell's safeStorage (DPAPI on Windows, Keychain on macOS, libsecret on Linux), which
//    the shell registers with useSecretCipher();
// 2. in the browser host, a random data key kept in the OS key store through @napi-rs/keyring (an
//    optional dependency, loaded lazily: a missing module or no Secret Service on Linux only means 3.);
// 3. otherwise AES-256-GCM with a random key in a file in the till's data folder — which protects a
//    copied database or backup, not a stolen data folder; the settings view says so.
// Each stored secret names the cipher that sealed it, so a machine that gains or loses a key store
// still opens what it wrote before (or says clearly why it cannot).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { TillError } from '../../shared/errors';

export type SecretCipherKind = 'os-keychain' | 'electron-safe-storage' | 'local-key-file';

export interface SecretCipher {
  encrypt(buf: Buffer): Buffer;
  decrypt(buf: Buffer): Buffer;
  readonly kind: SecretCipherKind;
}

/** A secret as stored: which cipher sealed it and the sealed bytes (base64). */
export interface SealedSecret {
  kind: SecretCipherKind;
  data: string;
}

export const SECRET_STORE_LABEL: Record<SecretCipherKind, string> = {
  'electron-safe-storage': '密钥由系统加密保存（Electron safeStorage）',
  'os-keychain': '密钥由系统钥匙串保存',
  'local-key-file': '密钥以本机文件加密（未使用系统钥匙串）',
};

/** The key file of the fallback cipher, in the till's data folder. */
export const KEY_FILE = 'payment-secrets.key';

const VERSION = 1;

/** AES-256-GCM: version byte, 12-byte IV, 16-byte tag, ciphertext. Any changed byte fails the tag. */
function aesGcmCipher(key: () => Buffer, kind: SecretCipherKind): SecretCipher {
  return {
    kind,
    encrypt(buf) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key(), iv);
      const body = Buffer.concat([c.update(buf), c.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), body]);
    },
    decrypt(buf) {
      if (buf.length < 29 || buf[0] !== VERSION) throw new Error('sealed secret: unknown format');
      const d = createDecipheriv('aes-256-gcm', key(), buf.subarray(1, 13));
      d.setAuthTag(buf.subarray(13, 29));
      return Buffer.concat([d.update(buf.subarray(29)), d.final()]);
    },
  };
}

/**
 * The fallback: a random 32-byte key in `<dataDir>/payment-secrets.key` (made on the first encrypt,
 * owner-only). A key file that is missing, of the wrong size or replaced fails every decrypt.
 */
export function keyFileCipher(dataDir: string): SecretCipher {
  const file = join(dataDir, KEY_FILE);
  return aesGcmCipher(() => {
    if (!existsSync(file)) {
      try {
        writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // made meanwhile: read that one
      }
    }
    const key = readFileSync(file);
    if (key.length !== 32) throw new Error(`${KEY_FILE}: expected 32 bytes, found ${key.length}`);
    return key;
  }, 'local-key-file');
}

interface KeyringModule {
  Entry: new (service: string, account: string) => { getPassword(): string | null | undefined; setPassword(p: string): void };
}

/**
 * A data key kept in the OS key store (Windows Credential Manager, macOS Keychain, Secret Service),
 * or null when @napi-rs/keyring is not installed or the store cannot be used here.
 */
export function keychainCipher(dataDir: string): SecretCipher | null {
  try {
    const keyring = createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule;
    const account = `payment-secrets:${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16)}`;
    const entry = new keyring.Entry('xiaodian-till', account);
    let stored = entry.getPassword();
    if (!stored) {
      entry.setPassword(randomBytes(32).toString('base64'));
      stored = entry.getPassword(); // read back: a store that accepts but forgets is no store
    }
    const key = Buffer.from(stored ?? '', 'base64');
    if (key.length !== 32) return null;
    return aesGcmCipher(() => key, 'os-keychain');
  } catch {
    return null;
  }
}

/** What Electron's safeStorage offers (the shell passes the real one in; plain Node never loads electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** safeStorage as a SecretCipher, or null where it would only obfuscate (Linux 'basic_text' backend). */
export function safeStorageCipher(safeStorage: SafeStorageLike): SecretCipher | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (safeStorage.getSelectedStorageBackend?.() === 'basic_text') return null;
  return {
    kind: 'electron-safe-storage',
    encrypt: (buf) => safeStorage.encryptString(buf.toString('base64')),
    decrypt: (buf) => Buffer.from(safeStorage.decryptString(buf), 'base64'),
  };
}

let shellCipher: SecretCipher | null = null;

/** The Electron shell registers safeStorage here at start (null: none). */
export function useSecretCipher(cipher: SecretCipher | null): void {
  shellCipher = cipher;
}

const keychains = new Map<string, SecretCipher | null>();

function keychainFor(dataDir: string): SecretCipher | null {
  // TILL_SECRET_STORE=file: never touch the OS key store (tests, or a shop that wants the file).
  if (process.env.TILL_SECRET_STORE === 'file') return null;
  const k = resolve(dataDir);
  if (!keychains.has(k)) keychains.set(k, keychainCipher(dataDir));
  return keychains.get(k) ?? null;
}

/** The cipher new secrets are sealed with on this machine. */
export function primaryCipher(dataDir: string): SecretCipher {
  return shellCipher ?? keychainFor(dataDir) ?? keyFileCipher(dataDir);
}

function cipherOfKind(dataDir: string, kind: SecretCipherKind): SecretCipher | null {
  if (kind === 'local-key-file') return keyFileCipher(dataDir);
  if (kind === 'os-keychain') return keychainFor(dataDir);
  return shellCipher?.kind === 'electron-safe-storage' ? shellCipher : null;
}

export function seal(dataDir: string, plain: string): SealedSecret {
  const c = primaryCipher(dataDir);
  return { kind: c.kind, data: c.encrypt(Buffer.from(plain, 'utf8')).toString('base64') };
}

/** The secret in clear, or SECRET_UNREADABLE in Chinese saying why and what to do. */
export function unseal(dataDir: string, sealed: SealedSecret, what: string): string {
  const c = cipherOfKind(dataDir, sealed.kind);
  if (!c) {
    throw new TillError(
      'SECRET_UNREADABLE',
      sealed.kind === 'electron-safe-storage'
        ? `${what}由桌面版的系统加密保存，在浏览器模式下无法读取：请在桌面版中使用，或重新导入`
        : `${what}保存在系统钥匙串中，本机现在无法使用钥匙串：请重新导入`,
    );
  }
  try {
    return c.decrypt(Buffer.from(sealed.data, 'base64')).toString('utf8');
  } catch {
    throw new TillError(
      'SECRET_UNREADABLE',
      sealed.kind === 'local-key-file'
        ? `${what}无法解密：本机密钥文件 ${KEY_FILE} 已损坏、被替换或丢失，请重新导入商户密钥`
        : `${what}无法解密（系统加密的密钥已变），请重新导入商户密钥`,
    );
  }
}
