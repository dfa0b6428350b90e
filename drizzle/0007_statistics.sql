-- Statistics (issue 13): daily figures per helpline kept as counters, written in the same transaction
-- as the event they count, so years of figures are a few hundred rows per helpline and survive the
-- deletion of the conversations they came from. Survey answers are sealed records (type 0x09), one per
-- conversation, deleted with it. Annual reports are signed aggregates (type 0x0a).
CREATE TABLE `stats_days` (
	`helpline_id` text NOT NULL,
	`day` integer NOT NULL,
	`conversations` integer DEFAULT 0 NOT NULL,
	`seeker_messages` integer DEFAULT 0 NOT NULL,
	`staff_messages` integer DEFAULT 0 NOT NULL,
	`first_replies` integer DEFAULT 0 NOT NULL,
	`first_reply_ms` integer DEFAULT 0 NOT NULL,
	`first_in_time` integer DEFAULT 0 NOT NULL,
	`first_within_1h` integer DEFAULT 0 NOT NULL,
	`first_within_24h` integer DEFAULT 0 NOT NULL,
	`replies` integer DEFAULT 0 NOT NULL,
	`reply_ms` integer DEFAULT 0 NOT NULL,
	`replies_in_time` integer DEFAULT 0 NOT NULL,
	`closed` integer DEFAULT 0 NOT NULL,
	`reassigned` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`expired` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`helpline_id`, `day`),
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `stats_member_days` (
	`helpline_id` text NOT NULL,
	`day` integer NOT NULL,
	`member_id` text NOT NULL,
	`replies` integer DEFAULT 0 NOT NULL,
	`first_replies` integer DEFAULT 0 NOT NULL,
	`taken` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`helpline_id`, `day`, `member_id`),
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `survey_answers` (
	`thread_id` text PRIMARY KEY NOT NULL,
	`helpline_id` text NOT NULL,
	`bytes` blob NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `survey_answers_helpline` ON `survey_answers` (`helpline_id`,`created_at`,`thread_id`);
--> statement-breakpoint
CREATE TABLE `survey_settings` (
	`helpline_id` text PRIMARY KEY NOT NULL,
	`questions` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `annual_reports` (
	`helpline_id` text NOT NULL,
	`year` integer NOT NULL,
	`bytes` blob NOT NULL,
	`signer_pk` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`helpline_id`, `year`),
	FOREIGN KEY (`helpline_id`) REFERENCES `helplines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Figures for what the database already holds: conversations by the day they began, messages of the
-- main stream by sender, first replies (the earliest staff message of each conversation), reassignments
-- and deletions from the audit log. Closings and reply times of later waits were never recorded before.
INSERT INTO `stats_days` (`helpline_id`, `day`, `conversations`)
SELECT `helpline_id`, `created_at` / 86400000, count(*) FROM `threads` WHERE true GROUP BY 1, 2
ON CONFLICT (`helpline_id`, `day`) DO UPDATE SET `conversations` = `conversations` + excluded.`conversations`;
--> statement-breakpoint
INSERT INTO `stats_days` (`helpline_id`, `day`, `seeker_messages`, `staff_messages`)
SELECT t.`helpline_id`, e.`received_at` / 86400000,
	sum(e.`sender_pk` = t.`seeker_sign_pk`), sum(e.`sender_pk` <> t.`seeker_sign_pk`)
FROM `envelopes` e JOIN `threads` t ON t.`id` = e.`thread_id`
WHERE e.`stream` = 'main' AND e.`kind` = 'message' GROUP BY 1, 2
ON CONFLICT (`helpline_id`, `day`) DO UPDATE SET
	`seeker_messages` = `seeker_messages` + excluded.`seeker_messages`,
	`staff_messages` = `staff_messages` + excluded.`staff_messages`;
--> statement-breakpoint
INSERT INTO `stats_days` (`helpline_id`, `day`, `first_replies`, `first_reply_ms`, `first_in_time`, `first_within_1h`, `first_within_24h`)
SELECT f.`helpline_id`, f.`at` / 86400000, count(*), sum(f.`at` - f.`created_at`),
	sum(f.`at` - f.`created_at` <= f.`promise_ms`), sum(f.`at` - f.`created_at` <= 3600000),
	sum(f.`at` - f.`created_at` <= 86400000)
FROM (
	SELECT t.`helpline_id`, t.`created_at`, h.`reply_time_hours` * 3600000 AS `promise_ms`,
		(SELECT min(e.`received_at`) FROM `envelopes` e WHERE e.`thread_id` = t.`id` AND e.`stream` = 'main'
			AND e.`kind` = 'message' AND e.`sender_pk` <> t.`seeker_sign_pk`) AS `at`
	FROM `threads` t JOIN `helplines` h ON h.`id` = t.`helpline_id`
) f WHERE f.`at` IS NOT NULL GROUP BY 1, 2
ON CONFLICT (`helpline_id`, `day`) DO UPDATE SET
	`first_replies` = `first_replies` + excluded.`first_replies`,
	`first_reply_ms` = `first_reply_ms` + excluded.`first_reply_ms`,
	`first_in_time` = `first_in_time` + excluded.`first_in_time`,
	`first_within_1h` = `first_within_1h` + excluded.`first_within_1h`,
	`first_within_24h` = `first_within_24h` + excluded.`first_within_24h`;
--> statement-breakpoint
INSERT INTO `stats_days` (`helpline_id`, `day`, `reassigned`, `deleted`, `expired`)
SELECT `helpline_id`, `at` / 86400000, sum(`action` = 'reassign'),
	sum(`action` = 'thread-deleted' AND `actor_kind` <> 'operator'),
	sum(`action` = 'thread-deleted' AND `actor_kind` = 'operator')
FROM `audit_log` WHERE `action` IN ('reassign', 'thread-deleted') GROUP BY 1, 2
ON CONFLICT (`helpline_id`, `day`) DO UPDATE SET
	`reassigned` = `reassigned` + excluded.`reassigned`,
	`deleted` = `deleted` + excluded.`deleted`,
	`expired` = `expired` + excluded.`expired`;
