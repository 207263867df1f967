-- auth_changes now names the user a change is about (its payload), and
-- sessions join the feed: a sign-out, a revoked or expired session, a ban,
-- a role change or a revoked token reaches every process at commit, and
-- each open event stream of that user re-checks its credential at once
-- (lib/auth/auth-changes.ts). Row-level, so the payload can name the user.
DROP TRIGGER "api_keys_notify_change" ON "api_keys";
--> statement-breakpoint
DROP TRIGGER "users_notify_change" ON "users";
--> statement-breakpoint
DROP FUNCTION "auth_notify_change"();
--> statement-breakpoint
-- The trigger's argument names the column that holds the user's id.
CREATE FUNCTION "auth_notify_user_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('auth_changes', coalesce(to_jsonb(OLD) ->> TG_ARGV[0], ''));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "api_keys_notify_change" AFTER DELETE OR UPDATE OF "key", "enabled", "expires_at", "reference_id"
  ON "api_keys" FOR EACH ROW EXECUTE FUNCTION "auth_notify_user_change"('reference_id');
--> statement-breakpoint
CREATE TRIGGER "users_notify_change" AFTER DELETE OR UPDATE OF "role", "banned", "ban_expires"
  ON "users" FOR EACH ROW EXECUTE FUNCTION "auth_notify_user_change"('id');
--> statement-breakpoint
CREATE TRIGGER "sessions_notify_change" AFTER DELETE OR UPDATE OF "token", "expires_at", "user_id"
  ON "sessions" FOR EACH ROW EXECUTE FUNCTION "auth_notify_user_change"('user_id');
