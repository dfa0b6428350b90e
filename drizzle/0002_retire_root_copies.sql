ALTER TABLE `members` DROP COLUMN `root_sealed`;
