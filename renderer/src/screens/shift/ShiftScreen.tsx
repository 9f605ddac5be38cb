// 交班 (F9): the cashier's own shift — live X report, cash in/out, count and close, hand-over — and,
// for a manager or the owner, 日结 (the Z report, closing the business day). What a role may do is
// checked on the main side; the tabs only leave out what a cashier cannot use.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_RANK } from '../../../../shared/api';
import { ManagerApproval } from '../../components/ManagerApproval';
import { TabBar } from '../../components/TabBar';
import { useSession } from '../../stores/session';
import { DayTab } from './DayTab';
import { ShiftTab } from './ShiftTab';
import '../settings/settings.css'; // the tabs, form rows and tables look as in 设置
import './shift.css';

type Tab = 'shift' | 'day';

export function ShiftScreen() {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.role ?? 'cashier');
  const manager = ROLE_RANK[role] >= ROLE_RANK.manager;
  const [tab, setTab] = useState<Tab>('shift');
  const tabs: Tab[] = manager ? ['shift', 'day'] : ['shift'];
  return (
    <section className="shift-screen" data-testid="screen-shift">
      <TabBar<Tab> tabs={tabs} current={tab} onSelect={setTab} label={(k) => t(k === 'shift' ? 'shiftScreen.tabShift' : 'shiftScreen.tabDay')} testIdPrefix="shift-tab-" />
      <div className="shift-body">{tab === 'day' && manager ? <DayTab /> : <ShiftTab />}</div>
      <ManagerApproval />
    </section>
  );
}
