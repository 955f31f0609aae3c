-- One-time secrets expire and work once; log-in attempts are counted before
-- the secret is checked.

-- A generated administrator password (first password or a reset by support)
-- works until this moment, and only for one log-in: the log-in sets it to the
-- time it was used. NULL for a password the administrator chose.
ALTER TABLE admin_accounts ADD COLUMN one_time_until timestamptz;
UPDATE admin_accounts SET one_time_until = now() + interval '72 hours'
 WHERE must_change_password AND password_hash IS NOT NULL;

-- The letter code an institution logged in with, kept from the log-in until
-- it has chosen its password, so that the password cannot be the code.
ALTER TABLE institution_accounts ADD COLUMN used_code_hash text;

-- The wait after `attempts` counted attempts under a throttling policy
-- (app/src/auth/throttle.rs): none below `free`, then `base` doubling up to `cap`.
CREATE FUNCTION login_throttle_delay(attempts integer, free integer, base_secs double precision, cap_secs double precision)
RETURNS interval LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN attempts < free THEN NULL
                ELSE make_interval(secs => least(cap_secs, base_secs * power(2, least(attempts - free, 16))))
           END
$$;
