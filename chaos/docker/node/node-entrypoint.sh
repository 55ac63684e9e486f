#!/bin/sh
# Starts a raftbed node with the node's own arguments ("$@"). JAVA_OPTS are the JVM's options; when
# NODE_LOG_FILE names a file (a bind mount of the harness's run folder), all output is appended to it,
# so a node's log survives docker kill and container removal.
if [ -n "${NODE_LOG_FILE:-}" ]; then
  exec >>"$NODE_LOG_FILE" 2>&1
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-} -cp '/opt/raftbed/lib/*' io.raftbed.runtime.NodeMain "$@"
