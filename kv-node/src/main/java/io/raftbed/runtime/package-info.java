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
 * GET    /cluster                           JSON: id, clusterId, role, term, leaderId, leaderUrl, commit/applied
 *                                           index, voters, learners, members (addresses), initialVoters
 * POST   /cluster/members[?as=learner]      {"id":4,"peer":"127.0.0.1:9084","http":"http://127.0.0.1:8084"}:
 *                                           200 with the new configuration once a voter is promoted (or the
 *                                           learner added) | 409 member_exists | 503 | 504 outcome_unknown
 * DELETE /cluster/members/{id}              200 | 404 no_such_member | 409 last_voter | 503 | 504
 * POST   /cluster/leader      {"id":2}      200 once node 2 leads | 404/409 not a voter | 503 | 504
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
 *
 * <h2>Membership</h2>
 *
 * A member's address in a configuration entry is {@code HOST:PEER_PORT|http://HOST:HTTP_PORT}
 * ({@link io.raftbed.runtime.config.Member#address()}). Founding voters carry the core's empty address
 * and resolve from {@code --peers}; {@link io.raftbed.runtime.MemberDirectory} has the full order. The
 * peer transport opens links as members arrive and closes them as they leave; a hello announces
 * where its sender serves, so a node that missed the entry adding a new leader can still answer it.
 * A node joins with {@code --join URL}: it learns the founding voters (its initial configuration,
 * without itself, so it never campaigns alone) and the members from any member's {@code GET /cluster},
 * keeps them in {@code DATA_DIR/join.json}, and waits until a leader adds it. Membership requests
 * go to the leader ({@link io.raftbed.runtime.NodeAdmin}), which the driver serves one server at a
 * time; adding a voter adds a learner first and promotes it once it has caught up.
 */
package io.raftbed.runtime;
