package dev.ticketrush.config;

/**
 * A configuration the service refuses to start with. The message is one complete line for the operator (what is
 * wrong and which variable fixes it); {@code Main} logs it as such and exits non-zero, without a stack trace.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
