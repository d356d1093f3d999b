package dev.brownout.admin;

import dev.brownout.core.internal.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The bearer token of an admin, checked in constant time: both sides are hashed first, so that
 * neither the content nor the length of the token shows in the time a refusal takes.
 */
final class Token {

  static final int MIN_LENGTH = 16;

  private final byte[] hash;

  Token(String token) {
    Settings.notNull("admin.token", token);
    if (token.length() < MIN_LENGTH || !token.chars().allMatch(Token::isTokenChar)) {
      throw Settings.invalid(
          "admin.token",
          "a text of " + token.length() + " characters",
          "must be at least "
              + MIN_LENGTH
              + " characters of letters, digits and -._~+/= (AdminApi.randomToken() makes one)");
    }
    this.hash = sha256(token);
  }

  static String random() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Whether {@code authorization} (the header's value) is {@code Bearer <this token>}. */
  boolean matches(@Nullable String authorization) {
    String given =
        authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).strip()
            : "";
    return MessageDigest.isEqual(sha256(given), hash);
  }

  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~+/=".indexOf(c) >= 0;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
