CREATE TABLE `online_handovers` (
	`key` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`moved` text NOT NULL,
	`user_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `online_orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `online_order_events` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`at` integer NOT NULL,
	`text` text NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `online_orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `online_order_events_order` ON `online_order_events` (`order_id`,`at`);--> statement-breakpoint
CREATE TABLE `online_reservations` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`sku_id` text NOT NULL,
	`qty` integer NOT NULL,
	`handed_qty` integer DEFAULT 0 NOT NULL,
	`released_qty` integer DEFAULT 0 NOT NULL,
	`oversold_qty` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `online_orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `online_reservations_order` ON `online_reservations` (`order_id`);--> statement-breakpoint
CREATE INDEX `online_reservations_sku` ON `online_reservations` (`sku_id`);--> statement-breakpoint
CREATE TABLE `sellable_rules` (
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`value` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	PRIMARY KEY(`kind`, `ref`)
);
--> statement-breakpoint
ALTER TABLE `online_orders` ADD `sync_state` text DEFAULT 'reserved' NOT NULL;--> statement-breakpoint
ALTER TABLE `online_orders` ADD `oversold` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `online_orders` ADD `balance_due_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `online_orders` ADD `buyer_phone` text;--> statement-breakpoint
ALTER TABLE `online_orders` ADD `buyer_name` text;--> statement-breakpoint
ALTER TABLE `online_orders` ADD `review` text;--> statement-breakpoint
CREATE INDEX `online_orders_created` ON `online_orders` (`platform_created_at`);--> statement-breakpoint
CREATE INDEX `online_orders_sync_state` ON `online_orders` (`sync_state`);--> statement-breakpoint
CREATE INDEX `online_orders_phone` ON `online_orders` (`buyer_phone`);--> statement-breakpoint
ALTER TABLE `skus` ADD `reserved_qty` integer DEFAULT 0 NOT NULL;