CREATE TABLE `member_links` (
	`platform` text NOT NULL,
	`customer_id` text NOT NULL,
	`member_id` text NOT NULL,
	`matched_by` text NOT NULL,
	`linked_by` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `customer_id`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_links_member` ON `member_links` (`member_id`,`platform`);--> statement-breakpoint
CREATE TABLE `member_points_ledger` (
	`platform` text NOT NULL,
	`entry_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`member_id` text,
	`delta` integer NOT NULL,
	`reason` text NOT NULL,
	`source` text NOT NULL,
	`state` text NOT NULL,
	`platform_entry_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`occurred_at` integer NOT NULL,
	`applied_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `entry_id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_points_ledger_platform_entry` ON `member_points_ledger` (`platform`,`platform_entry_id`);--> statement-breakpoint
CREATE INDEX `member_points_ledger_customer` ON `member_points_ledger` (`platform`,`customer_id`);--> statement-breakpoint
CREATE INDEX `member_points_ledger_state` ON `member_points_ledger` (`platform`,`state`);--> statement-breakpoint
CREATE TABLE `platform_customers` (
	`platform` text NOT NULL,
	`customer_id` text NOT NULL,
	`phone` text,
	`name` text NOT NULL,
	`level` text,
	`points` integer,
	`platform_updated_at` integer NOT NULL,
	`fetched_at` integer NOT NULL,
	`auto_link` integer DEFAULT true NOT NULL,
	`first_seen_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `customer_id`)
);
--> statement-breakpoint
CREATE INDEX `platform_customers_phone` ON `platform_customers` (`phone`);