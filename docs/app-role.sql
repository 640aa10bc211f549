-- The PostgreSQL role the application connects as in production (docs/security.md).
-- Migrations run as the role that owns the tables; the application role owns nothing, so it
-- cannot drop or disable the triggers that keep frozen versions and the audit log unchanged,
-- nor TRUNCATE anything. Run as the owner after each migrate (new tables need the grants):
--   psql "$OWNER_DATABASE_URL" -v app=recovery_app -f docs/app-role.sql
GRANT USAGE ON SCHEMA public TO :app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :app;
-- Append-only, also for the privileges: the triggers refuse these, and so does the grant.
REVOKE UPDATE, DELETE ON content_auditentry, content_approval, content_deliverychange FROM :app;
-- Written once and kept: what was served, and the one row of delivery generations.
REVOKE DELETE ON content_publisheddocument, content_publishedplanitem, content_deliverystate
    FROM :app;
