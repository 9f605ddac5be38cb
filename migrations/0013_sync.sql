CREATE TABLE `online_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`platform_order_id` text NOT NULL,
	`status` text NOT NULL,
	`platform_status` text NOT NULL,
	`delivery_type` text NOT NULL,
	`pay_amount_fen` integer NOT NULL,
	`lines` text NOT NULL,
	`platform_created_at` integer NOT NULL,
	`platform_updated_at` integer NOT NULL,
	`first_seen_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `online_orders_platform_id` ON `online_orders` (`platform`,`platform_order_id`);--> statement-breakpoint
CREATE INDEX `online_orders_updated` ON `online_orders` (`platform_updated_at`);--> statement-breakpoint
CREATE TABLE `sku_mapping` (
	`sku_id` text NOT NULL,
	`platform` text NOT NULL,
	`item_id` text NOT NULL,
	`platform_sku_id` text,
	`matched_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`sku_id`, `platform`),
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sku_mapping_platform` ON `sku_mapping` (`platform`,`item_id`,`platform_sku_id`);--> statement-breakpoint
CREATE TABLE `sync_cursors` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`outbox_id` text NOT NULL,
	`sku_id` text,
	`reason` text NOT NULL,
	`error_code` text,
	`attempts` integer NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolution` text,
	`resolved_by` text
);
--> statement-breakpoint
CREATE INDEX `sync_dead_letters_open` ON `sync_dead_letters` (`resolved_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `sync_dead_letters_outbox` ON `sync_dead_letters` (`outbox_id`,`platform`);--> statement-breakpoint
CREATE TABLE `sync_deliveries` (
	`outbox_id` text NOT NULL,
	`platform` text NOT NULL,
	`outbox_seq` integer NOT NULL,
	`sku_id` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`done_at` integer,
	`outcome` text,
	PRIMARY KEY(`outbox_id`, `platform`)
);
--> statement-breakpoint
CREATE INDEX `sync_deliveries_due` ON `sync_deliveries` (`platform`,`state`,`outbox_seq`);--> statement-breakpoint
CREATE INDEX `sync_deliveries_sku` ON `sync_deliveries` (`platform`,`sku_id`,`state`);--> statement-breakpoint
CREATE TABLE `sync_lease` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL,
	`acquired_at` integer NOT NULL
);
