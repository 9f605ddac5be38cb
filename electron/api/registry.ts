// The handler map: implementations of the endpoints declared in shared/api, one registry for both
// transports. Input is validated and the role checked here, in the main process, never in the UI.
import { z } from 'zod';
import { api, ROLE_RANK, type ApiName, type ApiOutput, type ApiParsed } from '../../shared/api';
import type { Endpoint } from '../../shared/api/endpoint';
import { TillError, type ApiError } from '../../shared/errors';
import { badInput } from './bad-input';
import { log } from './log';
import type { Services } from './services';

z.config(z.locales.zhCN()); // zod's own messages in Chinese, for the log and details (bad-input.ts words the refusal)

export type Impl<N extends ApiName> = (input: ApiParsed<N>, services: Services) => ApiOutput<N> | Promise<ApiOutput<N>>;
/** A domain's handlers, typed from its shared/api map: every endpoint it declares, none other. */
export type Handlers<D> = { [N in keyof D & ApiName]: Impl<N> };
/** Every endpoint's handler: a missing one does not compile. */
export type AllHandlers = { [N in ApiName]: Impl<N> };

export type CallResult = { ok: true; result: unknown } | { ok: false; error: ApiError };

export class Registry {
  private readonly impls = new Map<string, Impl<ApiName>>();

  constructor(
    private readonly services: Services,
    handlers: AllHandlers,
  ) {
    for (const [name, fn] of Object.entries(handlers)) {
      // Only reachable through a cast: the type admits declared names only.
      if (!(name in api)) throw new Error(`handler for an undeclared endpoint: ${name}`);
      this.impls.set(name, fn as Impl<ApiName>);
    }
  }

  names(): string[] {
    return [...this.impls.keys()].sort();
  }

  /** Declared endpoints that nothing implements (AllHandlers makes this empty at compile time). */
  missing(): string[] {
    return Object.keys(api).filter((n) => !this.impls.has(n));
  }

  /** Every endpoint with its input JSON schema, for GET /api. */
  describe(): { name: string; role: string; summary: string; input: unknown }[] {
    return this.names().map((name) => {
      const def = (api as Record<string, Endpoint>)[name];
      return { name, role: def.role, summary: def.summary, input: z.toJSONSchema(def.input, { io: 'input' }) };
    });
  }

  async call(name: string, rawInput: unknown): Promise<CallResult> {
    const started = performance.now();
    try {
      const def = (api as Record<string, Endpoint>)[name];
      const impl = this.impls.get(name);
      if (!def || !impl) throw new TillError('UNKNOWN_HANDLER', `没有这个接口：${String(name).slice(0, 60)}`);
      this.checkRole(def);
      const parsed = def.input.safeParse(rawInput ?? {});
      if (!parsed.success) throw badInput(def.input, rawInput ?? {}, parsed.error);
      const result = await impl(parsed.data as never, this.services);
      const ms = performance.now() - started;
      if (ms > 40) log.warn('slow handler', { name, ms: Math.round(ms) });
      return { ok: true, result: result ?? null };
    } catch (e) {
      if (e instanceof TillError) {
        // A malformed input's field paths and zod's words are for the log, not the cashier's screen.
        log.info('refused', { name, code: e.code, message: e.message, ...(e.code === 'BAD_INPUT' && e.details ? { details: e.details } : {}) });
        return { ok: false, error: e.toJSON() };
      }
      log.error('handler failed', { name, error: e instanceof Error ? e.stack : String(e) });
      return { ok: false, error: { code: 'INTERNAL', message: '系统错误，操作未完成，请重试或联系管理员' } };
    }
  }

  private checkRole(def: Endpoint): void {
    if (def.role === 'public') return;
    const session = this.services.till.auth.session;
    if (!session) throw new TillError('NOT_LOGGED_IN', '请先登录');
    if (ROLE_RANK[session.role] < ROLE_RANK[def.role]) {
      const need = { owner: '需要店主权限', manager: '需要店长权限', cashier: '需要收银员权限：店员只能做自提与团购券核销', staff: '需要登录' }[def.role];
      throw new TillError('FORBIDDEN', need);
    }
  }
}
