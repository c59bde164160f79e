-- Leases for the worker's platform-wide periodic jobs (issue 14): the metrics sampler ran in every
-- worker process, so with N workers each host was sampled N times per interval. Now one worker at
-- a time holds the job's lease row and samples; the others skip their turn. A lease names its
-- holder (the worker id) and lapses at expires_at, so a worker that died hands the job over
-- within one lease period. Claiming is one statement (INSERT … ON CONFLICT DO UPDATE … WHERE the
-- lease is the caller's or has lapsed), so two workers never both hold it.
--
-- Platform-only: the tenant role has no access.
CREATE TABLE "worker_leases" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "worker_leases_pkey" PRIMARY KEY ("name")
);

GRANT SELECT, INSERT, UPDATE ON "worker_leases" TO realmgate_platform;
