// Words of "a cart belongs to its cashier" (issue 12 items 5, 6): logging out with a cart (挂单 or
// 作废) and 取单 over a cart with items. Spread into zh-CN.ts / en.ts as the `cartOwner` namespace.
export const cartOwnerZh = {
  cartOwner: {
    logoutTitle: '退出登录',
    logoutQuestion: '购物车里还有 {{count}} 件商品（应收 {{amount}}）。购物车只属于您：请挂单或作废后再退出。',
    logoutHold: '挂单并退出',
    logoutHoldNote: '挂在您名下，下次登录按 F4 取单',
    logoutVoid: '作废并退出',
    logoutVoidNote: '已结算的购物车作废需要店长授权',
    recallSwap: '当前购物车（{{count}} 件）将挂起，取回所选挂单',
    heldMine: '只显示您的挂单；其他收银员的挂单请店长取单',
  },
};

export const cartOwnerEn: typeof cartOwnerZh = {
  cartOwner: {
    logoutTitle: 'Log out',
    logoutQuestion: 'The cart is not empty ({{count}} in all, total {{amount}}). A cart belongs to you only: hold or void it before logging out.',
    logoutHold: 'Hold and log out',
    logoutHoldNote: 'Held under your name; recall it with F4 after you log in',
    logoutVoid: 'Void and log out',
    logoutVoidNote: 'Voiding a subtotalled cart needs a manager',
    recallSwap: 'The current cart ({{count}} in all) will be held and the chosen one recalled',
    heldMine: 'Only your held carts are listed; a manager recalls other cashiers’ carts',
  },
};
