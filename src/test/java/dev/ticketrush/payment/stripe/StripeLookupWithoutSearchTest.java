package dev.ticketrush.payment.stripe;

import dev.ticketrush.payment.GatewayUnavailable;
import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.payment.PaymentGateway.ChargeRequest;
import dev.ticketrush.payment.PaymentGateway.Status;
import dev.ticketrush.support.GatewaySimProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ticketrush.payment.stripe.StripeGatewayTest.await;
import static dev.ticketrush.payment.stripe.StripeGatewayTest.failure;
import static dev.ticketrush.payment.stripe.StripeGatewayTest.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lookups on an account without Stripe search ({@code gateway-sim --no-search}): the gateway pages through the
 * newest PaymentIntents instead, and when the key is older than the pages it may read, it says "unknown",
 * never "nothing was charged".
 */
class StripeLookupWithoutSearchTest {
  static GatewaySimProcess sim;
  static Vertx vertx;

  @BeforeAll
  static void startSimulator() throws Exception {
    sim = GatewaySimProcess.start("--no-search");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopSimulator() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void lookupPagesThroughTheListWithinItsBound() throws Exception {
    assertThat(sim.get("/v1/payment_intents/search?query=metadata['a']:'b'").status()).isEqualTo(404);
    StripeGateway gateway = new StripeGateway(vertx, sim.baseUrl(), GatewaySimProcess.SECRET_KEY, 5_000);
    StripeGateway onePage = new StripeGateway(vertx, sim.baseUrl(), GatewaySimProcess.SECRET_KEY, 5_000, 1);

    ChargeRequest never = request("tok_ok", 100);
    assertThat(await(onePage.lookup(never))).as("the whole list was read").isNull();

    ChargeRequest early = request("tok_ok", 1100);
    String earlyId = await(gateway.charge(early)).id();
    assertThat(await(onePage.lookup(early)).id()).isEqualTo(earlyId);

    // Push the early charge off the first page of 100.
    List<Future<PaymentGateway.Charge>> later = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      later.add(gateway.charge(request("tok_ok", 100)));
    }
    await(Future.all(later));

    assertThat(failure(onePage.lookup(early))).isInstanceOf(GatewayUnavailable.class);
    assertThat(failure(onePage.lookup(never))).as("cannot vouch for nothing without search").isInstanceOf(GatewayUnavailable.class);
    PaymentGateway.Charge found = await(gateway.lookup(early));
    assertThat(found.id()).isEqualTo(earlyId);
    assertThat(found.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(await(gateway.lookup(never))).isNull();
  }
}
