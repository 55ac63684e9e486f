package io.raftbed.chaos.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Toxiproxy HTTP API (Toxiproxy README, "HTTP API"; routes and status codes of its {@code api.go}):
 *
 * <pre>
 * GET    /proxies                          200 {name: proxy}
 * POST   /proxies                          201 proxy          400 missing name/upstream, 409 exists, 500 bind failed
 * POST   /populate                         201 {"proxies":[...]}
 * GET    /proxies/{p}                      200 proxy          404
 * POST   /proxies/{p}   (PATCH too)        200 proxy          404
 * DELETE /proxies/{p}                      204                404
 * GET    /proxies/{p}/toxics               200 [toxic]        404
 * POST   /proxies/{p}/toxics               200 toxic          400 bad stream/type/body, 409 exists
 * GET    /proxies/{p}/toxics/{t}           200 toxic          404
 * POST   /proxies/{p}/toxics/{t} (PATCH)   200 toxic          404
 * DELETE /proxies/{p}/toxics/{t}           204                404
 * POST   /reset                            204
 * GET    /version                          200 {"version": "..."}
 * </pre>
 *
 * Errors are {@code {"error": "...", "status": N}}; an unknown path is 404 and a known path with
 * another method 405, as Toxiproxy's router; requests from browsers (User-Agent {@code Mozilla/...})
 * are refused with 403, as Toxiproxy does against cross-site requests.
 *
 * <p>Threading: runs on the API server's single event loop, so calls are handled one at a time; it
 * waits there for proxy changes to reach the proxy event loops (a different group).
 */
final class ControlApi extends SimpleChannelInboundHandler<FullHttpRequest> {
  /** The version {@code GET /version} reports: Toxiproxy API 2, this implementation. */
  static final String VERSION = "2.0.0-raftbed";

  private final ProxyRegistry registry;

  ControlApi(ProxyRegistry registry) {
    this.registry = registry;
  }

  private record Reply(HttpResponseStatus status, String contentType, byte[] body) {
    static Reply json(int status, JsonNode body) {
      return new Reply(HttpResponseStatus.valueOf(status), "application/json",
          body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Reply text(HttpResponseStatus status, String body) {
      return new Reply(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    static Reply empty(HttpResponseStatus status) {
      return new Reply(status, null, new byte[0]);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    Reply reply;
    String agent = request.headers().get(HttpHeaderNames.USER_AGENT, "");
    if (!request.decoderResult().isSuccess()) {
      reply = Reply.text(HttpResponseStatus.BAD_REQUEST, "400 Bad Request\n");
    } else if (agent.startsWith("Mozilla/")) {
      reply = Reply.text(HttpResponseStatus.FORBIDDEN, "User agent not allowed\n");
    } else {
      try {
        reply = route(request);
      } catch (ApiException e) {
        reply = Reply.json(e.status, ApiJson.error(e));
      } catch (RuntimeException e) {
        // A bug or a shutdown race: still answer as Toxiproxy does for errors without a status.
        reply = Reply.json(500, ApiJson.error(new ApiException(500, String.valueOf(e))));
      }
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status,
        Unpooled.wrappedBuffer(reply.body));
    if (reply.contentType != null) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType);
    }
    HttpUtil.setContentLength(response, reply.body.length);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (keepAlive && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private Reply route(FullHttpRequest request) throws ApiException {
    String path = new QueryStringDecoder(request.uri()).path();
    List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/", -1));
    HttpMethod method = request.method();
    boolean get = method.equals(HttpMethod.GET);
    boolean post = method.equals(HttpMethod.POST);
    boolean update = post || method.equals(HttpMethod.PATCH);
    boolean delete = method.equals(HttpMethod.DELETE);
    byte[] body = ByteBufUtil.getBytes(request.content());
    String first = parts.get(0);
    switch (parts.size()) {
      case 1 -> {
        if (first.equals("proxies") && get) {
          return proxies();
        } else if (first.equals("proxies") && post) {
          return create(body);
        } else if (first.equals("populate") && post) {
          return populate(body);
        } else if (first.equals("reset") && post) {
          registry.reset();
          return Reply.empty(HttpResponseStatus.NO_CONTENT);
        } else if (first.equals("version") && get) {
          ObjectNode v = ApiJson.MAPPER.createObjectNode().put("version", VERSION);
          return new Reply(HttpResponseStatus.OK, "application/json;charset=utf-8",
              (v + "\n").getBytes(StandardCharsets.UTF_8));
        } else if (List.of("proxies", "populate", "reset", "version").contains(first)) {
          return Reply.empty(HttpResponseStatus.METHOD_NOT_ALLOWED);
        }
      }
      case 2 -> {
        if (first.equals("proxies") && !parts.get(1).isEmpty()) {
          return proxy(parts.get(1), get, update, delete, body);
        }
      }
      case 3 -> {
        if (first.equals("proxies") && parts.get(2).equals("toxics")) {
          return toxics(parts.get(1), get, post, body);
        }
      }
      case 4 -> {
        if (first.equals("proxies") && parts.get(2).equals("toxics") && !parts.get(3).isEmpty()) {
          return toxic(parts.get(1), parts.get(3), get, update, delete, body);
        }
      }
      default -> {}
    }
    return Reply.text(HttpResponseStatus.NOT_FOUND, "404 page not found\n");
  }

  private Reply proxies() {
    ObjectNode all = ApiJson.MAPPER.createObjectNode();
    for (FaultProxy p : registry.all()) {
      all.set(p.name, ApiJson.proxy(p.state()));
    }
    return Reply.json(200, all);
  }

  private Reply create(byte[] body) throws ApiException {
    ApiJson.ProxyFields base = new ApiJson.ProxyFields("", "", "", true);
    FaultProxy p = registry.create(ApiJson.ProxyFields.read(ApiJson.parse(body), base, "Proxy"));
    return Reply.json(201, ApiJson.proxy(p.state()));
  }

  private Reply populate(byte[] body) throws ApiException {
    ProxyRegistry.PopulateResult result = registry.populate(ApiJson.populate(ApiJson.parse(body)));
    ObjectNode out = result.error() == null ? ApiJson.MAPPER.createObjectNode() : ApiJson.error(result.error());
    if (result.proxies() == null) {
      out.putNull("proxies");
    } else {
      ArrayNode list = out.putArray("proxies");
      for (FaultProxy p : result.proxies()) {
        list.add(ApiJson.proxy(p.state()));
      }
    }
    return Reply.json(result.error() == null ? 201 : result.error().status, out);
  }

  private Reply proxy(String name, boolean get, boolean update, boolean delete, byte[] body)
      throws ApiException {
    if (get) {
      return Reply.json(200, ApiJson.proxy(registry.get(name).state()));
    } else if (update) {
      FaultProxy p = registry.update(name, proxy -> {
        FaultProxy.State s = proxy.state();
        ApiJson.ProxyFields base = new ApiJson.ProxyFields(s.name(), s.listen(), s.upstream(), s.enabled());
        ApiJson.ProxyFields f = ApiJson.ProxyFields.read(ApiJson.parse(body), base, "Proxy");
        proxy.update(f.listen(), f.upstream(), f.enabled());
      });
      return Reply.json(200, ApiJson.proxy(p.state()));
    } else if (delete) {
      registry.delete(name);
      return Reply.empty(HttpResponseStatus.NO_CONTENT);
    }
    return Reply.empty(HttpResponseStatus.METHOD_NOT_ALLOWED);
  }

  private Reply toxics(String name, boolean get, boolean post, byte[] body) throws ApiException {
    if (get) {
      ArrayNode list = ApiJson.MAPPER.createArrayNode();
      for (ToxicSpec t : ApiJson.ordered(registry.get(name).state().toxics())) {
        list.add(ApiJson.toxic(t));
      }
      return Reply.json(200, list);
    } else if (post) {
      ToxicSpec[] added = new ToxicSpec[1];
      registry.update(name, proxy -> {
        added[0] = ApiJson.newToxic(ApiJson.parse(body));
        proxy.addToxic(added[0]);
      });
      return Reply.json(200, ApiJson.toxic(added[0]));
    }
    return Reply.empty(HttpResponseStatus.METHOD_NOT_ALLOWED);
  }

  private Reply toxic(String name, String toxicName, boolean get, boolean update, boolean delete,
      byte[] body) throws ApiException {
    if (get) {
      return Reply.json(200, ApiJson.toxic(registry.get(name).toxic(toxicName)));
    } else if (update) {
      ToxicSpec[] updated = new ToxicSpec[1];
      registry.update(name, proxy -> {
        ToxicSpec current = proxy.toxic(toxicName);
        updated[0] = ApiJson.updatedToxic(current, ApiJson.parse(body));
        proxy.replaceToxic(updated[0]);
      });
      return Reply.json(200, ApiJson.toxic(updated[0]));
    } else if (delete) {
      registry.update(name, proxy -> proxy.removeToxic(toxicName));
      return Reply.empty(HttpResponseStatus.NO_CONTENT);
    }
    return Reply.empty(HttpResponseStatus.METHOD_NOT_ALLOWED);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
