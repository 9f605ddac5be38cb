// Layers of the checkout, top one first: the cart at the bottom, then dialogs, the payment and
// return screens and the manager PIN dialog. A keyboard-wedge scan and Esc go to the top layer that
// takes them, so a scan never lands in the wrong place and Esc backs out of one thing at a time.
import { useEffect, useRef } from 'react';
import { normalizeCode } from '../../shared/barcode';

export interface Layer {
  /** A scanned code; return false to pass it to the layer below. */
  onScan?(code: string): boolean | void;
  onEsc?(): void;
}
const stack: Layer[] = [];

export function pushLayer(layer: Layer): () => void {
  stack.push(layer);
  return () => {
    const i = stack.lastIndexOf(layer);
    if (i >= 0) stack.splice(i, 1);
  };
}

/** Routes a scanned or typed code, full-width characters read as ASCII (normalizeCode). */
export function routeScan(raw: string): boolean {
  const code = normalizeCode(raw);
  if (!code) return false;
  for (let i = stack.length - 1; i >= 0; i--) {
    const h = stack[i].onScan;
    if (h && h(code) !== false) return true;
  }
  return false;
}

export function routeEsc(): boolean {
  for (let i = stack.length - 1; i >= 0; i--) {
    const h = stack[i].onEsc;
    if (h) {
      h();
      return true;
    }
  }
  return false;
}

/** Registers a layer for the component's lifetime; the handlers may change between renders. */
export function useLayer(layer: Layer): void {
  const ref = useRef(layer);
  ref.current = layer;
  useEffect(
    () =>
      pushLayer({
        onScan: (c) => (ref.current.onScan ? ref.current.onScan(c) : false),
        onEsc: layer.onEsc ? () => ref.current.onEsc?.() : undefined,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
}

/**
 * Removes a scanned code that already landed in a text field (scanners type into whatever has focus),
 * also when an input method in full-width mode typed it (each full-width character is one ASCII one).
 */
export function stripFromField(el: Element | null, code: string): void {
  if (!(el instanceof HTMLInputElement) && !(el instanceof HTMLTextAreaElement)) return;
  const v = el.value;
  if (!v.slice(-code.length).normalize('NFKC').endsWith(code)) return;
  const proto = el instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, v.slice(0, -code.length));
  el.dispatchEvent(new Event('input', { bubbles: true }));
}
