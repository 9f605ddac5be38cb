// The scale as the checkout asks it: the current reading, and tare. The first configured scale.
import type { ScaleReading } from '../../shared/api/devices';
import { TillError } from '../../shared/errors';
import type { Fleet } from './fleet';

/** The scale's current reading, or null when no scale is configured (or it sent nothing yet). */
export function scaleReading(fleet: Fleet): ScaleReading | null {
  const w = fleet.scale()?.current();
  return w ? { grams: w.grams, stable: w.stable, tareGrams: w.tareGrams, net: w.net, overload: w.overload } : null;
}

/** Tares (or clears the tare of) the scale; refuses in Chinese when there is none or it is moving. */
export async function tareScale(fleet: Fleet, clear: boolean): Promise<ScaleReading | null> {
  const scale = fleet.scale();
  if (!scale) throw new TillError('NO_SCALE', '未配置电子秤');
  try {
    if (clear) await scale.clearTare();
    else await scale.tare();
  } catch (e) {
    throw new TillError('SCALE_REFUSED', e instanceof Error ? e.message : '电子秤去皮失败');
  }
  return scaleReading(fleet);
}
