package io.raftbed.chaos.proxy;

import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The proxies of one server by name: Toxiproxy's {@code ProxyCollection} ({@code proxy_collection.go})
 * plus the multi-proxy operations of its {@code api.go} ({@code POST /populate}, {@code POST /reset}).
 *
 * <p>Threading: every method is synchronized, so API calls apply one at a time, in arrival order;
 * the per-proxy work they start on event loops finishes before they return.
 */
final class ProxyRegistry {
  private final EventLoopGroup group;
  /** Sorted by name so that listings are stable (Go's map order is random; any order is valid). */
  private final TreeMap<String, FaultProxy> proxies = new TreeMap<>();
  private boolean closed;

  ProxyRegistry(EventLoopGroup group) {
    this.group = group;
  }

  synchronized List<FaultProxy> all() {
    return new ArrayList<>(proxies.values());
  }

  synchronized FaultProxy get(String name) throws ApiException {
    FaultProxy p = proxies.get(name);
    if (p == null) {
      throw ApiException.proxyNotFound();
    }
    return p;
  }

  /** {@code POST /proxies}: name and upstream are required; 409 if the name is taken. */
  synchronized FaultProxy create(ApiJson.ProxyFields f) throws ApiException {
    checkOpen();
    if (f.name().isEmpty()) {
      throw ApiException.missingField("name");
    }
    if (f.upstream().isEmpty()) {
      throw ApiException.missingField("upstream");
    }
    if (proxies.containsKey(f.name())) {
      throw ApiException.proxyExists();
    }
    FaultProxy p = new FaultProxy(f.name(), f.listen(), f.upstream(), group);
    if (f.enabled()) {
      p.start();
    }
    proxies.put(f.name(), p);
    return p;
  }

  /** Applies {@code update} to the named proxy under this registry's lock. */
  synchronized FaultProxy update(String name, ProxyUpdate update) throws ApiException {
    FaultProxy p = get(name);
    update.apply(p);
    return p;
  }

  /** A change to one proxy, run while API calls are serialised. */
  interface ProxyUpdate {
    void apply(FaultProxy p) throws ApiException;
  }

  synchronized void delete(String name) throws ApiException {
    FaultProxy p = get(name);
    p.stop();
    proxies.remove(name);
  }

  /**
   * {@code POST /populate}: every entry is checked for a name and an upstream before anything
   * changes; then each is added, or replaces the proxy of its name if {@code listen} or
   * {@code upstream} differ (a replaced proxy loses its toxics), or leaves it untouched (README,
   * "Populating Proxies"). On a failure part-way, returns what was applied so far with the error.
   */
  synchronized PopulateResult populate(List<ApiJson.ProxyFields> input) {
    List<FaultProxy> applied = new ArrayList<>();
    for (int i = 0; i < input.size(); i++) {
      ApiJson.ProxyFields f = input.get(i);
      if (f.name().isEmpty()) {
        return new PopulateResult(null, ApiException.missingField("name at proxy " + (i + 1)));
      }
      if (f.upstream().isEmpty()) {
        return new PopulateResult(null, ApiException.missingField("upstream at proxy " + (i + 1)));
      }
    }
    try {
      checkOpen();
      for (ApiJson.ProxyFields f : input) {
        FaultProxy existing = proxies.get(f.name());
        if (existing != null) {
          FaultProxy.State s = existing.state();
          if (s.listen().equals(f.listen()) && s.upstream().equals(f.upstream())) {
            applied.add(existing);
            continue;
          }
          existing.stop();
          proxies.remove(f.name());
        }
        FaultProxy p = new FaultProxy(f.name(), f.listen(), f.upstream(), group);
        if (f.enabled()) {
          p.start();
        }
        proxies.put(f.name(), p);
        applied.add(p);
      }
      return new PopulateResult(applied, null);
    } catch (ApiException e) {
      return new PopulateResult(applied, e);
    }
  }

  /** The proxies a populate applied ({@code null} when it was rejected up front) and its error. */
  record PopulateResult(List<FaultProxy> proxies, ApiException error) {}

  /** {@code POST /reset}: enables every proxy and removes every toxic. */
  synchronized void reset() throws ApiException {
    for (FaultProxy p : proxies.values()) {
      p.start();
      p.removeAllToxics();
    }
  }

  /** Stops every proxy; later creations fail. Idempotent. */
  synchronized void closeAll() {
    closed = true;
    for (FaultProxy p : proxies.values()) {
      p.stop();
    }
    proxies.clear();
  }

  private void checkOpen() throws ApiException {
    if (closed) {
      throw new ApiException(503, "server is shutting down");
    }
  }
}
