CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` text,
	`approver_id` text,
	`action` text NOT NULL,
	`target` text,
	`details` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `barcodes` (
	`code` text PRIMARY KEY NOT NULL,
	`sku_id` text NOT NULL,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `barcodes_sku` ON `barcodes` (`sku_id`);--> statement-breakpoint
CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`parent_id` text,
	`sort` integer DEFAULT 0 NOT NULL,
	`quick_sale` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`value` integer NOT NULL,
	PRIMARY KEY(`name`, `scope`)
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`topic` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_error` text,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_unsent` ON `outbox` (`sent_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`sale_id` text NOT NULL,
	`method` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`reference` text,
	`status` text DEFAULT 'approved' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`sale_id`) REFERENCES `sales`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payments_sale` ON `payments` (`sale_id`);--> statement-breakpoint
CREATE TABLE `print_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`printer_role` text DEFAULT 'receipt' NOT NULL,
	`ref_id` text,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`is_copy` integer DEFAULT false NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`wait_reason` text,
	`created_at` integer NOT NULL,
	`printed_at` integer
);
--> statement-breakpoint
CREATE INDEX `print_jobs_status` ON `print_jobs` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`category_id` text,
	`unit_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `roles` (
	`id` text PRIMARY KEY NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`rank` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sale_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`sale_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`sku_id` text NOT NULL,
	`name` text NOT NULL,
	`qty` integer NOT NULL,
	`unit_price_fen` integer NOT NULL,
	`original_unit_price_fen` integer NOT NULL,
	`gross_fen` integer NOT NULL,
	`discount_fen` integer NOT NULL,
	`net_fen` integer NOT NULL,
	`original_line_id` text,
	`note` text,
	FOREIGN KEY (`sale_id`) REFERENCES `sales`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sale_lines_sale` ON `sale_lines` (`sale_id`);--> statement-breakpoint
CREATE INDEX `sale_lines_original` ON `sale_lines` (`original_line_id`);--> statement-breakpoint
CREATE TABLE `sales` (
	`id` text PRIMARY KEY NOT NULL,
	`receipt_no` text NOT NULL,
	`till_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'completed' NOT NULL,
	`original_sale_id` text,
	`business_day` text NOT NULL,
	`shift_id` text,
	`user_id` text NOT NULL,
	`approved_by` text,
	`member_id` text,
	`gross_fen` integer NOT NULL,
	`discount_fen` integer NOT NULL,
	`rounding_fen` integer NOT NULL,
	`total_fen` integer NOT NULL,
	`paid_fen` integer NOT NULL,
	`change_fen` integer NOT NULL,
	`item_count` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`shift_id`) REFERENCES `shifts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sales_receipt_no` ON `sales` (`receipt_no`);--> statement-breakpoint
CREATE INDEX `sales_day` ON `sales` (`business_day`);--> statement-breakpoint
CREATE INDEX `sales_original` ON `sales` (`original_sale_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shifts` (
	`id` text PRIMARY KEY NOT NULL,
	`till_id` text NOT NULL,
	`user_id` text NOT NULL,
	`business_day` text NOT NULL,
	`opened_at` integer NOT NULL,
	`closed_at` integer,
	`opening_cash_fen` integer DEFAULT 0 NOT NULL,
	`counted_cash_fen` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `skus` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`spec` text DEFAULT '' NOT NULL,
	`unit_id` text NOT NULL,
	`price_fen` integer NOT NULL,
	`cost_fen` integer DEFAULT 0 NOT NULL,
	`plu` text,
	`initials` text NOT NULL,
	`pinyin` text NOT NULL,
	`stock_qty` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `skus_code` ON `skus` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `skus_plu` ON `skus` (`plu`);--> statement-breakpoint
CREATE INDEX `skus_initials` ON `skus` (`initials`);--> statement-breakpoint
CREATE INDEX `skus_pinyin` ON `skus` (`pinyin`);--> statement-breakpoint
CREATE INDEX `skus_name` ON `skus` (`name`);--> statement-breakpoint
CREATE TABLE `stock_moves` (
	`id` text PRIMARY KEY NOT NULL,
	`sku_id` text NOT NULL,
	`qty_delta` integer NOT NULL,
	`reason` text NOT NULL,
	`ref_id` text,
	`user_id` text,
	`business_day` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_moves_sku` ON `stock_moves` (`sku_id`);--> statement-breakpoint
CREATE INDEX `stock_moves_ref` ON `stock_moves` (`ref_id`);--> statement-breakpoint
CREATE TABLE `units` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`weighed` integer DEFAULT false NOT NULL,
	`grams_per_unit` integer
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role_id` text NOT NULL,
	`pin_hash` text NOT NULL,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE no action
);
