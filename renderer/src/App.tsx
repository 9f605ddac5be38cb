import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { StatusBar } from './components/StatusBar';
import { useAppKeys } from './keys/app-keys';
import { usePaymentVoice } from './payments/usePaymentVoice';
import { ScanElsewhere } from './keys/ScanElsewhere';
import { Checkout } from './screens/checkout/Checkout';
import { isCustomerDisplayRoute } from './screens/customer-display-route';
import { Login } from './screens/Login';
import { Placeholder } from './screens/Placeholder';
import { screensFor, useNav } from './stores/nav';
import { useSession } from './stores/session';

// The customer display page (/customer-display, a second window) has no shell and no login. Fixed
// for the page's lifetime, so the early return below never changes the order of hooks.
const CUSTOMER_DISPLAY = isCustomerDisplayRoute();
// Loaded on first use, so the checkout starts without their code (and the zod / QR libraries).
const CustomerDisplay = lazy(() => import('./screens/CustomerDisplay').then((m) => ({ default: m.CustomerDisplay })));
const Settings = lazy(() => import('./screens/Settings').then((m) => ({ default: m.Settings })));
const ShiftScreen = lazy(() => import('./screens/shift/ShiftScreen').then((m) => ({ default: m.ShiftScreen })));
const StaleShiftPrompt = lazy(() => import('./screens/shift/StaleShiftPrompt').then((m) => ({ default: m.StaleShiftPrompt })));
const Reports = lazy(() => import('./screens/reports/Reports').then((m) => ({ default: m.Reports })));
const Journal = lazy(() => import('./screens/journal/Journal').then((m) => ({ default: m.Journal })));
const Dashboard = lazy(() => import('./screens/dashboard/Dashboard').then((m) => ({ default: m.Dashboard }))); // with ECharts
const Reconcile = lazy(() => import('./payments/Reconcile').then((m) => ({ default: m.Reconcile })));
const OrderInbox = lazy(() => import('./screens/orders/OrderInbox').then((m) => ({ default: m.OrderInbox })));
const SyncScreen = lazy(() => import('./screens/sync/SyncScreen').then((m) => ({ default: m.SyncScreen })));
const MembersScreen = lazy(() => import('./screens/members/MembersScreen').then((m) => ({ default: m.MembersScreen })));
const PickupScreen = lazy(() => import('./screens/pickup/PickupScreen').then((m) => ({ default: m.PickupScreen })));

export function App() {
  if (CUSTOMER_DISPLAY) {
    return (
      <Suspense fallback={null}>
        <CustomerDisplay />
      </Suspense>
    );
  }
  const { t } = useTranslation();
  const { loaded, session, load } = useSession();
  const { screen, go } = useNav();
  useAppKeys(); // one key layer for every screen and dialog (scans, Esc, F-keys)
  usePaymentVoice(!!session); // 语音播报: "微信收款 12.30 元" on every completed electronic payment
  useEffect(() => {
    void load();
  }, [load]);
  // A screen the new user's role does not have (the last user's reports) gives way to their first one (checkout; staff: pickup).
  const role = session?.role;
  useEffect(() => {
    if (role && !screensFor(role).includes(screen)) go(screensFor(role)[0]);
  }, [role, screen, go]);

  if (!loaded) return <div className="boot">{t('app.loading')}</div>;
  if (!session) return <Login />;
  return (
    <div className="shell" data-ready="till">
      <StatusBar />
      <ScanElsewhere />
      <nav className="nav">
        {screensFor(session.role).map((s) => (
          <button
            key={s}
            type="button"
            className={`nav-item ${s === screen ? 'active' : ''}`}
            onClick={() => go(s)}
            data-testid={`nav-${s}`}
          >
            {t(`nav.${s}`)}
          </button>
        ))}
      </nav>
      <Suspense fallback={null}>
        <StaleShiftPrompt />
      </Suspense>
      <main className="content">{screen === 'checkout' ? <Checkout /> : screen === 'settings' ? (
          <Suspense fallback={<div className="boot">{t('app.loading')}</div>}>
            <Settings />
          </Suspense>
        ) : screen === 'shift' ? (
          <Suspense fallback={<div className="boot">{t('app.loading')}</div>}>
            <ShiftScreen />
          </Suspense>
        ) : screen === 'reports' || screen === 'journal' || screen === 'dashboard' ? (
          <Suspense fallback={<div className="boot">{t('app.loading')}</div>}>
            {screen === 'reports' ? <Reports /> : screen === 'journal' ? <Journal /> : <Dashboard />}
          </Suspense>
        ) : screen === 'orders' || screen === 'sync' ? (
          <Suspense fallback={<div className="boot">{t('app.loading')}</div>}>
            {screen === 'orders' ? <OrderInbox /> : <SyncScreen />}
          </Suspense>
        ) : screen === 'reconcile' ? (
          <Suspense fallback={<div className="boot">{t('app.loading')}</div>}>
            <Reconcile />
          </Suspense>
        ) : screen === 'members' ? <Suspense fallback={null}><MembersScreen /></Suspense> : screen === 'pickup' ? <Suspense fallback={null}><PickupScreen /></Suspense> : <Placeholder screen={screen} />}</main>
    </div>
  );
}
