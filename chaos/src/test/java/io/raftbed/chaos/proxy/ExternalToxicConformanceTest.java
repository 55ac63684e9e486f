package io.raftbed.chaos.proxy;

/**
 * {@link ToxicConformanceSuite} against the Toxiproxy server {@code TOXIPROXY_URL} names; skipped,
 * with the reason, when it is not set. The suite deletes the proxies it creates (named
 * {@code conformance-*}) and {@code POST /reset} touches every proxy on that server.
 */
class ExternalToxicConformanceTest extends ToxicConformanceSuite {
  @Override
  Target openTarget() {
    return Targets.external();
  }
}
