-- Web processes cache which user an API token belongs to (lib/auth/token-cache.ts).
-- Any change that could make a cached answer wrong (a token revoked, disabled or
-- given an expiry; a user's role changed, banned or deleted) sends
-- NOTIFY auth_changes, and every process drops its cache.
CREATE FUNCTION "auth_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('auth_changes', TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "api_keys_notify_change" AFTER DELETE OR UPDATE OF "key", "enabled", "expires_at", "reference_id"
  ON "api_keys" FOR EACH STATEMENT EXECUTE FUNCTION "auth_notify_change"();
--> statement-breakpoint
CREATE TRIGGER "users_notify_change" AFTER DELETE OR UPDATE OF "role", "banned", "ban_expires"
  ON "users" FOR EACH STATEMENT EXECUTE FUNCTION "auth_notify_change"();
