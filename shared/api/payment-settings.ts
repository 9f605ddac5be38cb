// 收款设置 (merchant settings for WeChat Pay and Alipay): owner-only. Keys are imported as PEM text
// (the screen reads the file the owner picks); once saved, a secret never comes back: the view shows
// whether it is set and a hint (the last 4 characters, or a key's fingerprint). Every field of a save
// is optional: a field left out keeps its value. Pure: no Node, no DOM.
import { z } from 'zod';
import { endpoint } from './endpoint';

export type MerchantProvider = 'wechat' | 'alipay';
export type MerchantEnv = 'production' | 'sandbox';

/** The platforms' own gateways; a base URL typed in the settings (a simulator) wins over these. */
export const DEFAULT_BASE_URLS: Record<MerchantProvider, Record<MerchantEnv, string | null>> = {
  wechat: { production: 'https://api.mch.weixin.qq.com', sandbox: null }, // WeChat Pay v3 has no sandbox
  alipay: { production: 'https://openapi.alipay.com', sandbox: 'https://openapi-sandbox.dl.alipaydev.com' },
};

const PRIVATE_PEM = /^-----BEGIN (RSA )?PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (RSA )?PRIVATE KEY-----$/;
const PUBLIC_PEM = /^-----BEGIN (RSA )?PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (RSA )?PUBLIC KEY-----$/;
/** Alipay's key tool writes keys as one bare base64 line (no BEGIN/END): accepted too. */
const BARE_BASE64 = /^[A-Za-z0-9+/]{200,}={0,2}$/;

const keyText = (label: string, pem: RegExp) =>
  z
    .string({ error: `${label}须为文本` })
    .max(10_000, { error: `${label}过长，请选择正确的密钥文件` })
    .transform((s) => s.trim())
    .refine((s) => pem.test(s) || BARE_BASE64.test(s.replace(/\s+/g, '')), {
      error: `${label}格式不对：应为 PEM 文本（-----BEGIN … KEY----- 开头），请选择正确的密钥文件`,
    });

const envField = z.enum(['production', 'sandbox'], { error: '环境须为“正式”或“沙箱”' });
const baseUrlField = z
  .string({ error: '网关地址须为文本' })
  .trim()
  .max(200, { error: '网关地址过长' })
  .refine((s) => s === '' || /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(s), { error: '网关地址须以 http:// 或 https:// 开头（留空为官方地址）' });
const enabledField = z.boolean({ error: '“启用”须为是或否' });

export const saveWechatMerchantInput = z
  .object({
    enabled: enabledField.optional(),
    env: envField.optional(),
    baseUrl: baseUrlField.optional(),
    mchid: z.string({ error: '商户号须为文本' }).trim().regex(/^\d{8,12}$/, { error: '商户号须为 8–12 位数字' }).optional(),
    appid: z.string({ error: 'AppID 须为文本' }).trim().regex(/^wx[0-9a-zA-Z]{16}$/, { error: 'AppID 须为 wx 开头的 18 位字母或数字' }).optional(),
    merchantSerialNo: z
      .string({ error: '商户证书序列号须为文本' })
      .trim()
      .regex(/^[0-9A-Fa-f]{8,64}$/, { error: '商户 API 证书序列号须为十六进制（证书详情里的“序列号”）' })
      .optional(),
    merchantPrivateKeyPem: keyText('商户 API 私钥（apiclient_key.pem）', PRIVATE_PEM).optional(),
    platformPublicKeyPem: keyText('微信支付公钥（pub_key.pem）', PUBLIC_PEM).optional(),
    platformPublicKeyId: z
      .string({ error: '微信支付公钥 ID 须为文本' })
      .trim()
      .regex(/^PUB_KEY_ID_[0-9A-Za-z]{1,60}$/, { error: '微信支付公钥 ID 须以 PUB_KEY_ID_ 开头' })
      .optional(),
    apiV3Key: z.string({ error: 'APIv3 密钥须为文本' }).regex(/^[A-Za-z0-9]{32}$/, { error: 'APIv3 密钥须为 32 位字母或数字' }).optional(),
  })
  .strict();
export type SaveWechatMerchantInput = z.input<typeof saveWechatMerchantInput>;

export const saveAlipayMerchantInput = z
  .object({
    enabled: enabledField.optional(),
    env: envField.optional(),
    baseUrl: baseUrlField.optional(),
    appId: z.string({ error: 'APPID 须为文本' }).trim().regex(/^\d{16}$/, { error: '支付宝 APPID 须为 16 位数字' }).optional(),
    appPrivateKeyPem: keyText('应用私钥', PRIVATE_PEM).optional(),
    alipayPublicKeyPem: keyText('支付宝公钥', PUBLIC_PEM).optional(),
  })
  .strict();
export type SaveAlipayMerchantInput = z.input<typeof saveAlipayMerchantInput>;

/** A saved secret as the screen sees it: never the value. */
export interface SecretView {
  set: boolean;
  /** "…a1b2" for the APIv3 key; "SHA256:xxxx…" (of the public half) for a key; null when not set. */
  hint: string | null;
}

interface MerchantViewBase {
  /** Every field needed to take payments is set. */
  complete: boolean;
  enabled: boolean;
  env: MerchantEnv;
  /** As typed ('' = the official gateway of `env`). */
  baseUrl: string;
  /** Where the till will really talk (null: none, e.g. WeChat sandbox without a simulator URL). */
  effectiveBaseUrl: string | null;
  /** Labels of what is still missing, in Chinese. */
  missing: string[];
  /** Why the saved settings cannot be used on this machine (a secret that no longer decrypts), in Chinese; null when fine. */
  problem: string | null;
  updatedAt: number | null;
}

export interface WechatMerchantView extends MerchantViewBase {
  mchid: string;
  appid: string;
  merchantSerialNo: string;
  platformPublicKeyId: string;
  merchantPrivateKey: SecretView;
  platformPublicKey: SecretView;
  apiV3Key: SecretView;
}

export interface AlipayMerchantView extends MerchantViewBase {
  appId: string;
  appPrivateKey: SecretView;
  alipayPublicKey: SecretView;
}

export interface MerchantSettingsView {
  wechat: WechatMerchantView;
  alipay: AlipayMerchantView;
  /** How secrets are kept on this machine; `warning` set when it is the local key file. */
  secretStore: { kind: 'os-keychain' | 'electron-safe-storage' | 'local-key-file'; label: string; warning: string | null };
}

export interface TestConnectionResult {
  ok: boolean;
  /** In Chinese: 连接正常 … or the reason it failed. */
  message: string;
}

export const paymentSettingsApi = {
  'merchant.settings': endpoint<MerchantSettingsView>()({
    input: z.object({}).strict(),
    role: 'owner',
    summary: '收款设置（微信支付、支付宝商户参数；密钥只显示是否已设置和指纹/末 4 位）',
  }),
  'merchant.saveWechat': endpoint<MerchantSettingsView>()({
    input: saveWechatMerchantInput,
    role: 'owner',
    summary: '保存微信支付商户设置（只改给出的字段；密钥加密保存；审计记下改了哪些字段，不记值）',
  }),
  'merchant.saveAlipay': endpoint<MerchantSettingsView>()({
    input: saveAlipayMerchantInput,
    role: 'owner',
    summary: '保存支付宝商户设置（只改给出的字段；密钥加密保存；审计记下改了哪些字段，不记值）',
  }),
  'merchant.testConnection': endpoint<TestConnectionResult>()({
    input: z.object({ provider: z.enum(['wechat', 'alipay'], { error: '请选择微信支付或支付宝' }) }).strict(),
    role: 'owner',
    summary: '测试连接：用已保存的设置发一笔签名查询（查一个不存在的单号，应答“不存在”即为正常）',
  }),
};
