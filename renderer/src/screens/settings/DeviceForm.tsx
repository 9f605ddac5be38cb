// Add or edit one device. The form only collects fields; the main side validates the whole list
// (zod, Chinese messages) and the error is shown as it comes back.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEVICE_KINDS, PRINTER_ROLES, type DeviceConfig, type DeviceConfigInput, type DeviceKind, type PrinterRole, type SerialPortInfo } from '../../../../shared/api/devices';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { useDevices } from '../../stores/devices';

type PrinterType = 'network' | 'usb' | 'serial' | 'virtual';
const BAUDS = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
const PROTOCOLS: Partial<Record<DeviceKind, string[]>> = {
  customer_display: ['cd5220', 'price8'],
  scale: ['auto', 'text', 'toledo'],
};

interface Draft {
  kind: DeviceKind;
  name: string;
  enabled: boolean;
  printerType: PrinterType;
  host: string;
  port: string;
  path: string;
  baud: number;
  protocol: string;
  roles: string[];
  paper: 58 | 80;
  drawerPin: 2 | 5 | null;
  readerFilter: string;
}

function toDraft(c: DeviceConfig | null): Draft {
  const d: Draft = {
    kind: c?.kind ?? 'printer',
    name: c?.name ?? '',
    enabled: c?.enabled ?? true,
    printerType: 'network',
    host: '192.168.1.100',
    port: '9100',
    path: '',
    baud: 9600,
    protocol: '',
    roles: ['receipt'],
    paper: 80,
    drawerPin: 2,
    readerFilter: '',
  };
  if (!c) return d;
  if (c.kind === 'printer') {
    d.printerType = c.driver.type;
    if (c.driver.type === 'network') {
      d.host = c.driver.host;
      d.port = String(c.driver.port);
    }
    if (c.driver.type === 'usb' || c.driver.type === 'serial') d.path = c.driver.path;
    if (c.driver.type === 'serial') d.baud = c.driver.baud;
    d.roles = [...c.roles];
    d.paper = c.paper;
    d.drawerPin = c.drawerPin;
  } else if (c.kind === 'card_reader') {
    d.readerFilter = c.driver.readerFilter ?? '';
  } else {
    d.path = c.driver.path;
    d.baud = c.driver.baud;
    d.protocol = c.driver.protocol;
  }
  return d;
}

function toConfig(id: string, d: Draft): DeviceConfigInput {
  const common = { id, name: d.name.trim(), enabled: d.enabled };
  const serial = { type: 'serial' as const, path: d.path.trim(), baud: d.baud as (typeof BAUDS)[number] };
  switch (d.kind) {
    case 'printer': {
      const driver =
        d.printerType === 'network'
          ? { type: 'network' as const, host: d.host.trim(), port: Number(d.port) || 9100 }
          : d.printerType === 'usb'
            ? { type: 'usb' as const, path: d.path.trim() }
            : d.printerType === 'serial'
              ? serial
              : { type: 'virtual' as const };
      return { ...common, kind: 'printer', driver, roles: d.roles as PrinterRole[], paper: d.paper, drawerPin: d.drawerPin };
    }
    case 'drawer_box':
      return { ...common, kind: 'drawer_box', driver: { ...serial, protocol: 'trigger' } };
    case 'customer_display':
      return { ...common, kind: 'customer_display', driver: { ...serial, protocol: (d.protocol || 'cd5220') as 'cd5220' | 'price8' } };
    case 'scale':
      return { ...common, kind: 'scale', driver: { ...serial, protocol: (d.protocol || 'auto') as 'auto' | 'text' | 'toledo' } };
    case 'scanner':
      return { ...common, kind: 'scanner', driver: { ...serial, protocol: 'cr' } };
    case 'card_reader':
      return { ...common, kind: 'card_reader', driver: { type: 'pcsc', ...(d.readerFilter.trim() ? { readerFilter: d.readerFilter.trim() } : {}) } };
  }
}

function Choice<T extends string | number | null>({
  value,
  options,
  onChange,
  label,
  testId,
}: {
  value: T;
  options: { value: T; label: string }[];
  onChange(v: T): void;
  label: string;
  testId: string;
}) {
  return (
    <div className="st-row">
      <span className="st-label">{label}</span>
      <div className="st-seg" role="radiogroup" aria-label={label} data-testid={testId}>
        {options.map((o) => (
          <button
            key={String(o.value)}
            type="button"
            role="radio"
            aria-checked={value === o.value}
            className={`st-seg-btn ${value === o.value ? 'on' : ''}`}
            onClick={() => onChange(o.value)}
          >
            {o.label}
          </button>
        ))}
      </div>
    </div>
  );
}

export function DeviceForm({ initial, ports, onClose }: { initial: DeviceConfig | null; ports: SerialPortInfo[]; onClose(): void }) {
  const { t } = useTranslation();
  const setList = useDevices((s) => s.setList);
  const [d, setD] = useState<Draft>(() => toDraft(initial));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const serialKind = d.kind !== 'printer' && d.kind !== 'card_reader';
  const needsPath = serialKind || (d.kind === 'printer' && (d.printerType === 'usb' || d.printerType === 'serial'));
  const needsBaud = serialKind || (d.kind === 'printer' && d.printerType === 'serial');

  const save = async () => {
    setBusy(true);
    setError('');
    try {
      const id = initial?.id ?? `${d.kind.replace('_', '-')}-${Date.now().toString(36)}`;
      const name = d.name.trim() || t(`devices.kind.${d.kind}`);
      setList(await call('devices.save', { device: toConfig(id, { ...d, name }) }));
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={initial ? t('devices.editTitle') : t('devices.addTitle')}
      testId="device-form"
      onClose={onClose}
      wide
      footer={
        <div className="st-foot">
          <span className="settings-error" role="alert" data-testid="device-form-error">
            {error}
          </span>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn primary" onClick={() => void save()} disabled={busy} data-testid="device-form-save">
            {t('devices.save')}
          </button>
        </div>
      }
    >
      <div className="dev-form">
        {!initial && (
          <div className="st-row">
            <span className="st-label">{t('devices.field.kind')}</span>
            <div className="st-seg st-seg-wrap" data-testid="device-form-kind">
              {DEVICE_KINDS.map((k) => (
                <button
                  key={k}
                  type="button"
                  className={`st-seg-btn ${d.kind === k ? 'on' : ''}`}
                  aria-pressed={d.kind === k}
                  onClick={() => set({ kind: k, protocol: PROTOCOLS[k]?.[0] ?? '' })}
                >
                  {t(`devices.kind.${k}`)}
                </button>
              ))}
            </div>
          </div>
        )}
        <label className="st-row">
          <span className="st-label">{t('devices.field.name')}</span>
          <input className="st-input" value={d.name} maxLength={30} placeholder={t(`devices.kind.${d.kind}`)} onChange={(e) => set({ name: e.target.value })} data-testid="device-form-name" />
        </label>
        {d.kind === 'printer' && (
          <Choice
            label={t('devices.field.connection')}
            value={d.printerType}
            onChange={(v) => set({ printerType: v })}
            testId="device-form-connection"
            options={(['network', 'usb', 'serial', 'virtual'] as const).map((v) => ({ value: v, label: t(`devices.driver.${v}`) }))}
          />
        )}
        {d.kind === 'printer' && d.printerType === 'network' && (
          <div className="st-row">
            <span className="st-label">{t('devices.field.host')}</span>
            <input className="st-input" value={d.host} onChange={(e) => set({ host: e.target.value })} data-testid="device-form-host" />
            <span className="st-label small">{t('devices.field.port')}</span>
            <input className="st-input narrow" inputMode="numeric" value={d.port} onChange={(e) => set({ port: e.target.value.replace(/\D/g, '') })} data-testid="device-form-port" />
          </div>
        )}
        {needsPath && (
          <label className="st-row">
            <span className="st-label">{t('devices.field.path')}</span>
            <input
              className="st-input"
              value={d.path}
              list="device-port-list"
              placeholder={d.kind === 'printer' && d.printerType === 'usb' ? '/dev/usb/lp0' : 'COM3 / /dev/ttyUSB0'}
              onChange={(e) => set({ path: e.target.value })}
              data-testid="device-form-path"
            />
            <datalist id="device-port-list">
              {ports.map((p) => (
                <option key={p.path} value={p.path}>
                  {p.manufacturer ?? ''}
                </option>
              ))}
            </datalist>
          </label>
        )}
        {needsBaud && (
          <label className="st-row">
            <span className="st-label">{t('devices.field.baud')}</span>
            <select className="st-input narrow" value={d.baud} onChange={(e) => set({ baud: Number(e.target.value) })} data-testid="device-form-baud">
              {BAUDS.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </label>
        )}
        {PROTOCOLS[d.kind] && (
          <Choice
            label={t('devices.field.protocol')}
            value={d.protocol || PROTOCOLS[d.kind]![0]}
            onChange={(v) => set({ protocol: v })}
            testId="device-form-protocol"
            options={PROTOCOLS[d.kind]!.map((v) => ({ value: v, label: t(`devices.protocol.${v}`) }))}
          />
        )}
        {d.kind === 'printer' && (
          <>
            <div className="st-row">
              <span className="st-label">{t('devices.field.roles')}</span>
              <div className="st-seg" data-testid="device-form-roles">
                {PRINTER_ROLES.map((r) => (
                  <button
                    key={r}
                    type="button"
                    className={`st-seg-btn ${d.roles.includes(r) ? 'on' : ''}`}
                    aria-pressed={d.roles.includes(r)}
                    onClick={() => set({ roles: d.roles.includes(r) ? d.roles.filter((x) => x !== r) : [...d.roles, r] })}
                  >
                    {t(`devices.role.${r}`)}
                  </button>
                ))}
              </div>
            </div>
            <Choice
              label={t('devices.field.paper')}
              value={d.paper}
              onChange={(v) => set({ paper: v })}
              testId="device-form-paper"
              options={[
                { value: 58 as const, label: '58mm' },
                { value: 80 as const, label: '80mm' },
              ]}
            />
            <Choice
              label={t('devices.field.drawer')}
              value={d.drawerPin}
              onChange={(v) => set({ drawerPin: v })}
              testId="device-form-drawer"
              options={[
                { value: null, label: t('devices.noDrawer') },
                { value: 2 as const, label: t('devices.pin', { pin: 2 }) },
                { value: 5 as const, label: t('devices.pin', { pin: 5 }) },
              ]}
            />
          </>
        )}
        {d.kind === 'card_reader' && (
          <label className="st-row">
            <span className="st-label">{t('devices.field.readerFilter')}</span>
            <input className="st-input" value={d.readerFilter} placeholder="ACR122" onChange={(e) => set({ readerFilter: e.target.value })} />
          </label>
        )}
        <label className="st-row check">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="device-form-enabled" />
          <span>{t('devices.field.enabled')}</span>
        </label>
      </div>
    </Dialog>
  );
}
