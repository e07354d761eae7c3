"""interrupt.py — run a command and send it a signal while a temporary file
exists in a directory (the command is mid-way through writing).

    python3 interrupt.py SIGNAL DIR PREFIX -- COMMAND...

Polls DIR every 0.2 ms for an entry starting with PREFIX; as soon as one appears
the signal is sent. Prints "interrupted" (the command died of the signal) or
"finished" (it ended before a temporary file was seen) and exits 0 either way;
a command that fails on its own prints its exit code and exits 1.
"""
import os
import signal
import subprocess
import sys
import time

sig = getattr(signal, sys.argv[1])
watch, prefix = sys.argv[2], sys.argv[3]
cmd = sys.argv[sys.argv.index("--") + 1:]
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
sent = False
while p.poll() is None:
    try:
        names = os.listdir(watch)
    except FileNotFoundError:
        names = []
    if any(n.startswith(prefix) for n in names):
        p.send_signal(sig)
        sent = True
        break
    time.sleep(0.0002)
rc = p.wait()
if sent and rc == -sig:
    print("interrupted")
elif rc == 0:
    print("finished")
else:
    print("exit", rc)
    sys.exit(1)
