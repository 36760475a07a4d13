package dev.ticketrush.ticket;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.ticketrush.config.ConfigException;
import dev.ticketrush.support.TestServices;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TicketKeysTest {
  private static final TicketClaims CLAIMS = new TicketClaims(UUID.randomUUID(), 42, 7, "alice");

  @Test
  void signedCodeVerifiesAndCarriesItsClaimsAndKid() throws Exception {
    TicketKeys keys = TicketKeys.fromPem(TestServices.ticketSigningKey());
    String code = keys.sign(CLAIMS);
    assertThat(code.split("\\.")).hasSize(3);
    assertThat(keys.verify(code)).isEqualTo(CLAIMS);
    SignedJWT jwt = SignedJWT.parse(code);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.activeKid());
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
    assertThat(jwt.getJWTClaimsSet().getClaim("eid")).isEqualTo(42L);
  }

  @Test
  void jwksHasPublicKeysOnly() {
    JsonObject jwks = TicketKeys.fromPem(TestServices.ticketSigningKey()).jwks();
    JsonObject key = jwks.getJsonArray("keys").getJsonObject(0);
    assertThat(key.getString("kty")).isEqualTo("EC");
    assertThat(key.getString("crv")).isEqualTo("P-256");
    assertThat(key.getString("alg")).isEqualTo("ES256");
    assertThat(key.containsKey("d")).isFalse();
    assertThat(jwks.encode()).doesNotContain("\"d\"");
  }

  @Test
  void forgedSignatureUnderOurKidIsRefused() throws Exception {
    TicketKeys keys = TicketKeys.fromPem(TestServices.ticketSigningKey());
    ECKey other = new ECKeyGenerator(Curve.P_256).generate();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keys.activeKid()).build(), claims());
    forged.sign(new ECDSASigner(other));
    assertThat(keys.verify(forged.serialize())).isNull();

    // A real code with one claim changed keeps a signature that no longer matches.
    String[] parts = keys.sign(CLAIMS).split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"seat\":7", "\"seat\":8");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
    assertThat(keys.verify(tampered)).isNull();
  }

  @Test
  void algorithmSwitchesAreRefused() throws Exception {
    TicketKeys keys = TicketKeys.fromPem(TestServices.ticketSigningKey());
    // alg none
    assertThat(keys.verify(new PlainJWT(claims()).serialize())).isNull();
    assertThat(keys.verify(new PlainJWT(claims()).serialize() + "sig")).isNull();
    // HS256 with the published public key as the HMAC secret (the classic key-confusion attack)
    ECKey published = ECKey.parse(keys.jwks().getJsonArray("keys").getJsonObject(0).encode());
    byte[] publicDer = published.toECPublicKey().getEncoded();
    SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.activeKid()).build(), claims());
    hs.sign(new MACSigner(publicDer));
    assertThat(keys.verify(hs.serialize())).isNull();
    // garbage
    assertThat(keys.verify("not-a-code")).isNull();
    assertThat(keys.verify("a.b.c")).isNull();
  }

  @Test
  void retiredKeysStillVerifyAfterRotation() throws Exception {
    String oldPem = newPem();
    TicketKeys before = TicketKeys.fromPem(oldPem);
    String oldCode = before.sign(CLAIMS);
    String oldPublic = oldPem.substring(oldPem.indexOf("-----BEGIN PUBLIC KEY-----"));
    TicketKeys after = TicketKeys.fromPem(newPem() + oldPublic);

    assertThat(after.activeKid()).isNotEqualTo(before.activeKid());
    assertThat(after.verify(oldCode)).isEqualTo(CLAIMS);
    assertThat(after.verify(after.sign(CLAIMS))).isEqualTo(CLAIMS);
    assertThat(after.jwks().getJsonArray("keys")).hasSize(2);
  }

  @Test
  void devKeysAreMadeOnceAndKept(@TempDir Path dir) {
    Path file = dir.resolve("data").resolve("ticket-signing-key.pem");
    TicketKeys first = TicketKeys.devKeys(file);
    TicketKeys again = TicketKeys.devKeys(file);
    assertThat(again.activeKid()).isEqualTo(first.activeKid());
    assertThat(again.verify(first.sign(CLAIMS))).isEqualTo(CLAIMS);
  }

  @Test
  void badPemIsRefusedWithItsSettingName() throws Exception {
    assertThatThrownBy(() -> TicketKeys.fromPem("nonsense")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("TICKETRUSH_TICKET_SIGNING_KEY");
    String a = newPem();
    String b = newPem();
    String mismatched = a.substring(0, a.indexOf("-----BEGIN PUBLIC KEY-----")) + b.substring(b.indexOf("-----BEGIN PUBLIC KEY-----"));
    assertThatThrownBy(() -> TicketKeys.fromPem(mismatched)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not belong");
    // Environment variables carry literal \n
    assertThat(TicketKeys.fromPem(a.replace("\n", "\\n")).verify(TicketKeys.fromPem(a).sign(CLAIMS))).isEqualTo(CLAIMS);
  }

  private static JWTClaimsSet claims() {
    return new JWTClaimsSet.Builder().claim("tid", CLAIMS.ticketId().toString()).claim("eid", 42L).claim("seat", 7)
        .subject("alice").build();
  }

  private static String newPem() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    return TestServices.pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + TestServices.pem("PUBLIC KEY", pair.getPublic().getEncoded());
  }
}
