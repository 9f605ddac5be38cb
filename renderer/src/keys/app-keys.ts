// The app's one key handler, installed once by App for every screen: tells a keyboard-wedge scan from
// typing (shared/wedge), takes a scan's characters back out of whatever field they landed in and
// routes the code through the layers (./layers), routes a serial scanner's codes the same way, and
// gives Esc and the function keys to the top layer. Screens and dialogs never listen for these keys
// themselves; they register a layer.
import { useEffect } from 'react';
import { createWedgeDetector } from '../../../shared/wedge';
import { on } from '../api/client';
import { fieldHoldsCode, noteField, routeEsc, routeKey, routeScan, stripFromField, stripScanTail, type FieldBefore } from './layers';

/** Function keys the app owns: never the browser's help, search, reload or caret browsing. */
const FKEY = /^F([1-9]|10)$/;

/**
 * A field marked `data-scan-field` takes a scan as typed text and submits it on Enter itself (the
 * checkout's scan field, the scale-label tester in 收银设置): what the cashier sees there is what is
 * looked up, however the keys were timed. Not while a dialog covers it.
 */
function fieldTakesScan(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement) || !target.hasAttribute('data-scan-field')) return false;
  const modals = document.querySelectorAll('[aria-modal="true"]');
  const top = modals[modals.length - 1];
  return !top || top.contains(target);
}

export function useAppKeys(): void {
  useEffect(() => {
    const wedge = createWedgeDetector();
    /** The focused field as it was before the current fast run of keys began typing into it. */
    let before: FieldBefore | null = null;
    const onKey = (e: KeyboardEvent) => {
      const verdict = wedge.feed(e.key, e.timeStamp);
      // keydown comes before the character lands: the field still holds what it held before the run.
      if (!verdict && wedge.runLength() === 1) before = noteField(document.activeElement);
      if (verdict?.type === 'scan' && !fieldTakesScan(e.target)) {
        // A scanner typed into whatever had focus: put that field back as it was and route the code.
        e.preventDefault();
        e.stopPropagation();
        stripFromField(document.activeElement, verdict.code, before);
        before = null;
        routeScan(verdict.code);
        return;
      }
      if (verdict?.type === 'scan' && !fieldHoldsCode(e.target as Element, verdict.code)) {
        // The scan field got only the scan's tail (its first keys came before focus did): the
        // detector has the whole code. Take the tail out, keep any typed prefix (6*), route the code.
        e.preventDefault();
        e.stopPropagation();
        stripScanTail(e.target as Element, verdict.code);
        before = null;
        routeScan(verdict.code);
        return;
      }
      if (verdict) before = null;
      if (e.isComposing) return; // an input method is at work: its keys are its own
      if (e.key === 'Escape') {
        if (routeEsc()) e.preventDefault();
        return;
      }
      if (FKEY.test(e.key)) e.preventDefault();
      if (routeKey(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    // A serial scanner's codes arrive as events from the main side and go the same way as a wedge scan.
    const off = on('scan', ({ code }) => void routeScan(code));
    return () => {
      window.removeEventListener('keydown', onKey, true);
      off();
    };
  }, []);
}
