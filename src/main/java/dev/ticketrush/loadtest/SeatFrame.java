package dev.ticketrush.loadtest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.Arrays;

/**
 * One WebSocket frame of {@code /ws/events/{id}}, read with Jackson's streaming parser: thousands of watchers
 * receive tens of thousands of patches a second on the same box as the service, so no tree is built.
 * Fields may come in any order; unknown fields are skipped.
 */
final class SeatFrame {
  private static final JsonFactory JSON = new JsonFactory();

  String type = "";
  long version = -1;
  long fromVersion = -1;
  long toVersion = -1;
  int changes;
  int[] seats = new int[16];
  long[] versions = new long[16];
  String[] statuses = new String[16];
  int heldCount;
  int soldCount;

  static SeatFrame parse(Buffer frame) throws IOException {
    SeatFrame f = new SeatFrame();
    try (JsonParser p = JSON.createParser(frame.getBytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("frame is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "type" -> f.type = p.getText();
          case "version" -> f.version = p.getLongValue();
          case "fromVersion" -> f.fromVersion = p.getLongValue();
          case "toVersion" -> f.toVersion = p.getLongValue();
          case "held" -> f.heldCount = countArray(p, t);
          case "sold" -> f.soldCount = countArray(p, t);
          case "changes" -> f.readChanges(p, t);
          default -> p.skipChildren();
        }
      }
    }
    return f;
  }

  private static int countArray(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return 0;
    }
    int n = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      p.skipChildren();
      n++;
    }
    return n;
  }

  private void readChanges(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      int seat = -1;
      long v = -1;
      String status = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "seat" -> seat = p.getIntValue();
          case "version" -> v = p.getLongValue();
          case "status" -> status = p.getText();
          default -> p.skipChildren();
        }
      }
      if (changes == seats.length) {
        seats = Arrays.copyOf(seats, changes * 2);
        versions = Arrays.copyOf(versions, changes * 2);
        statuses = Arrays.copyOf(statuses, changes * 2);
      }
      seats[changes] = seat;
      versions[changes] = v;
      statuses[changes] = status;
      changes++;
    }
  }
}
