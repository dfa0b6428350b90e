-- Saved replies (issue 10, staff item 6; docs/PROTOCOL.md §14): one encrypted set per staff member
-- (`owner` = 'member:<id>', type 0x0c, readable only by that member) and one per helpline (`owner` =
-- 'team', type 0x0d, signed by a supervisor). The server keeps only the ciphertext, the revision it
-- compares on save, and when it was saved. A member's own row is deleted when a roster removes them.
CREATE TABLE `saved_replies` (
	`helpline_id` text NOT NULL,
	`owner` text NOT NULL,
	`revision` integer NOT NULL,
	`bytes` blob NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`helpline_id`, `owner`),
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
