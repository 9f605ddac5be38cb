// 设置 → 支付 → 收款语音播报: on/off, volume, 试听 (says "微信收款 12.30 元" as a payment would) and 保存.
// Everyone may listen; saving is a manager's (checked on the main side, audited there).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_RANK } from '../../../shared/api/endpoint';
import type { VoiceSettings as VoiceSettingsValue } from '../../../shared/api/settings';
import { call } from '../api/client';
import { useSession } from '../stores/session';
import { say, setVoiceSettings, type VoiceVia } from './voice';
import { clipSequence, paymentSentence } from './voice-text';

const SAMPLE_FEN = 1230;

export function VoiceSettings() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const canManage = !!session && ROLE_RANK[session.role] >= ROLE_RANK.manager;
  const [saved, setSaved] = useState<VoiceSettingsValue | null>(null);
  const [draft, setDraft] = useState<VoiceSettingsValue>({ enabled: true, volume: 80 });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [heard, setHeard] = useState<{ via: VoiceVia; text: string } | null>(null);

  useEffect(() => {
    call('settings.voice', {}).then(
      (s) => {
        setSaved(s);
        setDraft(s);
      },
      (e: Error) => setMessage({ ok: false, text: e.message }),
    );
  }, []);

  const dirty = !!saved && (saved.enabled !== draft.enabled || saved.volume !== draft.volume);

  async function save() {
    setMessage(null);
    try {
      const s = await call('settings.saveVoice', draft);
      setSaved(s);
      setDraft(s);
      setVoiceSettings(s);
      setMessage({ ok: true, text: t('payments.voice.saved') });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  }

  async function tryIt() {
    const text = paymentSentence('wechat', SAMPLE_FEN);
    const via = draft.enabled ? await say(text, draft.volume, clipSequence('wechat', SAMPLE_FEN)) : 'off';
    setHeard({ via, text });
  }

  return (
    <section className="pay-section" data-testid="voice-settings" data-loaded={saved ? 'yes' : 'no'}>
      <h3>{t('payments.voice.title')}</h3>
      <p className="settings-note">{t('payments.voice.hint')}</p>
      {!canManage && (
        <p className="settings-note pay-readonly" data-testid="voice-readonly">
          {t('payments.voice.readOnly')}
        </p>
      )}
      <label className="st-row check">
        <input
          type="checkbox"
          checked={draft.enabled}
          disabled={!canManage}
          onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })}
          data-testid="voice-enabled"
        />
        {t('payments.voice.enabled')}
      </label>
      <div className="st-row">
        <span className="st-label">{t('payments.voice.volume')}</span>
        <input
          type="range"
          className="pay-range"
          min={0}
          max={100}
          step={5}
          value={draft.volume}
          disabled={!canManage || !draft.enabled}
          onChange={(e) => setDraft({ ...draft, volume: Number(e.target.value) })}
          data-testid="voice-volume"
          aria-label={t('payments.voice.volume')}
        />
        <span className="pay-volume" data-testid="voice-volume-value">
          {draft.volume}%
        </span>
      </div>
      <div className="st-foot">
        {heard && (
          <span className="settings-note" data-testid="voice-heard" data-via={heard.via}>
            {heard.via === 'speech'
              ? t('payments.voice.viaSpeech', { text: heard.text })
              : heard.via === 'clips'
                ? t('payments.voice.viaClips', { text: heard.text })
                : heard.via === 'tone'
                ? t('payments.voice.viaTone', { text: heard.text })
                : t('payments.voice.viaOff')}
          </span>
        )}
        {message && (
          <span className={message.ok ? 'settings-ok' : 'settings-error'} data-testid="voice-message" role={message.ok ? undefined : 'alert'}>
            {message.text}
          </span>
        )}
        <button type="button" className="btn" onClick={() => void tryIt()} data-testid="voice-test">
          {t('payments.voice.test')}
        </button>
        {canManage && (
          <button type="button" className="btn primary" disabled={!dirty} onClick={() => void save()} data-testid="voice-save">
            {t('payments.voice.save')}
          </button>
        )}
      </div>
    </section>
  );
}
