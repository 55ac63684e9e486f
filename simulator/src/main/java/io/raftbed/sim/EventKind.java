package io.raftbed.sim;

/** What a simulator event does; part of the trace digest, so append new kinds at the end. */
public enum EventKind {
  TICK,
  DELIVER_PEER,
  DELIVER_TO_NODE,
  DELIVER_TO_CLIENT,
  DISK_DONE,
  CLIENT_TIMER,
  FAULT
}
