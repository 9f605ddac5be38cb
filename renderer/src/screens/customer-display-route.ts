// Kept apart from CustomerDisplay.tsx so the app can decide the route without loading that page.
/** The route of this page: /customer-display (browser host), ?view=customer-display or #view=customer-display (Electron file://). */
export function isCustomerDisplayRoute(loc: Location = window.location): boolean {
  return (
    loc.pathname.replace(/\/+$/, '').endsWith('/customer-display') ||
    new URLSearchParams(loc.search).get('view') === 'customer-display' ||
    new URLSearchParams(loc.hash.slice(1)).get('view') === 'customer-display'
  );
}
