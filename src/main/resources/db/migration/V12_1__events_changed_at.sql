-- When an event's row last changed (created, or its sale PATCHed): each reconcile pass reloads only the events
-- changed since the last one it saw, not the whole catalog.
ALTER TABLE events ADD COLUMN changed_at TIMESTAMPTZ NOT NULL DEFAULT now();
CREATE INDEX events_changed_at ON events (changed_at);
