package dev.ticketrush.config;

import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key rules of production and dev mode (pure: no services). */
class SecurityConfigTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  private static SecurityConfig production(boolean devTokens, String secret, String pem, String jwks, String entry) {
    return SecurityConfig.resolve(Mode.PRODUCTION, devTokens, secret, pem, jwks, null, null, entry, null, null);
  }

  static String pem(String algorithm) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      gen.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      gen.initialize(2048);
    }
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(gen.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  @Test
  void productionWithoutAnyVerificationKeyIsRefusedNamingAllThree() {
    assertThatThrownBy(() -> production(false, null, null, null, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TICKETRUSH_JWT_SECRET").hasMessageContaining("TICKETRUSH_JWT_PUBLIC_KEY")
        .hasMessageContaining("TICKETRUSH_JWKS_URL");
  }

  @Test
  void aSecretShorterThan32BytesIsRefusedInEveryMode() {
    String shortSecret = "0123456789abcdef0123456789abcde"; // 31 bytes
    assertThatThrownBy(() -> production(false, shortSecret, null, null, null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("31 bytes").hasMessageContaining("at least 32");
    assertThatThrownBy(() -> SecurityConfig.resolve(Mode.DEV, true, shortSecret, null, null, null, null, null, null, null))
        .isInstanceOf(ConfigException.class);
    assertThat(production(false, SECRET, null, null, null).jwtSecret()).isEqualTo(SECRET);
  }

  @Test
  void publicKeyTypeChoosesTheAlgorithm() throws Exception {
    SecurityConfig rsa = production(false, null, pem("RSA"), null, SECRET);
    assertThat(rsa.jwtPublicKeyAlgorithm()).isEqualTo("RS256");
    assertThat(rsa.jwtSecret()).as("no HS256 secret: HS256 tokens are refused").isNull();
    assertThat(production(false, null, pem("EC"), null, SECRET).jwtPublicKeyAlgorithm()).isEqualTo("ES256");
  }

  @Test
  void publicKeyWithLiteralBackslashNIsAccepted() throws Exception {
    String oneLine = pem("RSA").replace("\n", "\\n");
    assertThat(production(false, null, oneLine, null, SECRET).jwtPublicKeyAlgorithm()).isEqualTo("RS256");
  }

  @Test
  void somethingElseThanAPublicKeyIsRefused() {
    assertThatThrownBy(() -> production(false, null, "not a key", null, SECRET))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_JWT_PUBLIC_KEY");
    assertThatThrownBy(() -> production(false, null,
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", null, SECRET))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void jwksUrlMustBeHttp() {
    assertThat(production(false, null, null, "https://idp.example/jwks.json", SECRET).jwksUrl())
        .isEqualTo("https://idp.example/jwks.json");
    assertThatThrownBy(() -> production(false, null, null, "file:///etc/passwd", SECRET))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_JWKS_URL");
  }

  @Test
  void devTokensInProductionNeedTheSecret() throws Exception {
    String pem = pem("RSA");
    assertThatThrownBy(() -> production(true, null, pem, null, SECRET))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_DEV_TOKENS=true needs TICKETRUSH_JWT_SECRET");
    assertThat(production(true, SECRET, null, null, null).jwtSecret()).isEqualTo(SECRET);
  }

  @Test
  void entryTokensUseTheJwtSecretOrNeedTheirOwn() throws Exception {
    assertThat(production(false, SECRET, null, null, null).entryTokenSecret()).isEqualTo(SECRET);
    String pem = pem("EC");
    assertThatThrownBy(() -> production(false, null, pem, null, null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_ENTRY_TOKEN_SECRET");
    assertThatThrownBy(() -> production(false, null, pem, null, "too-short"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_ENTRY_TOKEN_SECRET");
    String entry = "entry-secret-entry-secret-entry-secret";
    assertThat(production(false, null, pem, null, entry).entryTokenSecret()).isEqualTo(entry);
    assertThat(production(false, SECRET, null, null, entry).entryTokenSecret()).isEqualTo(entry);
  }

  @Test
  void devModeMakesARandomSecretEvenBesideAPublicKey() throws Exception {
    SecurityConfig dev = SecurityConfig.resolve(Mode.DEV, true, null, pem("RSA"), null, null, null, null, null, null);
    assertThat(dev.randomSecret()).isTrue();
    assertThat(dev.jwtSecret()).isNotBlank();
    assertThat(dev.entryTokenSecret()).isEqualTo(dev.jwtSecret());
  }

  @Test
  void printedFormHoldsNoSecret() {
    assertThat(production(false, SECRET, null, null, null).toString()).doesNotContain(SECRET);
  }
}
