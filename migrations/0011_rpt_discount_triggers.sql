-- rpt_discount (0010): the day's sale discounts by kind for the Z report, kept inside the transaction
-- that writes the lines (whichever module writes them), like the summaries of 0009. First filled
-- from the rows already there (their kinds are 0 before 0006: the Z shows those as 其他优惠).
-- price_override is catalog price × qty rounded half up (shared/money mulDivRound) minus the gross.
INSERT INTO rpt_discount (business_day, line_fen, promo_fen, order_fen, override_fen)
SELECT s.business_day, sum(l.line_discount_fen), sum(l.promo_discount_fen), sum(l.order_discount_fen),
  sum((l.original_unit_price_fen * l.qty + 500) / 1000 - l.gross_fen)
FROM sale_lines l JOIN sales s ON s.id = l.sale_id
WHERE s.kind = 'sale'
GROUP BY s.business_day;
--> statement-breakpoint
CREATE TRIGGER rpt_discount_line_insert AFTER INSERT ON sale_lines
WHEN (SELECT kind FROM sales WHERE id = NEW.sale_id) = 'sale'
BEGIN
  INSERT INTO rpt_discount (business_day, line_fen, promo_fen, order_fen, override_fen)
  SELECT business_day, NEW.line_discount_fen, NEW.promo_discount_fen, NEW.order_discount_fen,
    (NEW.original_unit_price_fen * NEW.qty + 500) / 1000 - NEW.gross_fen
  FROM sales WHERE id = NEW.sale_id
  ON CONFLICT (business_day) DO UPDATE SET
    line_fen = line_fen + excluded.line_fen,
    promo_fen = promo_fen + excluded.promo_fen,
    order_fen = order_fen + excluded.order_fen,
    override_fen = override_fen + excluded.override_fen;
END;
--> statement-breakpoint
-- A sale moved to another day (0007, after a close): its lines' discounts move with it.
CREATE TRIGGER rpt_discount_day_move AFTER UPDATE OF business_day ON sales
WHEN NEW.kind = 'sale' AND NEW.business_day <> OLD.business_day
BEGIN
  INSERT INTO rpt_discount (business_day, line_fen, promo_fen, order_fen, override_fen)
  SELECT OLD.business_day, -sum(line_discount_fen), -sum(promo_discount_fen), -sum(order_discount_fen),
    -sum((original_unit_price_fen * qty + 500) / 1000 - gross_fen)
  FROM sale_lines WHERE sale_id = OLD.id GROUP BY sale_id
  ON CONFLICT (business_day) DO UPDATE SET
    line_fen = line_fen + excluded.line_fen,
    promo_fen = promo_fen + excluded.promo_fen,
    order_fen = order_fen + excluded.order_fen,
    override_fen = override_fen + excluded.override_fen;
  INSERT INTO rpt_discount (business_day, line_fen, promo_fen, order_fen, override_fen)
  SELECT NEW.business_day, sum(line_discount_fen), sum(promo_discount_fen), sum(order_discount_fen),
    sum((original_unit_price_fen * qty + 500) / 1000 - gross_fen)
  FROM sale_lines WHERE sale_id = NEW.id GROUP BY sale_id
  ON CONFLICT (business_day) DO UPDATE SET
    line_fen = line_fen + excluded.line_fen,
    promo_fen = promo_fen + excluded.promo_fen,
    order_fen = order_fen + excluded.order_fen,
    override_fen = override_fen + excluded.override_fen;
END;
