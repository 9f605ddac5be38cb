// Words of the touch-only counter and its smaller screens (issue 12): the letter pad, discount
// presets, the tenders of a finished sale, the status lights by code, unbuilt screens, and pairing
// the customer display. Spread into zh-CN.ts / en.ts as the `counter` namespace.
export const counterZh = {
  counter: {
    letterPad: '字母键',
    presets: '常用折扣',
    paidBy: '收款明细',
    status: {
      virtual: '正常（虚拟打印机）',
      no_printer: '未设置小票打印机',
      checking: '正在检测打印机…',
      no_devices: '设备未启动',
      not_connected: '未连接网店平台',
      waiting: '{{count}} 张待打印',
    },
    soon: {
      badge: '暂未开通',
      pickup: '“核销/自提”暂未开通。开通后，在这里扫描网店自提码和团购券（抖音/美团/快手）核销出库。现在请在网店后台核销。',
      members: '会员管理暂未开通。收银时按 F2 可用手机号关联会员。',
      inventory: '库存/采购暂未开通。商品库存会随销售和退货自动增减。',
      reports: '报表暂未开通。',
      shift: '交班暂未开通。',
      back: '回到收银',
    },
    display: {
      title: '顾客屏（第二块屏幕）',
      how: '在第二块屏幕上打开下面的链接（或点“打开顾客屏”，再把窗口拖到第二块屏幕上，按 F11 全屏）。这个链接只能显示顾客屏的内容，不能操作收银台。',
      electron: '顾客屏会在接上第二块显示器后自动打开。',
      link: '顾客屏链接',
      copy: '复制链接',
      copied: '已复制',
      open: '打开顾客屏',
      notPaired: '这块屏幕还没有连接收银台',
      notPairedHow: '请在收银台上进入 设置 → 设备 → 顾客屏，点“打开顾客屏”，或在这里打开那里显示的链接。',
    },
  },
};

export const counterEn: typeof counterZh = {
  counter: {
    letterPad: 'Letter keys',
    presets: 'Quick discounts',
    paidBy: 'Paid by',
    status: {
      virtual: 'OK (virtual)',
      no_printer: 'No receipt printer set up',
      checking: 'Checking the printer…',
      no_devices: 'Devices not running',
      not_connected: 'Not connected',
      waiting: '{{count}} waiting to print',
    },
    soon: {
      badge: 'Not available yet',
      pickup: 'Pickup is not available yet. Once it is, you scan online pickup codes and group-buy vouchers (Douyin / Meituan / Kuaishou) here. For now, redeem them in your online shop.',
      members: 'Member management is not available yet. At the checkout, F2 finds a member by phone number.',
      inventory: 'Stock and purchasing are not available yet. Stock goes down and up with sales and returns by itself.',
      reports: 'Reports are not available yet.',
      shift: 'Closing a shift is not available yet.',
      back: 'Back to checkout',
    },
    display: {
      title: 'Customer display (second screen)',
      how: 'Open the link below on the second screen (or press "Open customer display", drag the window to the second screen and press F11). The link only shows the customer display; it cannot work the till.',
      electron: 'The customer display opens by itself when a second monitor is connected.',
      link: 'Customer display link',
      copy: 'Copy link',
      copied: 'Copied',
      open: 'Open customer display',
      notPaired: 'This screen is not connected to the till yet',
      notPairedHow: 'On the till, go to Settings → Devices → Customer display and press "Open customer display", or open the link shown there on this screen.',
    },
  },
};
