package dev.ticketrush.web;

import java.util.Set;

/** The authenticated user of a request: JWT {@code sub} and {@code roles}. */
public record Caller(String userId, Set<String> roles) {
  public boolean isAdmin() {
    return roles.contains("admin");
  }
}
