CREATE TABLE `payment_attempt_events` (
	`attempt_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`detail` text,
	PRIMARY KEY(`attempt_id`, `seq`),
	FOREIGN KEY (`attempt_id`) REFERENCES `payment_attempts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `payment_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`out_trade_no` text NOT NULL,
	`provider` text NOT NULL,
	`kind` text NOT NULL,
	`cart_id` text,
	`sale_id` text,
	`amount_fen` integer NOT NULL,
	`state` text NOT NULL,
	`auth_code_mask` text,
	`transaction_id` text,
	`detail` text,
	`code_url` text,
	`expires_at` integer,
	`request_id` text,
	`request_hash` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`charged_at` integer,
	`final` integer DEFAULT 0 NOT NULL,
	`abandoned_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_attempts_out_trade_no` ON `payment_attempts` (`out_trade_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `payment_attempts_request_id` ON `payment_attempts` (`request_id`);--> statement-breakpoint
CREATE INDEX `payment_attempts_cart` ON `payment_attempts` (`cart_id`,`final`);--> statement-breakpoint
CREATE INDEX `payment_attempts_open` ON `payment_attempts` (`final`,`created_at`);--> statement-breakpoint
CREATE INDEX `payment_attempts_sale` ON `payment_attempts` (`sale_id`);--> statement-breakpoint
CREATE TABLE `payment_refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`out_refund_no` text NOT NULL,
	`attempt_id` text NOT NULL,
	`original_payment_id` text,
	`return_id` text,
	`request_id` text,
	`amount_fen` integer NOT NULL,
	`state` text NOT NULL,
	`refund_id` text,
	`detail` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`final` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `payment_attempts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_refunds_out_refund_no` ON `payment_refunds` (`out_refund_no`);--> statement-breakpoint
CREATE INDEX `payment_refunds_attempt` ON `payment_refunds` (`attempt_id`);--> statement-breakpoint
CREATE INDEX `payment_refunds_request` ON `payment_refunds` (`request_id`,`original_payment_id`);--> statement-breakpoint
CREATE INDEX `payment_refunds_open` ON `payment_refunds` (`final`);