CREATE TABLE `sync_activity` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`platform` text NOT NULL,
	`kind` text NOT NULL,
	`ok` integer NOT NULL,
	`sku_id` text,
	`summary` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `sync_activity_at` ON `sync_activity` (`at`,`id`);--> statement-breakpoint
CREATE TABLE `sync_platform_items` (
	`platform` text NOT NULL,
	`item_id` text NOT NULL,
	`platform_sku_id` text DEFAULT '' NOT NULL,
	`title` text NOT NULL,
	`barcode` text,
	`code` text,
	`quantity` integer,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `item_id`, `platform_sku_id`)
);
