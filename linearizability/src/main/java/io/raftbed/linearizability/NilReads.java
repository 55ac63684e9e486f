package io.raftbed.linearizability;

/**
 * What a read that returned nil tells about a register.
 *
 * <ul>
 *   <li>{@link #ABSENT}: the register held no value (etcd, porcupine, the raftbed simulator); the
 *       read is only legal when the state is nil.</li>
 *   <li>{@link #UNKNOWN}: Knossos' convention: a nil read means "we don't know what was read" and
 *       constrains nothing. Use it for Jepsen EDN histories written for Knossos' register models.</li>
 * </ul>
 */
public enum NilReads {
  ABSENT, UNKNOWN
}
