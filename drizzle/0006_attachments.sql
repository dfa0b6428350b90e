CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`helpline_id` text NOT NULL,
	`thread_id` text,
	`uploader` text,
	`envelope_id` text,
	`header` blob NOT NULL,
	`padded_size` integer NOT NULL,
	`chunk_count` integer NOT NULL,
	`complete` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `attachments_thread` ON `attachments` (`thread_id`,`created_at`);
--> statement-breakpoint
CREATE INDEX `attachments_uploader` ON `attachments` (`uploader`,`helpline_id`);
--> statement-breakpoint
CREATE INDEX `attachments_expiry` ON `attachments` (`expires_at`);
--> statement-breakpoint
CREATE TABLE `attachment_chunks` (
	`attachment_id` text NOT NULL,
	`idx` integer NOT NULL,
	`bytes` blob NOT NULL,
	PRIMARY KEY(`attachment_id`, `idx`),
	FOREIGN KEY (`attachment_id`) REFERENCES `attachments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `attachment_limits` (
	`helpline_id` text PRIMARY KEY NOT NULL,
	`max_file_bytes` integer NOT NULL,
	`max_files_per_message` integer NOT NULL,
	`daily_bytes_per_conversation` integer NOT NULL,
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
);
