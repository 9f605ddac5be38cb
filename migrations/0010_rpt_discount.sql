CREATE TABLE `rpt_discount` (
	`business_day` text PRIMARY KEY NOT NULL,
	`line_fen` integer DEFAULT 0 NOT NULL,
	`promo_fen` integer DEFAULT 0 NOT NULL,
	`order_fen` integer DEFAULT 0 NOT NULL,
	`override_fen` integer DEFAULT 0 NOT NULL
);
