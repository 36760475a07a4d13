package dev.ticketrush.web;

/**
 * What {@link Authn} verifies (and, with a secret, mints) tokens with. Only the configured kinds are accepted:
 * without {@code hs256Secret} an HS256 token is refused, so a public key can never be used as an HMAC secret.
 *
 * @param hs256Secret HS256 secret (at least 32 bytes), or null
 * @param publicKeyPem PEM SubjectPublicKeyInfo, or null
 * @param publicKeyAlgorithm RS256 or ES256 for {@code publicKeyPem}
 * @param jwksUrl JWKS endpoint (RSA and EC keys by {@code kid}), or null
 * @param issuer required {@code iss}, or null
 * @param audience required {@code aud}, or null
 */
public record TokenKeys(String hs256Secret, String publicKeyPem, String publicKeyAlgorithm, String jwksUrl,
    String issuer, String audience) {

  public static TokenKeys hs256(String secret) {
    return new TokenKeys(secret, null, null, null, null, null);
  }

  @Override
  public String toString() {
    return "TokenKeys[hs256=" + (hs256Secret != null) + ", publicKey=" + publicKeyAlgorithm + ", jwks=" + jwksUrl
        + ", iss=" + issuer + ", aud=" + audience + "]";
  }
}
