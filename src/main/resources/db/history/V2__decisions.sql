-- netwarden history, schema 2: the firewall's decision per connection (intercept level).
-- action: allow, deny or reject; NULL when nothing decided (passive level, or the daemon stopped
-- while a prompt held the connection). rule_id: the rule that decided, NULL for the default action,
-- a prompt timeout or a once-only answer. decision: the one-line reason.
ALTER TABLE connections ADD COLUMN action TEXT;
ALTER TABLE connections ADD COLUMN rule_id TEXT;
ALTER TABLE connections ADD COLUMN decided_ms BIGINT;
ALTER TABLE connections ADD COLUMN decision TEXT;
-- "blocked attempts in the last hour" reads only the rows it lists.
CREATE INDEX connections_action_start ON connections (action, start_ms);
