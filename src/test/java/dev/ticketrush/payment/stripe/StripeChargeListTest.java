package dev.ticketrush.payment.stripe;

import dev.ticketrush.support.Integration;
import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.payment.PaymentGateway.ChargePage;
import dev.ticketrush.payment.PaymentGateway.ListedCharge;
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
import static dev.ticketrush.payment.stripe.StripeGatewayTest.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The charge list the reconciliation walks, on an account without Stripe search ({@code gateway-sim
 * --no-search}): nothing of ours needs search any more. Newest first, paged with {@code starting_after}; each
 * charge carries its charge key from the metadata, whether it captured, and when it was created.
 */
@Integration
class StripeChargeListTest {
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
  void chargesPageNewestFirstWithTheirKeysAndWhetherTheyCaptured() throws Exception {
    assertThat(sim.get("/v1/payment_intents/search?query=metadata['a']:'b'").status()).isEqualTo(404);
    StripeGateway gateway = new StripeGateway(vertx, sim.baseUrl(), GatewaySimProcess.SECRET_KEY, 5_000);
    List<PaymentGateway.ChargeRequest> made = new ArrayList<>();
    List<Future<PaymentGateway.Charge>> charges = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      PaymentGateway.ChargeRequest r = request(i == 2 ? "tok_declined" : "tok_ok", 100 + i);
      made.add(r);
      charges.add(gateway.charge(r));
      await(charges.get(i)); // one at a time: creation order is list order
    }
    List<ListedCharge> listed = new ArrayList<>();
    String after = null;
    while (listed.size() < 5) {
      ChargePage page = await(gateway.charges(after, 2));
      assertThat(page.charges()).hasSizeLessThanOrEqualTo(2);
      listed.addAll(page.charges());
      after = page.charges().get(page.charges().size() - 1).id();
      if (!page.hasMore()) {
        break;
      }
    }
    for (int i = 0; i < 5; i++) {
      ListedCharge c = listed.get(4 - i); // newest first
      assertThat(c.id()).isEqualTo(charges.get(i).result().id());
      assertThat(c.chargeKey()).isEqualTo(made.get(i).chargeKey());
      assertThat(c.captured()).isEqualTo(i != 2);
      assertThat(c.amountCents()).isEqualTo(100 + i);
      assertThat(c.createdEpochSeconds()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(120L));
    }
  }
}
