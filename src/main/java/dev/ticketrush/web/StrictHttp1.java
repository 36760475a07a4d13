package dev.ticketrush.web;

import dev.ticketrush.outcome.Rejection;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Strict HTTP/1.1 framing on every server connection, at the Netty level, because Vert.x decides framing before any
 * request handler runs and Netty's decoder is lenient where a proxy in front may not be (request smuggling):
 * <ul>
 *   <li>{@link Decoder} replaces Vert.x's request decoder: a request with both Content-Length and
 *       Transfer-Encoding, or a Transfer-Encoding other than exactly {@code chunked}, or an HTTP version other than
 *       {@code HTTP/1.x}, becomes an invalid request (Netty then discards the rest of the connection's bytes), which
 *       the server's invalid-request handler answers with 400 problem JSON and {@code Connection: close};
 *       {@code HTTP/1.2} and later minors are served as HTTP/1.1 (RFC 9112 section 2.3).</li>
 *   <li>{@link Guard} answers a body the decoder could not frame (bad chunk size, huge chunk extension or trailer)
 *       with a 400 problem before closing, where Vert.x would close without a word, and enforces the request
 *       deadline: headers and body must arrive within it from the request's first byte, or the connection gets a
 *       408 problem and is closed (a slowloris client cannot hold it by sending one byte a second).</li>
 * </ul>
 * Both leave the pipeline when the connection becomes a WebSocket.
 */
final class StrictHttp1 {
  private static final Pattern VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");

  private final HttpServerOptions options;
  private final long deadlineMs;
  private final Counter timedOut;

  /** A request this refuses for its framing or version; {@link ProblemHandler#invalidRequest} shows the reason. */
  static final class Refusal extends IllegalArgumentException {
    Refusal(String message) {
      super(message, null);
    }
  }

  StrictHttp1(HttpServerOptions options, long deadlineMs, Counter timedOut) {
    this.options = options;
    this.deadlineMs = deadlineMs;
    this.timedOut = timedOut;
  }

  /** For the server's connection handler: runs before the connection reads its first byte. */
  void install(HttpConnection connection) {
    if (!(connection instanceof Http1xServerConnection http1)) {
      return;
    }
    ChannelPipeline pipeline = http1.channelHandlerContext().pipeline();
    if (pipeline.get("httpDecoder") == null || pipeline.get("httpEncoder") == null) {
      return;
    }
    Guard guard = new Guard();
    pipeline.replace("httpDecoder", "httpDecoder", new Decoder(options));
    pipeline.addBefore("httpDecoder", "requestStart", guard.start);
    pipeline.addAfter("httpEncoder", "requestGuard", guard);
  }

  static final class Decoder extends VertxHttpRequestDecoder {
    Decoder(HttpServerOptions options) {
      super(options);
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) {
      String version = initialLine[2];
      if (!VERSION.matcher(version).matches()) {
        throw new Refusal("'" + (version.length() > 16 ? version.substring(0, 16) + "…" : version)
            + "' is not an HTTP version; send HTTP/1.1");
      }
      if (version.charAt(5) != '1') {
        throw new Refusal(version + " is not served on this port; send HTTP/1.1 (HTTP/2 comes through the TLS proxy)");
      }
      if (version.charAt(7) > '1') {
        initialLine[2] = "HTTP/1.1";
      }
      return super.createMessage(initialLine);
    }

    /**
     * Netty calls this with the complete headers, before it picks the framing and before it silently drops a
     * Content-Length sent with chunked; a refusal thrown here makes the request invalid.
     */
    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      if (msg != null && msg.getClass() == DefaultHttpRequest.class) {
        checkFraming(msg.headers());
      }
      return super.isContentAlwaysEmpty(msg);
    }

    private static void checkFraming(HttpHeaders headers) {
      List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
      if (codings.isEmpty()) {
        return;
      }
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        throw new Refusal("both Content-Length and Transfer-Encoding: send one of them");
      }
      if (codings.size() != 1 || !codings.get(0).equals("chunked")) {
        throw new Refusal("Transfer-Encoding must be exactly 'chunked'");
      }
    }
  }

  /**
   * Sits after the response encoder: it sees decoded requests coming in and response objects going out, so it
   * knows whether the request in progress has been answered. Its {@link #start} half sits before the decoder and
   * starts the deadline at a request's first byte.
   */
  final class Guard extends ChannelDuplexHandler {
    private ScheduledFuture<?> deadline;
    private boolean answered;
    private ChannelHandlerContext context;

    final ChannelInboundHandlerAdapter start = new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (deadline == null && msg instanceof ByteBuf bytes && bytes.isReadable() && deadlineMs > 0) {
          deadline = ctx.executor().schedule(Guard.this::tooSlow, deadlineMs, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
      }
    };

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        answered = false;
      }
      // A failed request (an invalid message is a full request) goes on to the server's invalid-request handler;
      // a failed body part after a good request head is answered here.
      if (!(msg instanceof HttpRequest) && msg instanceof HttpContent content && !content.decoderResult().isSuccess()) {
        if (!answered) {
          ReferenceCountUtil.release(msg);
          cancel();
          refuse(ctx, Problem.of(Rejection.invalid("the request body's framing is broken: "
              + content.decoderResult().cause().getMessage())));
          return;
        }
      } else if (msg instanceof LastHttpContent) {
        cancel(); // the request is complete
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse response && response.status().code() >= 200) {
        answered = true;
      }
      boolean upgraded = msg instanceof HttpResponse response && response.status().code() == 101;
      ctx.write(msg, promise);
      if (upgraded) {
        // A WebSocket from here on: its frames are not requests.
        cancel();
        ctx.pipeline().remove(start);
        ctx.pipeline().remove(this);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancel();
      ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      cancel();
    }

    private void cancel() {
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
    }

    private void tooSlow() {
      deadline = null;
      if (context == null || !context.channel().isActive()) {
        return;
      }
      timedOut.increment();
      if (answered) {
        context.close();
      } else {
        refuse(context, Problem.of(RequestFault.REQUEST_TIMEOUT,
            "the request did not arrive within " + deadlineMs + " ms"));
      }
    }

    private void refuse(ChannelHandlerContext ctx, Problem r) {
      answered = true;
      ByteBuf body = Unpooled.wrappedBuffer(ProblemHandler.toJson(r).toBuffer().getBytes());
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.valueOf(r.answer().status()), body);
      response.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, ProblemHandler.CONTENT_TYPE)
          .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
          .set(HttpHeaderNames.CONNECTION, "close");
      // Written from here, after the encoder's place in the pipeline, so the encoder frames it.
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
