package dev.ticketrush.infra;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * One result shared by callers on several event loops (a single-flight lookup, a cached encoding). A Vert.x
 * future runs its listeners on the context that created it, so a caller on another event loop would otherwise
 * continue on a foreign thread and touch its own loop-confined state from there.
 */
public final class SharedFutures {
  private SharedFutures() {
  }

  /** {@code shared}, completed on the calling thread's context (as is, when called off any context). */
  public static <T> Future<T> onCallerContext(Future<T> shared) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return shared;
    }
    if (shared.isComplete()) {
      // Listeners of a completed context-bound future still hop to its context; a context-less copy runs them here.
      return shared.succeeded() ? Future.succeededFuture(shared.result()) : Future.failedFuture(shared.cause());
    }
    Promise<T> own = Promise.promise();
    shared.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        own.handle(ar);
      } else {
        caller.runOnContext(v -> own.handle(ar));
      }
    });
    return own.future();
  }
}
