package io.raftbed.chaos.proxy;

/**
 * {@link ApiConformanceSuite} against the Toxiproxy server {@code TOXIPROXY_URL} names; skipped,
 * with the reason, when it is not set. The suite deletes the proxies it creates (named
 * {@code conformance-*}) and {@code POST /reset} touches every proxy on that server.
 */
class ExternalApiConformanceTest extends ApiConformanceSuite {
  @Override
  Target openTarget() {
    return Targets.external();
  }
}
