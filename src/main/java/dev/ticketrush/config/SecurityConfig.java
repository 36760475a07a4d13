package dev.ticketrush.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * How tokens are verified and signed, decided once at boot. Verification keys: an HS256 secret, a PEM public key
 * (RS256 or ES256) and/or a JWKS URL. Production needs at least one; dev mode gets a random secret per start.
 *
 * @param jwtSecret HS256 secret, or null when tokens are verified by public keys only (then HS256 is refused)
 * @param randomSecret true when {@code jwtSecret} was generated for this process (dev mode)
 * @param jwtPublicKey PEM SubjectPublicKeyInfo, or null
 * @param jwtPublicKeyAlgorithm RS256 or ES256 (from the key's type), or null without a public key
 * @param jwksUrl the identity provider's JWKS endpoint, or null
 * @param jwtIssuer required {@code iss}, or null
 * @param jwtAudience required {@code aud}, or null
 * @param entryTokenSecret HMAC secret of waiting-room entry tokens (never null)
 * @param metricsToken bearer token {@code /metrics} requires, or null for an open {@code /metrics}
 * @param ticketSigningKey PEM of the ticket signing key pair (and retired public keys), or null: a production node
 *     refuses to start without it, a dev node makes one and keeps it in its data directory
 */
public record SecurityConfig(
    String jwtSecret,
    boolean randomSecret,
    String jwtPublicKey,
    String jwtPublicKeyAlgorithm,
    String jwksUrl,
    String jwtIssuer,
    String jwtAudience,
    String entryTokenSecret,
    String metricsToken,
    String ticketSigningKey) {

  /** HS256 needs a key at least as long as its output; shorter secrets can be brute-forced offline from one token. */
  public static final int MIN_SECRET_BYTES = 32;

  /** Applies the rules; every refusal is a {@link ConfigException} naming the variable to set. */
  public static SecurityConfig resolve(Mode mode, boolean devTokens, String jwtSecret, String jwtPublicKey,
      String jwksUrl, String jwtIssuer, String jwtAudience, String entryTokenSecret, String metricsToken,
      String ticketSigningKey) {
    requireLongEnough("TICKETRUSH_JWT_SECRET", jwtSecret);
    requireLongEnough("TICKETRUSH_ENTRY_TOKEN_SECRET", entryTokenSecret);
    if (jwtPublicKey != null) {
      // Environment variables often carry a PEM with literal "\n": accept that spelling too.
      jwtPublicKey = jwtPublicKey.replace("\\n", "\n").trim();
    }
    String algorithm = jwtPublicKey == null ? null : publicKeyAlgorithm(jwtPublicKey);
    if (jwksUrl != null) {
      requireHttpUrl(jwksUrl);
    }
    boolean random = false;
    if (jwtSecret == null) {
      if (mode == Mode.DEV) {
        // A random secret per start: tokens minted by an earlier run stop working, on purpose.
        jwtSecret = generateSecret();
        random = true;
      } else if (jwtPublicKey == null && jwksUrl == null) {
        throw new ConfigException("production mode needs a token verification key: set TICKETRUSH_JWT_SECRET "
            + "(HS256, at least " + MIN_SECRET_BYTES + " bytes), TICKETRUSH_JWT_PUBLIC_KEY (PEM, RSA or EC) "
            + "or TICKETRUSH_JWKS_URL");
      } else if (devTokens) {
        throw new ConfigException("TICKETRUSH_DEV_TOKENS=true needs TICKETRUSH_JWT_SECRET: dev tokens are "
            + "HS256 tokens signed with it");
      }
    }
    String entrySecret = entryTokenSecret != null ? entryTokenSecret : jwtSecret;
    if (entrySecret == null) {
      throw new ConfigException("with only TICKETRUSH_JWT_PUBLIC_KEY or TICKETRUSH_JWKS_URL there is no secret to "
          + "sign waiting-room entry tokens: set TICKETRUSH_ENTRY_TOKEN_SECRET (at least " + MIN_SECRET_BYTES
          + " bytes, the same on every node)");
    }
    return new SecurityConfig(jwtSecret, random, jwtPublicKey, algorithm, jwksUrl, jwtIssuer, jwtAudience,
        entrySecret, metricsToken, ticketSigningKey);
  }

  /** The JWS algorithm for a PEM public key: RS256 for RSA, ES256 for EC; anything else is refused. */
  static String publicKeyAlgorithm(String pem) {
    byte[] der;
    try {
      String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw notAPublicKey();
    }
    if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
      throw notAPublicKey();
    }
    for (String[] type : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      try {
        KeyFactory.getInstance(type[0]).generatePublic(new X509EncodedKeySpec(der));
        return type[1];
      } catch (java.security.GeneralSecurityException e) {
        // not this key type: try the next one
      }
    }
    throw notAPublicKey();
  }

  private static ConfigException notAPublicKey() {
    return new ConfigException("TICKETRUSH_JWT_PUBLIC_KEY is not a PEM public key (-----BEGIN PUBLIC KEY-----, "
        + "SubjectPublicKeyInfo) of type RSA or EC");
  }

  private static void requireLongEnough(String variable, String secret) {
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new ConfigException(variable + " is " + secret.getBytes(StandardCharsets.UTF_8).length
          + " bytes long: it must be at least " + MIN_SECRET_BYTES + " bytes");
    }
  }

  private static void requireHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new ConfigException("TICKETRUSH_JWKS_URL must be an http(s) URL, got '" + Secrets.mask(url) + "'");
      }
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException("TICKETRUSH_JWKS_URL must be an http(s) URL, got '" + Secrets.mask(url) + "'");
    }
  }

  private static String generateSecret() {
    byte[] bytes = new byte[MIN_SECRET_BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Never prints a secret or key: records print their components by default. */
  @Override
  public String toString() {
    return "SecurityConfig[hs256=" + (jwtSecret != null) + ", random=" + randomSecret + ", publicKey="
        + jwtPublicKeyAlgorithm + ", jwks=" + jwksUrl + ", iss=" + jwtIssuer + ", aud=" + jwtAudience
        + ", metricsToken=" + (metricsToken != null) + "]";
  }
}
