// One tiny structured logger (JSON lines on stderr) so refusals and slow queries are visible.
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const min: Level = (process.env.TILL_LOG_LEVEL as Level) ?? 'info';

function write(level: Level, msg: string, data?: Record<string, unknown>): void {
  if (order[level] < order[min]) return;
  process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...data }) + '\n');
}

export const log = {
  debug: (m: string, d?: Record<string, unknown>) => write('debug', m, d),
  info: (m: string, d?: Record<string, unknown>) => write('info', m, d),
  warn: (m: string, d?: Record<string, unknown>) => write('warn', m, d),
  error: (m: string, d?: Record<string, unknown>) => write('error', m, d),
};
