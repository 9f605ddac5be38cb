CREATE TABLE `voucher_redemption_events` (
	`redemption_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`by` text,
	`detail` text,
	PRIMARY KEY(`redemption_id`, `seq`),
	FOREIGN KEY (`redemption_id`) REFERENCES `voucher_redemptions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `voucher_redemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`code_mask` text NOT NULL,
	`code_hash` text NOT NULL,
	`idem_key` text NOT NULL,
	`pending_params` text,
	`uses` integer NOT NULL,
	`unit_value_fen` integer NOT NULL,
	`value_fen` integer NOT NULL,
	`title` text NOT NULL,
	`platform_order_id` text,
	`platform_refs` text,
	`state` text NOT NULL,
	`detail` text,
	`cart_id` text,
	`sale_id` text,
	`request_id` text,
	`request_hash` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`redeemed_at` integer,
	`undone_by` text,
	`undone_at` integer,
	`final` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `voucher_redemptions_request_id` ON `voucher_redemptions` (`request_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `voucher_redemptions_idem_key` ON `voucher_redemptions` (`platform`,`idem_key`);--> statement-breakpoint
CREATE INDEX `voucher_redemptions_code` ON `voucher_redemptions` (`code_hash`);--> statement-breakpoint
CREATE INDEX `voucher_redemptions_open` ON `voucher_redemptions` (`final`,`created_at`);--> statement-breakpoint
CREATE INDEX `voucher_redemptions_created` ON `voucher_redemptions` (`created_at`);--> statement-breakpoint
CREATE INDEX `voucher_redemptions_cart` ON `voucher_redemptions` (`cart_id`);