// Throw-away RSA-2048 key pairs for the payment simulators (WeChat Pay v3, Alipay): one pair acts as
// the merchant (the till signs with its private half, the fake verifies with the public half), one as
// the platform (the fake signs its answers, the till verifies). Made fresh per run with node:crypto;
// never real keys, never committed.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RsaKeyPair {
  /** PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), what WeChat's apiclient_key.pem looks like. */
  privateKeyPem: string;
  /** SPKI PEM ("-----BEGIN PUBLIC KEY-----"), what WeChat's pub_key.pem and Alipay's public key look like. */
  publicKeyPem: string;
}

export function generateRsaKeyPair(): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export interface PaymentKeys {
  merchant: RsaKeyPair;
  platform: RsaKeyPair;
}

/** A merchant pair and a platform pair (≈0.1–0.5 s: make them once per test file). */
export function makePaymentKeys(): PaymentKeys {
  return { merchant: generateRsaKeyPair(), platform: generateRsaKeyPair() };
}

/** A random upper-case hex serial like a WeChat merchant certificate's (40 characters). */
export function fakeCertSerial(): string {
  return randomBytes(20).toString('hex').toUpperCase();
}

/**
 * Writes the keys as PEM files (mode 0600) into `dir` (a new temp folder when omitted), for a person
 * who points a till at a simulator and imports the keys through the settings screen.
 */
export function writePaymentKeys(keys: PaymentKeys, dir?: string): { dir: string; files: Record<string, string> } {
  const out = dir ?? mkdtempSync(join(tmpdir(), 'payment-keys-'));
  mkdirSync(out, { recursive: true });
  const files: Record<string, string> = {
    merchantPrivateKey: join(out, 'merchant_private_key.pem'),
    merchantPublicKey: join(out, 'merchant_public_key.pem'),
    platformPrivateKey: join(out, 'platform_private_key.pem'),
    platformPublicKey: join(out, 'platform_public_key.pem'),
  };
  writeFileSync(files.merchantPrivateKey, keys.merchant.privateKeyPem, { mode: 0o600 });
  writeFileSync(files.merchantPublicKey, keys.merchant.publicKeyPem, { mode: 0o600 });
  writeFileSync(files.platformPrivateKey, keys.platform.privateKeyPem, { mode: 0o600 });
  writeFileSync(files.platformPublicKey, keys.platform.publicKeyPem, { mode: 0o600 });
  return { dir: out, files };
}
