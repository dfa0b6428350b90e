CREATE TABLE `audit_log` (
	`helpline_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`actor_kind` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`thread_id` text,
	`subject_id` text,
	`details` text NOT NULL,
	`prev_hash` blob NOT NULL,
	`hash` blob NOT NULL,
	PRIMARY KEY(`helpline_id`, `seq`),
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `challenges` (
	`nonce` blob PRIMARY KEY NOT NULL,
	`helpline_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `challenges_expiry` ON `challenges` (`expires_at`);--> statement-breakpoint
CREATE TABLE `drafts` (
	`owner` text NOT NULL,
	`context` text NOT NULL,
	`bytes` blob NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`owner`, `context`)
);
--> statement-breakpoint
CREATE INDEX `drafts_context` ON `drafts` (`context`);--> statement-breakpoint
CREATE TABLE `envelopes` (
	`thread_id` text NOT NULL,
	`id` text NOT NULL,
	`position` integer NOT NULL,
	`stream_position` integer NOT NULL,
	`epoch` integer NOT NULL,
	`stream` text NOT NULL,
	`kind` text NOT NULL,
	`sender_pk` text NOT NULL,
	`seq` integer NOT NULL,
	`hash` blob NOT NULL,
	`bytes` blob NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`thread_id`, `id`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `envelopes_hash_unique` ON `envelopes` (`hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `envelopes_position` ON `envelopes` (`thread_id`,`position`);--> statement-breakpoint
CREATE UNIQUE INDEX `envelopes_stream_position` ON `envelopes` (`thread_id`,`stream`,`stream_position`);--> statement-breakpoint
CREATE UNIQUE INDEX `envelopes_sender_seq` ON `envelopes` (`thread_id`,`stream`,`sender_pk`,`seq`);--> statement-breakpoint
CREATE TABLE `epoch_records` (
	`thread_id` text NOT NULL,
	`epoch` integer NOT NULL,
	`bytes` blob NOT NULL,
	`hash` blob NOT NULL,
	`signer_pk` text NOT NULL,
	`reason` text NOT NULL,
	`roster_version` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`thread_id`, `epoch`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `grants` (
	`thread_id` text NOT NULL,
	`epoch` integer NOT NULL,
	`recipient_box_pk` text NOT NULL,
	`bytes` blob NOT NULL,
	PRIMARY KEY(`thread_id`, `epoch`, `recipient_box_pk`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `grants_recipient` ON `grants` (`thread_id`,`recipient_box_pk`,`epoch`);--> statement-breakpoint
CREATE TABLE `helplines` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`reply_time_hours` integer NOT NULL,
	`tag` integer NOT NULL,
	`root_pk` text,
	`roster_version` integer DEFAULT 0 NOT NULL,
	`lock_after_minutes` integer DEFAULT 15 NOT NULL,
	`retention_days` integer DEFAULT 365 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `helplines_slug_unique` ON `helplines` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `helplines_tag_unique` ON `helplines` (`tag`);--> statement-breakpoint
CREATE TABLE `invites` (
	`id` text PRIMARY KEY NOT NULL,
	`helpline_id` text NOT NULL,
	`token_hash` blob NOT NULL,
	`role` text NOT NULL,
	`first_supervisor` integer DEFAULT false NOT NULL,
	`created_by` text,
	`expires_in_hours` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`accepted_at` integer,
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invites_token_hash_unique` ON `invites` (`token_hash`);--> statement-breakpoint
CREATE INDEX `invites_helpline` ON `invites` (`helpline_id`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`helpline_id` text NOT NULL,
	`username` text NOT NULL,
	`role` text NOT NULL,
	`status` text NOT NULL,
	`display_name` text,
	`intake_reader` integer DEFAULT false NOT NULL,
	`sign_in_pk` text NOT NULL,
	`sign_pk` text NOT NULL,
	`box_pk` text NOT NULL,
	`pass_salt` blob NOT NULL,
	`pass_ops` integer NOT NULL,
	`pass_mem_kib` integer NOT NULL,
	`pass_proof_hash` blob NOT NULL,
	`wrapped_key` blob NOT NULL,
	`recovery_proof_hash` blob NOT NULL,
	`recovery_wrapped_key` blob NOT NULL,
	`root_sealed` blob,
	`created_at` integer NOT NULL,
	`removed_at` integer,
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_username_unique` ON `members` (`username`);--> statement-breakpoint
CREATE UNIQUE INDEX `members_sign_in_pk_unique` ON `members` (`sign_in_pk`);--> statement-breakpoint
CREATE INDEX `members_helpline` ON `members` (`helpline_id`,`id`);--> statement-breakpoint
CREATE TABLE `rosters` (
	`helpline_id` text NOT NULL,
	`version` integer NOT NULL,
	`bytes` blob NOT NULL,
	`hash` blob NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`helpline_id`, `version`),
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `seekers` (
	`id` text PRIMARY KEY NOT NULL,
	`helpline_id` text NOT NULL,
	`sign_in_pk` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `seekers_key` ON `seekers` (`helpline_id`,`sign_in_pk`);--> statement-breakpoint
CREATE TABLE `server_secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`value` blob NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` blob PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`helpline_id` text NOT NULL,
	`seeker_id` text,
	`member_id` text,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`seeker_id`) REFERENCES `seekers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_member` ON `sessions` (`member_id`);--> statement-breakpoint
CREATE INDEX `sessions_seeker` ON `sessions` (`seeker_id`);--> statement-breakpoint
CREATE INDEX `sessions_expiry` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `thread_readers` (
	`thread_id` text NOT NULL,
	`member_id` text NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`thread_id`, `member_id`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `thread_readers_member` ON `thread_readers` (`member_id`,`thread_id`);--> statement-breakpoint
CREATE TABLE `threads` (
	`id` text PRIMARY KEY NOT NULL,
	`helpline_id` text NOT NULL,
	`seeker_id` text NOT NULL,
	`seeker_sign_pk` text NOT NULL,
	`seeker_box_pk` text NOT NULL,
	`status` text NOT NULL,
	`flagged` integer DEFAULT false NOT NULL,
	`current_epoch` integer NOT NULL,
	`intake` integer NOT NULL,
	`assignees` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`last_seeker_message_at` integer,
	`last_staff_message_at` integer,
	`waiting_since` integer,
	`expires_at` integer NOT NULL,
	`sort_key` integer NOT NULL,
	`envelope_count` integer DEFAULT 0 NOT NULL,
	`main_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`seeker_id`) REFERENCES `seekers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `threads_inbox` ON `threads` (`helpline_id`,`sort_key`,`id`);--> statement-breakpoint
CREATE INDEX `threads_intake` ON `threads` (`helpline_id`,`intake`,`sort_key`,`id`);--> statement-breakpoint
CREATE INDEX `threads_flagged` ON `threads` (`helpline_id`,`flagged`,`sort_key`,`id`);--> statement-breakpoint
CREATE INDEX `threads_seeker` ON `threads` (`seeker_id`,`sort_key`,`id`);--> statement-breakpoint
CREATE INDEX `threads_expiry` ON `threads` (`expires_at`);