CREATE TABLE `rpt_cashier` (
	`business_day` text NOT NULL,
	`user_id` text NOT NULL,
	`sale_count` integer DEFAULT 0 NOT NULL,
	`sale_fen` integer DEFAULT 0 NOT NULL,
	`item_count` integer DEFAULT 0 NOT NULL,
	`return_count` integer DEFAULT 0 NOT NULL,
	`return_fen` integer DEFAULT 0 NOT NULL,
	`cancel_count` integer DEFAULT 0 NOT NULL,
	`cancel_fen` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`business_day`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `rpt_category` (
	`business_day` text NOT NULL,
	`category_id` text NOT NULL,
	`line_count` integer DEFAULT 0 NOT NULL,
	`sold_qty` integer DEFAULT 0 NOT NULL,
	`sold_fen` integer DEFAULT 0 NOT NULL,
	`gross_fen` integer DEFAULT 0 NOT NULL,
	`discount_fen` integer DEFAULT 0 NOT NULL,
	`returned_qty` integer DEFAULT 0 NOT NULL,
	`returned_fen` integer DEFAULT 0 NOT NULL,
	`cost_fen` integer DEFAULT 0 NOT NULL,
	`costed_fen` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`business_day`, `category_id`)
);
--> statement-breakpoint
CREATE TABLE `rpt_hour` (
	`business_day` text NOT NULL,
	`hour` integer NOT NULL,
	`sale_count` integer DEFAULT 0 NOT NULL,
	`sale_fen` integer DEFAULT 0 NOT NULL,
	`gross_fen` integer DEFAULT 0 NOT NULL,
	`discount_fen` integer DEFAULT 0 NOT NULL,
	`rounding_fen` integer DEFAULT 0 NOT NULL,
	`change_fen` integer DEFAULT 0 NOT NULL,
	`item_count` integer DEFAULT 0 NOT NULL,
	`member_sale_count` integer DEFAULT 0 NOT NULL,
	`member_sale_fen` integer DEFAULT 0 NOT NULL,
	`return_count` integer DEFAULT 0 NOT NULL,
	`return_fen` integer DEFAULT 0 NOT NULL,
	`return_items` integer DEFAULT 0 NOT NULL,
	`cancel_count` integer DEFAULT 0 NOT NULL,
	`cancel_fen` integer DEFAULT 0 NOT NULL,
	`cancel_items` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`business_day`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `rpt_member` (
	`business_day` text NOT NULL,
	`member_id` text NOT NULL,
	`sale_count` integer DEFAULT 0 NOT NULL,
	`sale_fen` integer DEFAULT 0 NOT NULL,
	`item_count` integer DEFAULT 0 NOT NULL,
	`return_count` integer DEFAULT 0 NOT NULL,
	`return_fen` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`business_day`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `rpt_member_member` ON `rpt_member` (`member_id`,`business_day`);--> statement-breakpoint
CREATE TABLE `rpt_sku_day` (
	`business_day` text NOT NULL,
	`sku_id` text NOT NULL,
	`line_count` integer DEFAULT 0 NOT NULL,
	`sold_qty` integer DEFAULT 0 NOT NULL,
	`sold_fen` integer DEFAULT 0 NOT NULL,
	`gross_fen` integer DEFAULT 0 NOT NULL,
	`discount_fen` integer DEFAULT 0 NOT NULL,
	`returned_qty` integer DEFAULT 0 NOT NULL,
	`returned_fen` integer DEFAULT 0 NOT NULL,
	`cost_fen` integer DEFAULT 0 NOT NULL,
	`costed_fen` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`business_day`, `sku_id`)
);
--> statement-breakpoint
CREATE INDEX `rpt_sku_day_sku` ON `rpt_sku_day` (`sku_id`,`business_day`);--> statement-breakpoint
CREATE TABLE `rpt_sku_month` (
	`month` text NOT NULL,
	`sku_id` text NOT NULL,
	`line_count` integer DEFAULT 0 NOT NULL,
	`sold_qty` integer DEFAULT 0 NOT NULL,
	`sold_fen` integer DEFAULT 0 NOT NULL,
	`gross_fen` integer DEFAULT 0 NOT NULL,
	`discount_fen` integer DEFAULT 0 NOT NULL,
	`returned_qty` integer DEFAULT 0 NOT NULL,
	`returned_fen` integer DEFAULT 0 NOT NULL,
	`cost_fen` integer DEFAULT 0 NOT NULL,
	`costed_fen` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`month`, `sku_id`)
);
--> statement-breakpoint
CREATE TABLE `rpt_tender` (
	`business_day` text NOT NULL,
	`method` text NOT NULL,
	`pay_count` integer DEFAULT 0 NOT NULL,
	`pay_fen` integer DEFAULT 0 NOT NULL,
	`refund_count` integer DEFAULT 0 NOT NULL,
	`refund_fen` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`business_day`, `method`)
);
