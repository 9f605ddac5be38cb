-- Sales after a day's close (日结) belong to the next business day. The app already books them there
-- (Till.businessDay skips closed days), but a sale whose day was read before the close committed (a
-- card payment awaited in between) would still name the closed day: this trigger moves it to the day
-- after the last closed one, so a closed day's rows never change after its Z report.
CREATE TRIGGER `sales_after_day_close` AFTER INSERT ON `sales`
WHEN NEW.`business_day` <= (SELECT max(`business_day`) FROM `day_closes`)
BEGIN
  UPDATE `sales` SET `business_day` = date((SELECT max(`business_day`) FROM `day_closes`), '+1 day') WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
-- The drawer ledger starts with each shift's opening float (shifts opened before this migration).
INSERT INTO `cash_moves` (`id`, `shift_id`, `business_day`, `kind`, `amount_fen`, `reason`, `user_id`, `approved_by`, `created_at`)
SELECT 'float-' || `id`, `id`, `business_day`, 'float', `opening_cash_fen`, NULL, `user_id`, NULL, `opened_at` FROM `shifts`;
