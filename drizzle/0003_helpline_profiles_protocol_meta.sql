CREATE TABLE `helpline_profiles` (
	`helpline_id` text NOT NULL,
	`version` integer NOT NULL,
	`bytes` blob NOT NULL,
	`signer_pk` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`helpline_id`, `version`),
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `database_meta` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `database_meta` (`name`, `value`) VALUES ('protocol', '2');
