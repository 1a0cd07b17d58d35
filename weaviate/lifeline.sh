#!/bin/sh
# Runs "$@" and stops it when our stdin reaches end-of-file. The parent holds the other end of
# that pipe, and the kernel closes it when the parent dies by any means, SIGKILL included, so the
# child can never outlive its parent. SIGTERM/SIGINT/SIGHUP to this script are passed on.
# The child's pid is printed first on stdout so the parent can report and escalate.
exec 3<&0 0</dev/null
"$@" &
child=$!
echo "lifeline-child-pid=$child"
{ cat <&3 >/dev/null; kill -TERM "$child" 2>/dev/null; } &
watcher=$!
exec 3<&-
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
code=0
while :; do
  wait "$child"
  code=$?
  kill -0 "$child" 2>/dev/null || break
done
kill "$watcher" 2>/dev/null
exit "$code"
