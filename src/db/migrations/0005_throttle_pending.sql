-- 0005_throttle_pending.sql — sign-in attempts in flight told apart from
-- failures (src/auth/throttle.h).
--
-- An attempt is reserved before its password is checked, so that parallel
-- attempts cannot get past the limit; until 0005 it was reserved as a
-- failure, and a burst of correct sign-ins of one account was refused as
-- "locked". Now it counts in pending until its outcome is known: a failure
-- moves it to failures, a success takes it back. pending_at is the time of
-- the last reservation: reservations older than a minute are of a server
-- that died mid-check and no longer count.
ALTER TABLE auth_throttle ADD COLUMN pending {{INT}} NOT NULL DEFAULT 0;
ALTER TABLE auth_throttle ADD COLUMN pending_at TEXT;
