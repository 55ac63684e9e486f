/**
 * Jepsen histories, models, and a linearizability checker with counterexamples.
 *
 * <h2>Checking a history from code (the simulator's entry point)</h2>
 *
 * <pre>{@code
 * HistoryBuilder b = History.builder();                 // one per run; not thread-safe
 * b.invoke(client, "write", key, 3L);   ...  b.ok(client);
 * b.invoke(client, "read", key, null);  ...  b.ok(client, valueOrNull);
 * b.invoke(client, "cas", key, Arrays.asList(expectedOrNull, 5L)); ... b.fail(client);  // mismatch
 * b.invoke(client, "delete", key, null); ... b.info(client);                            // timed out
 * History history = b.build();
 *
 * CheckResult result = Checker.check(history, Models.casRegisterPerKey(null),
 *         CheckOptions.defaults().withFailSemantics(FailSemantics.CAS_FAIL_HAPPENED)
 *                                .withTimeLimit(Duration.ofSeconds(10)));
 * switch (result.verdict()) {
 *     case LINEARIZABLE -> { }
 *     case NOT_LINEARIZABLE -> report(result.counterexample().orElseThrow().describe());
 *     case UNKNOWN -> warn(result.reason());
 * }
 * TimelineHtml.write(history, result, Path.of("history.html"));
 * Histories.writeEdn(history, Path.of("history.edn"));    // Knossos/Elle-readable
 * }</pre>
 *
 * <p>{@link io.raftbed.linearizability.Models#casRegisterPerKey} is one compare-and-set register
 * per key: read (returns the value or nil), write, cas {@code [expected new]} (a nil expected
 * value requires the key to be absent) and delete (= write nil); keys are checked independently
 * and in parallel. With {@link io.raftbed.linearizability.FailSemantics#CAS_FAIL_HAPPENED} a
 * {@code :fail} cas is a cas that happened and found another value; every other {@code :fail} did
 * not happen. An {@code :info} completion, or none, means the operation may have taken effect at
 * any time after its invocation, or never.
 *
 * <h2>The pieces</h2>
 * <ul>
 *   <li>{@link io.raftbed.linearizability.Op}, {@link io.raftbed.linearizability.History},
 *       {@link io.raftbed.linearizability.HistoryBuilder}: Jepsen events and histories;
 *       {@link io.raftbed.linearizability.Operation}: an invocation paired with its completion.</li>
 *   <li>{@link io.raftbed.linearizability.Histories}: read Jepsen EDN, JSON lines and Jepsen log
 *       lines; write EDN and JSON lines. Errors name the file and line.</li>
 *   <li>{@link io.raftbed.linearizability.Model}: the interface for your own models;
 *       {@link io.raftbed.linearizability.Models}: register, cas-register, a cas register per key,
 *       kv, and Knossos' multi-register (transactions), mutex, set, unordered-queue and
 *       fifo-queue.</li>
 *   <li>{@link io.raftbed.linearizability.Checker} with
 *       {@link io.raftbed.linearizability.CheckOptions} gives a
 *       {@link io.raftbed.linearizability.CheckResult}: verdict, per-partition results and a
 *       {@link io.raftbed.linearizability.Counterexample} (a small window of operations that
 *       cannot be linearized, the longest linearizable prefix).</li>
 *   <li>{@link io.raftbed.linearizability.TimelineHtml}: a standalone HTML timeline;
 *       {@link io.raftbed.linearizability.Knossos}: Knossos as a second opinion when the Clojure
 *       CLI is available; {@code cli.CheckCommand}: {@code raftbed check}.</li>
 * </ul>
 *
 * <h2>How the checker works</h2>
 * The model partitions the operations (by key: P-compositionality). The partitions' searches run
 * in interleaved rounds of growing work, and the first partition found not linearizable stops the
 * others (reported undecided). Each partition is compiled to
 * int-encoded states and operations and searched depth-first with Lowe's just-in-time
 * linearization over a doubly linked list of calls and returns, memoizing (linearized set, state)
 * as in Porcupine; indeterminate operations are optional with their return at the end of the
 * history, interchangeable ones are tried in invocation order only, and a memo entry subsumes
 * configurations that used more of them. It takes turns, with budgets growing round by round, with
 * a breadth-first frontier search (Knossos' "linear"), whose memory follows the frontier rather
 * than the history length, so it finds late violations in long histories. A violation is shrunk
 * by cutting the history at the earliest completion that cannot be explained and relaxing
 * operations (first all but the last ones before the cut, then chunk by chunk) while the rest
 * stays unexplainable. Budgets running out yield UNKNOWN with a reason, never a guess; the memory
 * budget (half the free heap by default) covers the memo, the frontier and the models' interned
 * states.
 *
 * <p>Threading: histories, results, options and built-in models are immutable and safe to share.
 * {@code Checker.check} may be called from any thread; it uses up to
 * {@code CheckOptions.parallelism()} threads (the caller's included) for one history.
 */
package io.raftbed.linearizability;
