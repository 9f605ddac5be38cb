// The key layers of the whole app, top one first: the fallback under every screen (a scan outside 收银),
// the screen (the cart of 收银), dialogs over it (payment, returns, 添加设备 …) and the manager PIN pad
// on top. The app's one key handler (./app-keys) gives a scan, Esc and the function keys to the top
// layer that takes them, so a scan never lands in the wrong place, Esc backs out of one thing at a
// time on every screen, and F-keys only act where they mean something.
import { useEffect, useRef } from 'react';
import { normalizeCode } from '../../../shared/barcode';
import { beepOk } from '../feedback';

/**
 * Where a layer sits, whatever order the components mounted in (a dialog that was open when its
 * screen came back mounts before the screen): higher is on top, same level by order of arrival.
 */
export const LEVEL = { fallback: -1, screen: 0, dialog: 1, approval: 2 } as const;
export type Level = (typeof LEVEL)[keyof typeof LEVEL];

export interface Layer {
  /** A scanned code; return false to pass it to the layer below. */
  onScan?(code: string): boolean | void;
  /** Esc: the top layer that has it backs out (closes), and no other. */
  onEsc?(): void;
  /** Any other key (F-keys, arrows, + / - …) while this layer is on top; return true when it acted. */
  onKey?(e: KeyboardEvent): boolean | void;
  /** A modal layer (a dialog) keeps keys from the layers below it; scans still pass through. */
  modal?: boolean;
}

interface Entry {
  layer: Layer;
  level: number;
  seq: number;
}
const stack: Entry[] = [];
let seq = 0;

export function pushLayer(layer: Layer, level: number = LEVEL.screen): () => void {
  const entry = { layer, level, seq: seq++ };
  stack.push(entry);
  stack.sort((a, b) => a.level - b.level || a.seq - b.seq);
  return () => {
    const i = stack.indexOf(entry);
    if (i >= 0) stack.splice(i, 1);
  };
}

/** Routes a scanned or typed code, full-width characters read as ASCII (normalizeCode). */
export function routeScan(raw: string): boolean {
  const code = normalizeCode(raw);
  if (!code) return false;
  for (let i = stack.length - 1; i >= 0; i--) {
    const h = stack[i].layer.onScan;
    if (h && h(code) !== false) return true;
  }
  return false;
}

export function routeEsc(): boolean {
  for (let i = stack.length - 1; i >= 0; i--) {
    const h = stack[i].layer.onEsc;
    if (h) {
      h();
      return true;
    }
  }
  return false;
}

/** A key for the layers from the top down to the first modal one; true when one acted on it. */
export function routeKey(e: KeyboardEvent): boolean {
  for (let i = stack.length - 1; i >= 0; i--) {
    const { layer } = stack[i];
    if (layer.onKey?.(e)) return true;
    if (layer.modal) return false;
  }
  return false;
}

/** Registers a layer for the component's lifetime; the handlers may change between renders. */
export function useLayer(layer: Layer, level: number = LEVEL.screen): void {
  const ref = useRef(layer);
  ref.current = layer;
  useEffect(
    () =>
      pushLayer(
        {
          onScan: (c) => (ref.current.onScan ? ref.current.onScan(c) : false),
          onEsc: layer.onEsc ? () => ref.current.onEsc?.() : undefined,
          onKey: (e) => ref.current.onKey?.(e),
          modal: layer.modal,
        },
        level,
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
}

/** A screen whose search takes a scan: the scanned code becomes the search, with the scan's beep. */
export function useScanAsSearch(search: (code: string) => void): void {
  useLayer(
    {
      onScan: (code) => {
        beepOk();
        search(code);
        return true;
      },
    },
    LEVEL.screen,
  );
}

type TextField = HTMLInputElement | HTMLTextAreaElement;
const isTextField = (el: unknown): el is TextField =>
  typeof HTMLInputElement !== 'undefined' && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement);

/** Sets a field's text the way typing would, so React's onChange sees it. */
function setFieldText(el: TextField, text: string): void {
  const proto = el instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, text);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/** What a field held before a fast run of keys began typing into it. */
export interface FieldBefore {
  el: TextField;
  text: string;
}

export function noteField(el: Element | null): FieldBefore | null {
  return isTextField(el) ? { el, text: el.value } : null;
}

/**
 * Takes a scanned code back out of the field it was typed into (scanners type into whatever has
 * focus). With a note of the field from before the scan began, the field gets exactly its old text
 * back, even when it kept only part of the code (an amount field cut at 10 characters, a PIN pad at 8,
 * a filter that drops letters). Without one, the code is cut from the end of the field, also when an
 * input method in full-width mode typed it (each full-width character is one ASCII one).
 */
export function stripFromField(el: Element | null, code: string, before?: FieldBefore | null): void {
  if (!isTextField(el)) return;
  if (before && before.el === el) {
    if (el.value !== before.text) setFieldText(el, before.text);
    return;
  }
  const v = el.value;
  if (!v.slice(-code.length).normalize('NFKC').endsWith(code)) return;
  setFieldText(el, v.slice(0, -code.length));
}

/**
 * Whether a field received every key of a scan: its text ends with the whole code. A scan that began
 * while nothing had focus (a dialog closing, focus not yet back in the scan field) leaves only its
 * tail there, e.g. 920000010073 for 6920000010073.
 */
export function fieldHoldsCode(el: Element | null, code: string): boolean {
  return isTextField(el) && el.value.normalize('NFKC').endsWith(code);
}

/** Takes out of a field the tail of a scan that landed there: the longest end of the code it ends with. */
export function stripScanTail(el: Element | null, code: string): void {
  if (!isTextField(el)) return;
  const v = el.value.normalize('NFKC');
  for (let n = Math.min(code.length, v.length); n > 0; n--) {
    if (v.endsWith(code.slice(-n))) return setFieldText(el, el.value.slice(0, el.value.length - n));
  }
}
