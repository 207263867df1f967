-- The auth change feed: any change that could make a cached credential wrong
-- (a token revoked, disabled or given an expiry; a session signed out or
-- expired; a user's role changed, banned or deleted) sends NOTIFY
-- auth_changes naming the user, at commit; every web process drops what it
-- cached for them and re-checks their open streams (lib/auth/auth-changes.ts).
-- The trigger's argument names the column that holds the user's id.
CREATE OR REPLACE FUNCTION "auth_notify_user_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('auth_changes', coalesce(to_jsonb(OLD) ->> TG_ARGV[0], ''));
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER "api_keys_notify_change" AFTER DELETE OR UPDATE OF "key", "enabled", "expires_at", "reference_id"
  ON "api_keys" FOR EACH ROW EXECUTE FUNCTION "auth_notify_user_change"('reference_id');

CREATE OR REPLACE TRIGGER "users_notify_change" AFTER DELETE OR UPDATE OF "role", "banned", "ban_expires"
  ON "users" FOR EACH ROW EXECUTE FUNCTION "auth_notify_user_change"('id');

CREATE OR REPLACE TRIGGER "sessions_notify_change" AFTER DELETE OR UPDATE OF "token", "expires_at", "user_id"
  ON "sessions" FOR EACH ROW EXECUTE FUNCTION "auth_notify_user_change"('user_id');
