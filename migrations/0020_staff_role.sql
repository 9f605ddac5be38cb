-- 店员 (staff): pickup and voucher redemption only, below cashier (no selling, refunds or drawer).
INSERT OR IGNORE INTO `roles` (`id`, `name_zh`, `name_en`, `rank`) VALUES ('staff', '店员', 'Staff', 0);
