-- Presale (v3, fair access): allocations reserve whole sections until their releaseAt (fixed at creation, like
-- the layout), and access codes open an allocation's seats to the one user each code is bound to.
ALTER TABLE events ADD COLUMN allocations JSONB NOT NULL DEFAULT '[]'::jsonb;

-- Only a code's SHA-256 is stored: the codes are 128-bit random values shown to the admin once, so the hash
-- cannot be reversed and a leaked table opens nothing. Redis holds the hot copy (ev:{id}:codes) that the hold
-- scripts bind and check; this table is what Redis is rebuilt from after it loses data.
CREATE TABLE access_codes (
  event_id   BIGINT      NOT NULL REFERENCES events (id),
  code_hash  BYTEA       NOT NULL CHECK (length(code_hash) = 32),
  allocation TEXT        NOT NULL,
  bound_to   TEXT,
  bound_at   TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, code_hash)
);
