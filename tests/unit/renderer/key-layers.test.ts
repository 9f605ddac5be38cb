// The app's key layers (renderer/src/keys/layers.ts): where a scan, Esc and the function keys go.
import { afterEach, describe, expect, it } from 'vitest';

// Loaded by path: the renderer's files belong to the web TS project, not this one.
const layersPath = '../../../renderer/src/keys/layers.ts';
type Layer = { onScan?(code: string): boolean | void; onEsc?(): void; onKey?(e: { key: string }): boolean | void; modal?: boolean };
const { pushLayer, routeScan, routeEsc, routeKey, LEVEL } = (await import(/* @vite-ignore */ layersPath)) as {
  pushLayer(layer: Layer, level?: number): () => void;
  routeScan(code: string): boolean;
  routeEsc(): boolean;
  routeKey(e: { key: string }): boolean;
  LEVEL: { fallback: number; screen: number; dialog: number; approval: number };
};

const pops: (() => void)[] = [];
const push = (layer: Layer, level?: number) => pops.push(pushLayer(layer, level));
afterEach(() => pops.splice(0).forEach((p) => p()));

describe('key layers', () => {
  it('a dialog stays on top of its screen whatever order they mounted in (a screen coming back with its dialog open)', () => {
    const got: string[] = [];
    push({ onScan: () => void got.push('dialog'), onEsc: () => got.push('esc dialog'), modal: true }, LEVEL.dialog); // the child mounts first
    push({ onScan: () => void got.push('cart'), onEsc: () => got.push('esc cart') }, LEVEL.screen);
    routeScan('6901234567892');
    routeEsc();
    expect(got).toEqual(['dialog', 'esc dialog']);
  });

  it('a scan goes down to the first layer that takes it; the fallback under every screen gets what none took', () => {
    const got: string[] = [];
    push({ onScan: (c) => void got.push(`elsewhere ${c}`) }, LEVEL.fallback);
    push({ onEsc: () => undefined, modal: true }, LEVEL.dialog); // 添加设备: takes no scan
    expect(routeScan('６９０１２３４５６７８９２')).toBe(true); // full-width, read as ASCII
    expect(got).toEqual(['elsewhere 6901234567892']);
  });

  it('Esc closes only the top layer that closes', () => {
    const closed: string[] = [];
    push({ onEsc: () => closed.push('payment') }, LEVEL.dialog);
    push({ onEsc: () => closed.push('cash check') }, LEVEL.dialog);
    push({ onScan: () => true }, LEVEL.screen);
    expect(routeEsc()).toBe(true);
    expect(closed).toEqual(['cash check']);
  });

  it('keys stop at a modal layer: F-keys of the screen do nothing while a dialog is open', () => {
    const acted: string[] = [];
    push({ onKey: (e) => (acted.push(`screen ${e.key}`), true) }, LEVEL.screen);
    expect(routeKey({ key: 'F2' })).toBe(true);
    const pop = pushLayer({ onEsc: () => undefined, modal: true }, LEVEL.dialog);
    expect(routeKey({ key: 'F2' })).toBe(false);
    pop();
    expect(routeKey({ key: 'F3' })).toBe(true);
    expect(acted).toEqual(['screen F2', 'screen F3']);
  });

  it('with no layer, nothing is routed', () => {
    expect(routeScan('6901234567892')).toBe(false);
    expect(routeEsc()).toBe(false);
    expect(routeKey({ key: 'F1' })).toBe(false);
  });
});
