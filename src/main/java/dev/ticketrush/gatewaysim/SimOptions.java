package dev.ticketrush.gatewaysim;

/**
 * How unkind the simulator is: {@code search} off answers 404 like an account without Stripe search;
 * {@code searchLagMs} is how long a new intent stays invisible to search (Stripe documents up to a minute);
 * {@code processingMs} how long a {@code tok_processing} intent stays {@code processing}; {@code maxIntents}
 * caps the heap; {@code refundDelayMs} how long a refund's answer takes after the refund was made (the key is
 * in use meanwhile: a retry with it gets 409), so a client can lose the answer of a refund that happened.
 */
record SimOptions(boolean search, long searchLagMs, long processingMs, int maxIntents, long refundDelayMs) {
  static final long DEFAULT_SEARCH_LAG_MS = 30_000;
  static final long DEFAULT_PROCESSING_MS = 3_000;
}
