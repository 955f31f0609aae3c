-- Numbers the system gives institutions created in this service: 'D' and five
-- digits from a sequence that never goes back, so no number is given twice
-- (and institutions are never deleted, so none is ever reused).
CREATE SEQUENCE institution_number_seq MINVALUE 1 MAXVALUE 99999 START 1 NO CYCLE;
