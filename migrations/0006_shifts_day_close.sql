CREATE TABLE `cash_moves` (
	`id` text PRIMARY KEY NOT NULL,
	`shift_id` text NOT NULL,
	`business_day` text NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`reason` text,
	`user_id` text NOT NULL,
	`approved_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`shift_id`) REFERENCES `shifts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cash_moves_shift` ON `cash_moves` (`shift_id`);--> statement-breakpoint
CREATE INDEX `cash_moves_day` ON `cash_moves` (`business_day`);--> statement-breakpoint
CREATE TABLE `day_closes` (
	`business_day` text PRIMARY KEY NOT NULL,
	`till_id` text NOT NULL,
	`closed_at` integer NOT NULL,
	`closed_by` text NOT NULL,
	`report` text NOT NULL,
	`backup_file` text,
	`backup_error` text
);
--> statement-breakpoint
ALTER TABLE `sale_lines` ADD `line_discount_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sale_lines` ADD `promo_discount_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sale_lines` ADD `order_discount_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `shifts` ADD `closed_by` text;--> statement-breakpoint
ALTER TABLE `shifts` ADD `expected_cash_fen` integer;--> statement-breakpoint
ALTER TABLE `shifts` ADD `cash_count` text;--> statement-breakpoint
ALTER TABLE `shifts` ADD `float_left_fen` integer;--> statement-breakpoint
ALTER TABLE `shifts` ADD `report` text;--> statement-breakpoint
ALTER TABLE `shifts` ADD `note` text;--> statement-breakpoint
CREATE INDEX `audit_action_at` ON `audit_log` (`action`,`at`);--> statement-breakpoint
CREATE INDEX `sales_shift` ON `sales` (`shift_id`);