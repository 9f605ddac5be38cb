// 远程收款海报: the poster of a shown payment QR (payments.poster, drawn on the main side by resvg with the
// shipped fonts), to copy into a group chat or send from the saved file. The file's path is shown.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosterView } from '../../../shared/api/poster';
import { call } from '../api/client';
import { Dialog } from '../components/Dialog';

export function PosterDialog({ attemptId, onClose }: { attemptId: string; onClose(): void }) {
  const { t } = useTranslation();
  const [poster, setPoster] = useState<PosterView | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    call('payments.poster', { id: attemptId }).then(setPoster, (e: Error) => setNote({ ok: false, text: e.message }));
  }, [attemptId]);

  async function copy() {
    if (!poster) return;
    try {
      const blob = await (await fetch(poster.dataUrl)).blob();
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
      setNote({ ok: true, text: t('payments.poster.copied') });
    } catch {
      setNote({ ok: false, text: t('payments.poster.copyFailed') });
    }
  }

  return (
    <Dialog title={t('payments.poster.title')} testId="poster-dialog" onClose={onClose} wide>
      <div className="poster-box">
        {poster ? <img className="poster-img" src={poster.dataUrl} alt={t('payments.poster.title')} data-testid="poster-img" /> : !note && <p>{t('app.loading')}</p>}
        <div className="poster-side">
          {poster && (
            <p className="settings-note" data-testid="poster-path">
              {t('payments.poster.saved', { path: poster.path })}
            </p>
          )}
          {note && (
            <p className={note.ok ? 'settings-ok' : 'settings-error'} data-testid="poster-note">
              {note.text}
            </p>
          )}
          <button type="button" className="btn primary" disabled={!poster} onClick={() => void copy()} data-testid="poster-copy">
            {t('payments.poster.copy')}
          </button>
          <button type="button" className="btn" onClick={onClose} data-testid="poster-close">
            {t('payments.poster.close')} <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </Dialog>
  );
}
