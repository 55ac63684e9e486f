/**
 * The real node: the unchanged {@link io.raftbed.node.KvNode} driver with real ports, run by
 * {@link io.raftbed.runtime.NodeMain} ({@code bin/raftbed node --help}).
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li><b>node loop</b> (one Netty event loop): the driver, its timers, log writes to the page
 *       cache, outbound peer channels. Everything else hands work to it with {@code execute}.
 *   <li><b>I/O group</b> ({@code --io-threads}, 0 = the node loop itself): HTTP connections, inbound
 *       peer connections, the leader forwarder's pooled connections.
 *   <li><b>wal-sync</b>: group commit; one {@code fdatasync} for every sync request queued meanwhile.
 *   <li><b>wal-allocator</b>: preallocates the next segment file with zeros.
 *   <li><b>wal-files</b>: writes snapshot files, deletes compacted segments and old snapshots.
 * </ul>
 *
 * <h2>Packages</h2>
 *
 * <ul>
 *   <li>{@code peer}: the versioned, checksummed binary codec for every Raft message
 *       ({@link io.raftbed.runtime.peer.PeerCodec}), the outbound transport with reconnect and bounded
 *       queues, and the inbound server with the cluster-id handshake.
 *   <li>{@code wal}: the segmented write-ahead log ({@link io.raftbed.runtime.wal.WalFormat} has the
 *       format), recovery that clears a torn tail and refuses mid-log corruption, snapshot files and
 *       log compaction.
 *   <li>{@code http}: the HTTP API, leader forwarding, error mapping.
 *   <li>{@code config}, {@code metrics}, {@code net}: settings, Prometheus metrics, Netty plumbing.
 * </ul>
 *
 * <h2>HTTP API</h2>
 *
 * <pre>
 * GET    /keys/{key}                        200 value bytes | 404 key_not_found   (linearizable: ReadIndex)
 * GET    /keys/{key}?consistency=stale      200 | 404, from this node's state, may be stale
 * PUT    /keys/{key}            body=value  200 | 413 too_large
 * PUT    /keys/{key}?cas={expected}         200 | 409 cas_mismatch {"exists","current"|"currentBase64"}
 * PUT    /keys/{key}   If-None-Match: *     200 | 409 (create only)
 * DELETE /keys/{key}                        200 | 404
 * DELETE /keys/{key}?cas={expected}         200 | 409 (delete only if the value is {expected})
 * GET    /cluster                           JSON: id, role, term, leaderId, leaderUrl, commit/applied index, members
 * GET    /health                            200 {"status":"ok",...} while the node runs
 * GET    /metrics                           Prometheus text
 * </pre>
 *
 * {@code {key}} is percent-decoded UTF-8 (slashes allowed); {@code {expected}} is percent-encoded
 * bytes. {@code X-Client-Id} and {@code X-Seq} (positive decimals, both or neither) make a retried
 * write apply at most once; the retry is answered with the first result. Errors are JSON
 * {@code {"code": ..., "message": ...}}: 400 bad_request, 404 key_not_found / no_such_route, 405
 * method_not_allowed (with {@code Allow}), 409 cas_mismatch / stale_sequence, 413 too_large, 503
 * no_leader / unavailable / too_many_connections (with {@code Retry-After}), 504 outcome_unknown
 * (the write may still apply). A follower proxies requests to the leader (one hop at most).
 */
package io.raftbed.runtime;
