package dev.ticketrush.ticket;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.Provider;
import java.util.UUID;

/**
 * What one ticket code costs to sign and to verify, with the JDK's provider and with Bouncy Castle (the one
 * {@link TicketKeys} uses), a bounded benchmark (not a test). Each round signs and verifies {@code n} ES256 codes
 * with the same key; the median of the rounds after the warm-up ones is printed per provider.
 *
 * <pre>mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.ticketrush.ticket.TicketSigningBenchmark -Dexec.args="2000 15"</pre>
 */
public final class TicketSigningBenchmark {
  private TicketSigningBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
    run("JDK default (SunEC)", null, key, n, rounds);
    run("Bouncy Castle", BouncyCastleProviderSingleton.getInstance(), key, n, rounds);
  }

  private static void run(String name, Provider provider, ECKey key, int n, int rounds) throws Exception {
    ECDSASigner signer = new ECDSASigner(key);
    ECDSAVerifier verifier = new ECDSAVerifier(key.toECPublicKey());
    if (provider != null) {
      signer.getJCAContext().setProvider(provider);
      verifier.getJCAContext().setProvider(provider);
    }
    double[] sign = new double[rounds];
    double[] verify = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      SignedJWT[] codes = new SignedJWT[n];
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        codes[i] = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bench").build(),
            new JWTClaimsSet.Builder().claim("tid", UUID.randomUUID().toString()).claim("eid", 1).claim("seat", i)
                .subject("fan").build());
        codes[i].sign(signer);
      }
      long t1 = System.nanoTime();
      for (SignedJWT c : codes) {
        if (!SignedJWT.parse(c.serialize()).verify(verifier)) {
          throw new IllegalStateException("a code did not verify");
        }
      }
      long t2 = System.nanoTime();
      sign[r] = (t1 - t0) / 1000.0 / n;
      verify[r] = (t2 - t1) / 1000.0 / n;
    }
    System.out.printf("%-22s sign %.0f µs, verify %.0f µs (median of rounds %d..%d, %d codes each)%n", name,
        median(sign, rounds / 3), median(verify, rounds / 3), rounds / 3 + 1, rounds, n);
  }

  private static double median(double[] all, int skip) {
    double[] kept = java.util.Arrays.copyOfRange(all, skip, all.length);
    java.util.Arrays.sort(kept);
    return kept[kept.length / 2];
  }
}
