package dev.ticketrush.ticket;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ticketrush.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys ticket codes are signed with (ES256, nimbus-jose-jwt) and verified by. One key pair signs; older public
 * keys stay in the set so tickets signed before a rotation still verify. Each key is named by its RFC 7638
 * thumbprint ({@code kid}), so every node derives the same names from the same PEM.
 *
 * <p>Verification accepts only ES256 with a known {@code kid}: {@code alg: none}, HS256 (a public key used as an
 * HMAC secret) or any other algorithm is refused before any key is touched.
 */
public final class TicketKeys {
  /**
   * Bouncy Castle signs and verifies: its P-256 arithmetic took ~130 µs per signature on the 2-core bench box where
   * the JDK 17 provider (SunEC) took ~1,000 µs (and ~1,900 µs per verification). Every confirmed ticket is signed
   * inside the order path, so SunEC capped orders and stalled the event loop (docs/performance.md, #25).
   * The algorithm, the keys and the codes are unchanged: only the arithmetic is faster.
   */
  private static final Provider CRYPTO = BouncyCastleProviderSingleton.getInstance();
  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END \\1-----");

  private final ECKey signing;
  private final ECDSASigner signer;
  private final Map<String, ECDSAVerifier> verifiers = new LinkedHashMap<>();
  private final JsonObject jwks;

  private TicketKeys(ECKey signing, List<ECKey> retired) {
    try {
      this.signing = signing;
      this.signer = new ECDSASigner(signing);
      signer.getJCAContext().setProvider(CRYPTO);
      List<JWK> published = new ArrayList<>();
      for (ECKey k : concat(signing, retired)) {
        ECDSAVerifier verifier = new ECDSAVerifier(k.toECPublicKey());
        verifier.getJCAContext().setProvider(CRYPTO);
        verifiers.put(k.getKeyID(), verifier);
        published.add(k.toPublicJWK());
      }
      this.jwks = new JsonObject(new JWKSet(published).toJSONObject(true));
    } catch (JOSEException e) {
      throw new ConfigException("ticket signing key unusable: " + e.getMessage());
    }
  }

  /**
   * The keys of a PEM text: a PKCS#8 {@code PRIVATE KEY} (EC P-256) followed by its {@code PUBLIC KEY} signs; any
   * further {@code PUBLIC KEY} blocks are retired keys that still verify. Literal {@code \n} is accepted.
   */
  public static TicketKeys fromPem(String pemText) {
    List<String[]> blocks = new ArrayList<>();
    Matcher m = PEM.matcher(pemText.replace("\\n", "\n"));
    while (m.find()) {
      blocks.add(new String[] {m.group(1), m.group(2).replaceAll("\\s", "")});
    }
    if (blocks.size() < 2 || !blocks.get(0)[0].equals("PRIVATE KEY") || !blocks.get(1)[0].equals("PUBLIC KEY")) {
      throw new ConfigException("TICKETRUSH_TICKET_SIGNING_KEY must be PEM: an EC P-256 PRIVATE KEY (PKCS#8) followed "
          + "by its PUBLIC KEY, then any retired PUBLIC KEYs (openssl genpkey -algorithm EC -pkeyopt "
          + "ec_paramgen_curve:P-256 -out k.pem && openssl pkey -in k.pem -pubout >> k.pem)");
    }
    try {
      KeyFactory ec = KeyFactory.getInstance("EC");
      ECPrivateKey priv = (ECPrivateKey) ec.generatePrivate(new PKCS8EncodedKeySpec(decode(blocks.get(0)[1])));
      ECKey active = ecKey(new KeyPair(publicKey(ec, blocks.get(1)[1]), priv));
      List<ECKey> retired = new ArrayList<>();
      for (String[] b : blocks.subList(2, blocks.size())) {
        if (!b[0].equals("PUBLIC KEY")) {
          throw new ConfigException("TICKETRUSH_TICKET_SIGNING_KEY: after the key pair only PUBLIC KEY blocks (retired keys) may follow");
        }
        retired.add(ecKey(new KeyPair(publicKey(ec, b[1]), null)));
      }
      TicketKeys keys = new TicketKeys(active, retired);
      keys.checkPair();
      return keys;
    } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException | JOSEException e) {
      throw new ConfigException("TICKETRUSH_TICKET_SIGNING_KEY is not an EC P-256 key pair: " + e.getMessage());
    }
  }

  /** Dev mode: the key pair kept in {@code file}, made on first use (so tickets stay valid across restarts). */
  public static TicketKeys devKeys(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = gen.generateKeyPair();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded())
            + pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
          // best effort on non-POSIX file systems
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      return fromPem(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("cannot make or read the dev ticket signing key " + file + ": " + e.getMessage());
    }
  }

  /** A compact JWS (ES256, header {@code kid}) naming ticket, event, seat and holder. */
  public String sign(TicketClaims c) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .claim("tid", c.ticketId().toString())
        .claim("eid", c.eventId())
        .claim("seat", c.seat())
        .subject(c.holder())
        .issueTime(new Date())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signing.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("ticket signing failed", e);
    }
    return jwt.serialize();
  }

  /** The claims of a code signed by one of our keys, or null for anything else (forged, other algorithm, garbage). */
  public TicketClaims verify(String code) {
    try {
      SignedJWT jwt = SignedJWT.parse(code);
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
        return null;
      }
      ECDSAVerifier verifier = verifiers.get(jwt.getHeader().getKeyID());
      if (verifier == null || !jwt.verify(verifier)) {
        return null;
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      Object eid = c.getClaim("eid");
      Object seat = c.getClaim("seat");
      String tid = c.getStringClaim("tid");
      if (!(eid instanceof Number e) || !(seat instanceof Number s) || tid == null || c.getSubject() == null) {
        return null;
      }
      return new TicketClaims(UUID.fromString(tid), e.longValue(), s.intValue(), c.getSubject());
    } catch (ParseException | JOSEException | IllegalArgumentException | IllegalStateException e) {
      return null;
    }
  }

  /** The public JWKS: every key that may have signed a live ticket, no private part. */
  public JsonObject jwks() {
    return jwks.copy();
  }

  public String activeKid() {
    return signing.getKeyID();
  }

  private void checkPair() {
    TicketClaims probe = new TicketClaims(new UUID(0, 0), 0, 0, "probe");
    if (!probe.equals(verify(sign(probe)))) {
      throw new ConfigException("TICKETRUSH_TICKET_SIGNING_KEY: the PUBLIC KEY does not belong to the PRIVATE KEY");
    }
  }

  private static ECPublicKey publicKey(KeyFactory ec, String base64) throws GeneralSecurityException {
    return (ECPublicKey) ec.generatePublic(new X509EncodedKeySpec(decode(base64)));
  }

  private static ECKey ecKey(KeyPair pair) throws JOSEException {
    ECPublicKey pub = (ECPublicKey) pair.getPublic();
    if (Curve.forECParameterSpec(pub.getParams()) != Curve.P_256) {
      throw new IllegalArgumentException("the curve must be P-256");
    }
    ECKey.Builder b = new ECKey.Builder(Curve.P_256, pub).algorithm(JWSAlgorithm.ES256)
        .keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE);
    if (pair.getPrivate() != null) {
      b.privateKey((ECPrivateKey) pair.getPrivate());
    }
    return b.keyIDFromThumbprint().build();
  }

  private static byte[] decode(String base64) {
    return Base64.getDecoder().decode(base64);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static List<ECKey> concat(ECKey first, List<ECKey> rest) {
    List<ECKey> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
