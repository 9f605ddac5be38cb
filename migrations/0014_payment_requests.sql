CREATE TABLE `payment_requests` (
	`attempt_id` text PRIMARY KEY NOT NULL,
	`held_cart_id` text,
	`order_platform` text,
	`order_id` text,
	`note` text,
	`outcome` text,
	`sale_id` text,
	`handled_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `payment_attempts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payment_requests_cart` ON `payment_requests` (`held_cart_id`);--> statement-breakpoint
CREATE INDEX `payment_requests_order` ON `payment_requests` (`order_platform`,`order_id`);