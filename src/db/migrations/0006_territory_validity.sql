-- 0006_territory_validity.sql — validity of territorial units
-- (src/territory/import.h).
--
-- A TERC code stays a key forever: a unit that a later register no longer
-- lists is closed (valid_to = that register's STAN_NA), not deleted, so
-- institutions, reports and history that name it stay readable under the
-- old code; a unit that appears is opened (valid_from). NULL valid_from
-- marks units that were not imported (the demo county, units of older
-- databases); NULL valid_to an open unit.
ALTER TABLE territory_unit ADD COLUMN valid_from TEXT;
ALTER TABLE territory_unit ADD COLUMN valid_to TEXT;
