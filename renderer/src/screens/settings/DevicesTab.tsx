// 设备: every configured device with its live status light and word, its tests, and add / edit /
// remove. The status comes from the main side (DLE EOT for printers, port state for serial devices)
// and is pushed as 'device' events, so it changes on screen when the printer runs out of paper.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceConfig, DeviceView, SerialPortInfo } from '../../../../shared/api';
import { ROLE_RANK } from '../../../../shared/api/endpoint';
import { call } from '../../api/client';
import { deviceTestEn } from '../../i18n/device-test';
import { useDevices } from '../../stores/devices';
import { useSession } from '../../stores/session';
import { CustomerDisplayLink } from './CustomerDisplayLink';
import { DeviceForm } from './DeviceForm';

export function statusWord(t: (k: string, o?: Record<string, unknown>) => string, code: string): string {
  return t(`devices.state.${code}`, { defaultValue: code });
}

function driverText(t: (k: string, o?: Record<string, unknown>) => string, c: DeviceConfig): string {
  const d = c.driver;
  switch (d.type) {
    case 'network':
      return `${t('devices.driver.network')} ${d.host}:${d.port}`;
    case 'usb':
      return `${t('devices.driver.usb')} ${d.path}`;
    case 'serial':
      return `${t('devices.driver.serial')} ${d.path} · ${d.baud}`;
    case 'virtual':
      return t('devices.driver.virtual');
    case 'pcsc':
      return `PC/SC${d.readerFilter ? ` · ${d.readerFilter}` : ''}`;
  }
}

type Result = { ok: boolean; text: string };

function DeviceRow({ d, canManage, onEdit }: { d: DeviceView; canManage: boolean; onEdit(): void }) {
  const { t, i18n } = useTranslation();
  const setList = useDevices((s) => s.setList);
  const [busy, setBusy] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const c = d.config;
  const s = d.status;
  const word = statusWord(t, s.code);
  // The main side's words are Chinese (正常 / 离线（打印机无应答）…): shown as the detail in Chinese only.
  const detail = i18n.language.startsWith('zh') && s.message !== word ? s.message : '';

  const run = async (key: string, fn: () => Promise<string>) => {
    setBusy(key);
    setResult(null);
    try {
      setResult({ ok: true, text: await fn() });
    } catch (e) {
      setResult({ ok: false, text: (e as Error).message });
    } finally {
      setBusy('');
    }
  };
  const test = (action?: 'print' | 'drawer' | 'display' | 'scale') =>
    run(action ?? 'test', async () => {
      const { message } = await call('devices.test', { id: c.id, action });
      return i18n.language.startsWith('zh') ? message : deviceTestEn(c, action, message, word);
    });

  const tests: { key: string; label: string; action?: 'print' | 'drawer' | 'display' | 'scale' }[] = [];
  if (c.kind === 'printer') {
    tests.push({ key: 'print', label: t('devices.testPrint'), action: 'print' });
    if (c.drawerPin) tests.push({ key: 'drawer', label: t('devices.openDrawer'), action: 'drawer' });
  } else if (c.kind === 'drawer_box') tests.push({ key: 'drawer', label: t('devices.openDrawer'), action: 'drawer' });
  else if (c.kind === 'customer_display') tests.push({ key: 'display', label: t('devices.testDisplay'), action: 'display' });
  else if (c.kind === 'scale') tests.push({ key: 'scale', label: t('devices.readScale'), action: 'scale' });
  else tests.push({ key: 'test', label: t('devices.check') });

  return (
    <li className={`dev-row light-${s.light}`} data-testid={`device-${c.id}`}>
      <div className="dev-state" data-testid={`device-status-${c.id}`} title={s.message}>
        <i className={`dev-dot ${s.light}`} aria-hidden />
        <span className="dev-word">{word}</span>
      </div>
      <div className="dev-main">
        <div className="dev-title">
          <strong>{c.name}</strong>
          <span className="dev-kind">{t(`devices.kind.${c.kind}`)}</span>
          {!c.enabled && <span className="dev-tag">{t('devices.disabled')}</span>}
        </div>
        <div className="dev-meta">
          {driverText(t, c)}
          {c.kind === 'printer' && (
            <>
              {' · '}
              {c.roles.map((r) => t(`devices.role.${r}`)).join('/')}
              {' · '}
              {c.paper}mm
              {c.drawerPin ? ` · ${t('devices.drawerOnPin', { pin: c.drawerPin })}` : ''}
            </>
          )}
          {c.kind !== 'printer' && 'protocol' in c.driver ? ` · ${t(`devices.protocol.${c.driver.protocol}`)}` : ''}
        </div>
        {(detail || s.waitingJobs || s.drawerOpen !== undefined) && (
          <div className="dev-detail">
            {detail && <span>{detail}</span>}
            {!!s.waitingJobs && <span className="dev-waiting">{t('devices.waiting', { count: s.waitingJobs })}</span>}
            {s.drawerOpen !== undefined && (
              <span>{s.drawerOpen ? t('devices.drawerIsOpen') : t('devices.drawerIsClosed')}</span>
            )}
          </div>
        )}
        {result && (
          <div className={`dev-result ${result.ok ? 'ok' : 'error'}`} role="status" data-testid={`device-result-${c.id}`}>
            {result.text}
          </div>
        )}
      </div>
      <div className="dev-actions">
        {tests.map((x) => (
          <button
            key={x.key}
            type="button"
            className="btn"
            disabled={!!busy || !canManage || !c.enabled}
            onClick={() => void test(x.action)}
            data-testid={`device-${x.key}-${c.id}`}
          >
            {busy === x.key ? t('devices.working') : x.label}
          </button>
        ))}
        <button type="button" className="btn" disabled={!canManage} onClick={onEdit} data-testid={`device-edit-${c.id}`}>
          {t('devices.edit')}
        </button>
        {confirmRemove ? (
          <button
            type="button"
            className="btn st-danger"
            disabled={!!busy}
            onClick={() =>
              void run('remove', async () => {
                setList(await call('devices.remove', { id: c.id }));
                return t('devices.removed');
              })
            }
            data-testid={`device-remove-confirm-${c.id}`}
          >
            {t('devices.confirmRemove')}
          </button>
        ) : (
          <button type="button" className="btn" disabled={!canManage} onClick={() => setConfirmRemove(true)} data-testid={`device-remove-${c.id}`}>
            {t('devices.remove')}
          </button>
        )}
      </div>
    </li>
  );
}

export function DevicesTab() {
  const { t, i18n } = useTranslation();
  const { list, error, load } = useDevices();
  const session = useSession((s) => s.session);
  const canManage = !!session && ROLE_RANK[session.role] >= ROLE_RANK.manager;
  const [editing, setEditing] = useState<DeviceConfig | 'new' | null>(null);
  const [ports, setPorts] = useState<{ ports: SerialPortInfo[]; note: string | null } | null>(null);
  const [portsBusy, setPortsBusy] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  const findPorts = async () => {
    setPortsBusy(true);
    try {
      setPorts(await call('devices.serialPorts', {}));
    } catch (e) {
      setPorts({ ports: [], note: (e as Error).message });
    } finally {
      setPortsBusy(false);
    }
  };

  return (
    <div className="dev-tab">
      <header className="settings-head">
        <h2>{t('settings.tabs.devices')}</h2>
        <div className="settings-head-actions">
          <button type="button" className="btn" onClick={() => void findPorts()} disabled={!canManage || portsBusy} data-testid="find-ports">
            {portsBusy ? t('devices.working') : t('devices.findPorts')}
          </button>
          <button type="button" className="btn primary" onClick={() => setEditing('new')} disabled={!canManage} data-testid="device-add">
            + {t('devices.add')}
          </button>
        </div>
      </header>
      {!canManage && <p className="settings-note">{t('settings.managerOnly')}</p>}
      {error && <p className="settings-error">{error}</p>}
      {ports && (
        <div className="ports" data-testid="serial-ports">
          {ports.ports.length ? (
            <ul>
              {ports.ports.map((p) => (
                <li key={p.path}>
                  <code>{p.path}</code> {[p.manufacturer, p.vendorId && `${p.vendorId}:${p.productId}`].filter(Boolean).join(' · ')}
                </li>
              ))}
            </ul>
          ) : null}
          {ports.note && <p className="settings-note">{ports.note}</p>}
        </div>
      )}
      {list && !list.drivers.cardReader.installed ? (
        // The main side's words carry the exact fix (commands to run), so they are shown as they are.
        <p className="settings-error" data-testid="driver-missing-card-reader" title={list.drivers.cardReader.message}>
          {i18n.language.startsWith('zh') ? list.drivers.cardReader.message : t('devices.driverMissing.cardReader')}
        </p>
      ) : null}
      {list?.unroutedRoles.length ? (
        <p className="settings-error">{t('devices.unrouted', { roles: list.unroutedRoles.map((r) => t(`devices.role.${r}`, { defaultValue: r })).join('、') })}</p>
      ) : null}
      <ul className="dev-list">
        {list?.devices.map((d) => <DeviceRow key={d.config.id} d={d} canManage={canManage} onEdit={() => setEditing(d.config)} />)}
      </ul>
      {list && !list.devices.length && <p className="settings-note">{t('devices.none')}</p>}
      <CustomerDisplayLink />
      {editing && (
        <DeviceForm
          initial={editing === 'new' ? null : editing}
          ports={ports?.ports ?? []}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
