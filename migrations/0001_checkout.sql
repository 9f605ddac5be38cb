CREATE TABLE `carts` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`user_id` text NOT NULL,
	`held_at` integer,
	`note` text,
	`data` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `carts_status` ON `carts` (`status`,`held_at`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`name` text NOT NULL,
	`level` text DEFAULT '普通会员' NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`balance_fen` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_phone` ON `members` (`phone`);--> statement-breakpoint
ALTER TABLE `payments` ADD `original_payment_id` text;--> statement-breakpoint
CREATE INDEX `payments_original` ON `payments` (`original_payment_id`);--> statement-breakpoint
ALTER TABLE `sale_lines` ADD `payable_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sales` ADD `request_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `sales_request_id` ON `sales` (`request_id`);--> statement-breakpoint
CREATE INDEX `products_category` ON `products` (`category_id`);--> statement-breakpoint
CREATE INDEX `skus_product` ON `skus` (`product_id`);