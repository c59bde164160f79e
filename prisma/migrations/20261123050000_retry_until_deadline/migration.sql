-- Operations are retried until their deadline, not for a fixed number of attempts: five quick
-- attempts gave up on an agent that was down for eight seconds.
ALTER TABLE "operations" DROP COLUMN "max_attempts";
