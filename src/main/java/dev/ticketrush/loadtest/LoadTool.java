package dev.ticketrush.loadtest;

public final class LoadTool {
  public static void main(String[] args) {
    throw new UnsupportedOperationException("not yet");
  }
}
